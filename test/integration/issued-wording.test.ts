/**
 * The wording fits the case: 你 to one petitioner, 你们 to a joint letter, 你（们）only when neither
 * is known; the acceptance notice states the deadline that will apply. Through the real workflow,
 * its PDFs read back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { caseData } from '../../src/domain/template-data.js';
import { readPdf } from '../helpers/pdf.js';
import { makeWorkspace, officeAt, repoRoot } from '../helpers/workspace.js';

const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const squeeze = (s: string) => s.replace(/\s+/g, '');
const who = { name: '刘芳' };

let office: Office;
let now = at('2026-11-03');

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
});
afterAll(() => office.close());

async function register(fields: Record<string, string>): Promise<Case> {
  now = at('2026-11-03');
  return office.cases.register(who, { channel: '来信', matter: '楼下烧烤店油烟噪音扰民，请求责令整改。', fields: { letterDate: '2026-11-02', ...fields } });
}

/** Instructs (with the leader's due date when given) and accepts; the acceptance notice's text. */
async function acceptanceNotice(c: Case, due?: string): Promise<string> {
  now = at('2026-11-04');
  await office.workflow.instruct(who, await office.cases.find(c.number), { leader: '张主任', text: '请综治办核实处理。', handler: '李文', due });
  now = at('2026-11-05');
  const { documents } = await office.workflow.accept(who, await office.cases.find(c.number));
  const pdf = documents.find((d) => d.endsWith('.pdf'))!;
  return squeeze((await readPdf(office.paths.absolute(pdf))).pages.map((p) => p.text).join(''));
}

describe('the acceptance notice', () => {
  it('addresses one petitioner as 你 and states the statutory sixty days when the leader set no date', async () => {
    const text = await acceptanceNotice(await register({ name: '王秀兰' }));
    expect(text).toContain('王秀兰：你于2026年11月2日以来信形式反映的');
    expect(text).not.toContain('你（们）');
    expect(text).toContain('并自受理之日起六十日内办结');
  });

  it('addresses a joint letter as 你们, naming the first signatory and how many signed', async () => {
    const text = await acceptanceNotice(await register({ name: '李建国', signatories: '5' }));
    expect(text).toContain('李建国等5人：你们于2026年11月2日以来信形式反映的');
  });

  it('states the earlier due date the leader set instead of sixty days', async () => {
    const text = await acceptanceNotice(await register({ name: '赵敏', signatories: '1' }), '2026-12-01');
    expect(text).toContain('并于2026年12月1日前办结');
    expect(text).not.toContain('六十日');
    expect(text).toContain('赵敏：你于');
  });
});

describe('the form of address and the deadline as template values', () => {
  it('is 你（们）only when neither a name nor the number of petitioners is known, and counts days from the settings', async () => {
    const c = await register({ name: '王秀兰' });
    const data = (fields: Partial<Case['fields']>, handleDays = office.settings.workflow.handleDays) =>
      caseData({ ...c, fields: { ...c.fields, ...fields } }, { ...office.settings, workflow: { ...office.settings.workflow, handleDays } }, now, {});
    expect(data({ name: null, signatories: null })['人称']).toBe('你（们）');
    expect(data({ name: '王秀兰', signatories: null })['人称']).toBe('你');
    expect(data({ name: null, signatories: 1 })['人称']).toBe('你');
    expect(data({ name: null, signatories: 3 })['人称']).toBe('你们');
    expect(data({ name: '王秀兰', signatories: 3 })['信访人等']).toBe('王秀兰等3人');
    expect(data({ name: '王秀兰', signatories: 1 })['信访人等']).toBe('王秀兰');
    expect(data({}, 45)['办结期限']).toBe('自受理之日起四十五日内');
    expect(data({})['延期上限']).toBe('三十日');
  });

  it('is used by every template that speaks to or of the petitioner, and no template says 你（们）itself', () => {
    const dir = path.join(repoRoot, 'templates');
    // The reception-day notice is posted for everyone: it names no petitioner.
    const forThePublic = ['领导接访日公告.hbs'];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text, file).not.toContain('你（们）');
      expect(text, file).not.toMatch(/{{信访人}}/);
      if (forThePublic.includes(file)) continue;
      expect(/{{人称}}|{{信访人等}}/.test(text), file).toBe(true);
    }
  });
});
