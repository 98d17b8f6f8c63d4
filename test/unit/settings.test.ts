import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { parseSettings } from '../../src/domain/settings.js';
import { XinfangError } from '../../src/domain/problems.js';
import { problemText } from '../../src/domain/words.js';
import { repoRoot } from '../helpers/workspace.js';

const shipped = path.join(repoRoot, 'pipeline', 'settings.yaml');
const raw = () => YAML.parse(readFileSync(shipped, 'utf8')) as Record<string, Record<string, unknown>>;

function messageFor(mutate: (s: Record<string, Record<string, unknown>>) => void): string {
  const settings = raw();
  mutate(settings);
  try {
    parseSettings(settings);
  } catch (e) {
    expect(e).toBeInstanceOf(XinfangError);
    return problemText((e as XinfangError).problem);
  }
  throw new Error('settings were accepted');
}

describe('settings', () => {
  it('takes the alerts section with its defaults when missing, and words each wrong value of it in Chinese', () => {
    const old = raw();
    delete old.alerts;
    expect(parseSettings(old).alerts).toEqual({ daysBeforeDue: 3, checkMinutes: 60, command: [], commandTimeoutSeconds: 30 });
    expect(parseSettings(raw()).alerts.command).toEqual([]);
    expect(messageFor((s) => (s.alerts!.command = '/opt/notify.sh'))).toContain('alerts.command：应填列表。');
    expect(messageFor((s) => (s.alerts!.command = ['/opt/notify.sh', '']))).toContain('alerts.command.1：不能小于 1 个字。');
    expect(messageFor((s) => (s.alerts!.daysBeforeDue = -1))).toContain('alerts.daysBeforeDue：不能小于 0。');
    expect(messageFor((s) => (s.alerts!.commandTimeoutSeconds = 0))).toContain('alerts.commandTimeoutSeconds：不能小于 1。');
    expect(messageFor((s) => (s.alerts!.sms = true))).toContain('alerts 下有不认识的设置项 sms');
  });

  it('keeps an office\'s settings file from before the workflow and archive sections working, with the rules\' defaults', () => {
    const old = raw();
    delete old.workflow;
    delete old.archive;
    const settings = parseSettings(old);
    expect(settings.workflow).toMatchObject({ notifyDays: 15, handleDays: 60, maxExtensionDays: 30, blankSheets: true });
    expect(settings.archive).toMatchObject({ classCode: 'XF', retention: 'D30', sheetsPerVolume: 200, fondsName: settings.office.name });
  });

  it('prints the register book with phones in full and ID numbers masked unless its settings say otherwise', () => {
    const old = raw();
    delete old.book;
    expect(parseSettings(old).book).toEqual({ maskPhone: false, maskIdNumber: true });
    expect(parseSettings(raw()).book).toEqual({ maskPhone: false, maskIdNumber: true });
    expect(messageFor((s) => (s.book!.maskPhone = '是'))).toContain('book.maskPhone：应填true 或 false');
    expect(messageFor((s) => (s.book!.maskIdNumbers = true))).toContain('book 下有不认识的设置项 maskIdNumbers');
  });

  it('names the key and what is allowed for a wrong archive code or retention', () => {
    expect(messageFor((s) => (s.archive!.fondsCode = 'Z-109'))).toContain('archive.fondsCode：只能用英文字母和数字');
    expect(messageFor((s) => (s.archive!.retention = '50年'))).toContain('archive.retention：只能填 Y、D30、D10 之一');
    expect(messageFor((s) => (s.workflow!.maxExtensionDays = 0))).toContain('workflow.maxExtensionDays：不能小于 1');
  });

  it('accepts the shipped file and freezes it', () => {
    const settings = loadSettings(shipped);
    expect(settings.ocr.engine).toBe('paddle');
    expect(settings.numbering.format).toBe('{short}信〔{year}〕{seq}号');
    expect(Object.isFrozen(settings.ocr)).toBe(true);
  });

  it('names the key and the allowed values for a wrong choice', () => {
    const message = messageFor((s) => (s.ocr!.engine = 'abbyy'));
    expect(message).toContain('ocr.engine');
    expect(message).toContain('paddle、tesseract');
  });

  it('names a missing key, a misspelt key and a number out of range', () => {
    expect(messageFor((s) => delete s.office!.shortName)).toContain('office.shortName：缺少这一项');
    expect(messageFor((s) => (s.intake!.stabelSeconds = 3))).toContain('stabelSeconds');
    expect(messageFor((s) => (s.ocr!.lowConfidence = 3))).toMatch(/ocr\.lowConfidence：不能大于 1/);
    expect(messageFor((s) => (s.office!.timezone = 'Mars/Base'))).toContain('office.timezone');
  });

  it('refuses a number format without the year or the sequence', () => {
    expect(messageFor((s) => (s.numbering!.format = '{short}信{seq}号'))).toContain('numbering.format');
    expect(messageFor((s) => (s.numbering!.format = '{short}〔{year}〕{n}号'))).toContain('numbering.format');
  });

  it('points at the line of a YAML syntax error', () => {
    const file = path.join(os.tmpdir(), `bad-settings-${process.pid}.yaml`);
    writeFileSync(file, 'office:\n  name: 八宝\n   shortName: [\n');
    try {
      expect(() => loadSettings(file)).toThrow(/格式有误/);
    } finally {
      rmSync(file);
    }
  });
});
