/**
 * The rules of 管理: a template's placeholders checked before it is saved, the last administrator
 * kept, the settings form checked with the start-up messages and written back with the file's
 * comments kept. Real templates, a real workspace and its SQLite registry, no fakes.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { DOCUMENT_TYPES } from '../../src/domain/document-types.js';
import { isXinfangError, type Problem } from '../../src/domain/problems.js';
import { checkTemplate } from '../../src/domain/template-check.js';
import { settingsIssueText, templateIssueText } from '../../src/domain/words.js';
import { initWorkspace } from '../../src/services/workspace.js';
import { officeAt, repoRoot } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
const template = (type: string) => readFileSync(path.join(repoRoot, 'templates', `${type}.hbs`), 'utf8');

async function problemOf(work: Promise<unknown>): Promise<Problem> {
  try {
    await work;
  } catch (e) {
    if (isXinfangError(e)) return e.problem;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the template check', () => {
  it('passes every template the program ships', () => {
    for (const type of DOCUMENT_TYPES) expect(checkTemplate(type, template(type)), type).toEqual([]);
  });

  it('names a misspelt placeholder and the one it was likely meant to be', () => {
    const issues = checkTemplate('受理告知书', template('受理告知书').replace('{{经办人}}', '{{经办入}}'));
    expect(issues).toEqual([{ kind: 'unknown', name: '经办入', suggestion: '经办人' }]);
    expect(templateIssueText(issues[0]!)).toBe('没有“{{经办入}}”这项内容，是不是“{{经办人}}”？');
  });

  it('finds an unbalanced brace, whichever side is missing', () => {
    const text = template('受理告知书');
    expect(checkTemplate('受理告知书', text.replace('{{收到日期}}', '{{收到日期}')).map((i) => i.kind)).toContain('unbalanced');
    expect(checkTemplate('受理告知书', text.replace('{{收到日期}}', '{收到日期}}')).map((i) => i.kind)).toContain('unbalanced');
    expect(checkTemplate('受理告知书', text.replace('{{收到日期}}', '收到日期}}')).map((i) => i.kind)).toEqual(['unbalanced']);
  });

  it('refuses a template without what the document must say, and an unclosed block', () => {
    const text = template('受理告知书');
    expect(checkTemplate('受理告知书', text.replace('并{{办结期限}}办结', '尽快办结'))).toEqual([{ kind: 'required-removed', name: '办结期限' }]);
    expect(checkTemplate('受理告知书', text.replace('{{/if}}', ''))).toEqual([{ kind: 'unclosed-block', name: 'if' }]);
    expect(checkTemplate('受理告知书', `${text}{{/if}}`)).toEqual([{ kind: 'unopened-block', name: 'if' }]);
    expect(checkTemplate('受理告知书', `${text}{{#each 人数}}{{/each}}`).map((i) => i.kind)).toEqual(['unsupported', 'unsupported']);
  });

  it('knows the names the person issuing a document gives (转送交办函) only for that document', () => {
    expect(checkTemplate('转送交办函', template('转送交办函'))).toEqual([]);
    expect(checkTemplate('受理告知书', `${template('受理告知书')}{{转送单位}}`)).toEqual([{ kind: 'unknown', name: '转送单位', suggestion: '交办单位' }]);
  });
});

describe('the template service', () => {
  let office: Office | undefined;
  afterEach(async () => office?.close());

  it('previews with a sample case, refuses a broken text without writing, and keeps every saved version', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-admin-'));
    await initWorkspace(root);
    office = await officeAt(root, { background: 'none' });
    const admin = { name: '张管', role: '管理员' as const };
    const file = path.join(root, 'templates', '受理告知书.hbs');
    const original = readFileSync(file, 'utf8');
    const check = await office.templates.check(admin, '受理告知书', original);
    expect(check.issues).toEqual([]);
    expect(check.preview?.paragraphs[0]?.text).toContain('你们于');
    expect(check.preview?.paragraphs.map((p) => p.text).join('')).toContain('自受理之日起六十日内办结');

    const broken = original.replace('{{经办人}}', '{{经办人');
    const refused = await problemOf(office.templates.save(admin, '受理告知书', broken));
    expect(refused.code).toBe('template-problems');
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(await office.templates.versions(admin, '受理告知书')).toEqual([]);

    const better = original.replace('特此告知。', '特此告知，谢谢您的监督。');
    await office.templates.save(admin, '受理告知书', better.replace(/\n/g, '\r\n'));
    expect(readFileSync(file, 'utf8')).toBe(better);
    // Written beside and renamed: no temporary file left in the folder.
    expect(readdirSync(path.join(root, 'templates')).filter((f) => f.startsWith('.'))).toEqual([]);
    const versions = await office.templates.versions(admin, '受理告知书');
    expect(versions.map((v) => [v.by, v.text])).toEqual([
      ['张管', better],
      ['（原模板文件）', original],
    ]);
    expect((await problemOf(office.templates.save({ name: '刘芳', role: '登记员' }, '受理告知书', better))).code).toBe('not-allowed');
  });
});

describe('the last administrator', () => {
  let office: Office | undefined;
  afterEach(async () => office?.close());

  it('cannot be disabled or demoted, and can once another administrator exists', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-admin-'));
    await initWorkspace(root);
    office = await officeAt(root, { background: 'none' });
    const admin = { name: '张管', role: '管理员' as const };
    await office.users.add(terminal, { name: '张管', role: '管理员', password: 'xinfang-2026' });
    await office.users.add(terminal, { name: '刘芳', role: '登记员', password: 'xinfang-2026' });
    expect(await problemOf(office.users.setRole(admin, '张管', '登记员'))).toEqual({ code: 'last-administrator' });
    expect(await problemOf(office.users.setDisabled(admin, '张管', true))).toEqual({ code: 'last-administrator' });
    // A disabled administrator does not count as another one.
    await office.users.add(admin, { name: '王管', role: '管理员', password: 'xinfang-2026' });
    await office.users.setDisabled(admin, '王管', true);
    expect((await problemOf(office.users.setRole(admin, '张管', '领导'))).code).toBe('last-administrator');
    await office.users.setDisabled(admin, '王管', false);
    expect((await office.users.setRole(admin, '张管', '领导')).role).toBe('领导');
    expect((await problemOf(office.users.setDisabled({ name: '刘芳', role: '登记员' }, '王管', true))).code).toBe('not-allowed');
  });
});

describe('the settings form', () => {
  let office: Office | undefined;
  afterEach(async () => office?.close());

  it('checks with the start-up messages, writes nothing when wrong, and keeps the file\'s comments when right', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-admin-'));
    await initWorkspace(root);
    office = await officeAt(root, { background: 'none' });
    const admin = { name: '张管', role: '管理员' as const };
    const file = path.join(root, 'pipeline', 'settings.yaml');
    const before = readFileSync(file, 'utf8');
    const form = office.officeSettings.form(admin);

    const wrong = await problemOf(office.officeSettings.save(admin, { ...form, notifyDays: '0', handleDays: '十五' }));
    expect(wrong.code).toBe('settings-invalid');
    const texts = wrong.code === 'settings-invalid' ? wrong.issues.map(settingsIssueText) : [];
    expect(texts).toEqual(['workflow.notifyDays：不能小于 1。', 'workflow.handleDays：应填数字。']);
    expect((await problemOf(office.officeSettings.save(admin, { ...form, categories: form.categories.replace(/\n其他：.*$/, '') }))).code).toBe('settings-no-other-category');
    expect((await problemOf(office.officeSettings.save(admin, { ...form, numberFormat: '{short}-{seq}' }))).code).toBe('settings-number-format');
    expect((await problemOf(office.officeSettings.save(admin, { ...form, fontBody: 'fonts/没有这个字体.ttf' }))).code).toBe('font-missing');
    expect(readFileSync(file, 'utf8')).toBe(before);

    const saved = await office.officeSettings.save(admin, { ...form, officeName: '八宝社区居委会', urgentWords: '自杀、进京 堵路', shortName: '八宝社区', categories: `${form.categories}\n养犬管理：遛狗、拴绳` });
    expect(saved.restart).toEqual(['shortName']);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('# 单位全称：出现在登记簿、回复函等文书上。');
    expect(after).toContain('name: 八宝社区居委会');
    expect(after).toContain('urgentWords: [自杀, 进京, 堵路]');
    // Every other line of the file as it was: only the changed values differ.
    const changedLines = after.split('\n').filter((l) => !before.split('\n').includes(l));
    expect(changedLines.length).toBeLessThanOrEqual(6);
    // Applied at once: the running office reads the new values.
    expect(office.settings.office.name).toBe('八宝社区居委会');
    expect(office.settings.categories.map((c) => c.name)).toContain('养犬管理');
    expect((await problemOf(office.officeSettings.save({ name: '刘芳', role: '登记员' }, form))).code).toBe('not-allowed');
  });
});
