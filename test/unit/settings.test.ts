import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings } from '../../src/config/settings.js';
import { XinfangError } from '../../src/lib/errors.js';
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
    return (e as XinfangError).userMessage;
  }
  throw new Error('settings were accepted');
}

describe('settings', () => {
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
