/**
 * A case under supervision (督办): the 督办单 issued in PDF and DOCX, an extension taken after it,
 * the handler's answer, a 催办 refused before the due date and taken after it; each step in the
 * history, the 督办单 in the bound volume, supervised cases first in the CLI list.
 */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const squeeze = (s: string) => s.replace(/\s+/g, '');
const who = { name: '刘芳' };

let root: string;
let office: Office;
let now = at('2026-11-02');

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  // An earlier case, not supervised: the supervised one must come before it in the list.
  now = at('2026-11-01', '09:00');
  await office.cases.register(who, { channel: '来访', matter: '反映路灯不亮。', fields: { name: '赵敏' } });
});
afterAll(() => office.close());

const on = (day: string) => {
  now = at(day);
  return office.workflow;
};
const fresh = (c: Case) => office.cases.find(c.number);

describe('a supervised case', () => {
  let c: Case;

  it('is supervised with a 督办单 naming the demand and the due date', async () => {
    now = at('2026-11-02', '09:00');
    c = await office.cases.register(who, { channel: '来访', matter: '反映小区供暖不热，请求维修。', fields: { name: '王秀兰', summary: '反映小区供暖不热，请求维修' } });
    await on('2026-11-03').instruct(who, await fresh(c), { leader: '张主任', text: '请物业办核实处理。', handler: '李文' });
    await on('2026-11-04').accept(who, await fresh(c));
    await expect(on('2026-11-05').supervise(who, await fresh(c), { by: '区信访局', demand: '请于十日内查明原因', due: '2026-11-01' })).rejects.toThrow(/已经过去/);
    const { documents } = await on('2026-11-05').supervise(who, await fresh(c), { by: '区信访局', demand: '请于十日内查明原因并书面反馈', due: '2026-11-15' });
    const pdf = squeeze((await readPdf(office.paths.absolute(documents.find((d) => d.endsWith('.pdf'))!))).pages.map((p) => p.text).join(''));
    expect(pdf).toContain('信访事项督办单');
    expect(pdf).toContain('督办人：区信访局');
    expect(pdf).toContain('督办要求：请于十日内查明原因并书面反馈');
    expect(pdf).toContain('请于2026年11月15日前将办理情况书面反馈督办人');
    expect(pdf).toContain('经办人：李文');
    const docx = documents.find((d) => d.endsWith('.docx'))!;
    const xml = await (await JSZip.loadAsync(readFileSync(office.paths.absolute(docx)))).file('word/document.xml')!.async('string');
    expect(xml.replace(/<[^>]+>/g, '')).toContain('请于十日内查明原因并书面反馈');
    await expect(on('2026-11-06').supervise(who, await fresh(c), { demand: '再次督办', due: '2026-11-20' })).rejects.toThrow(/正在督办（区信访局，2026年11月15日 前反馈）/);
  });

  it('still takes an extension after the 督办, keeping the 督办 and its due date', async () => {
    await on('2026-11-10').extend(who, await fresh(c), { days: 30, reason: '需更换供暖主管道' });
    const d = await fresh(c);
    expect(d.status).toBe('extended');
    expect(d.workflow.supervision).toMatchObject({ by: '区信访局', due: '2026-11-15', answeredAt: null });
    const shown = runCli(['--root', root, 'show', c.number], { XINFANG_NOW: at('2026-11-10').toISOString() });
    expect(shown.stdout).toContain('督办：区信访局');
    expect(shown.stdout).toContain('督办期限 2026年11月15日');
    expect(shown.stdout).toContain('延期：30 日');
  });

  it('heads the CLI case list (xinfang cases) while waiting for the answer', async () => {
    expect(c.seq).toBe(2);
    const list = runCli(['--root', root, 'cases'], { XINFANG_NOW: at('2026-11-10').toISOString() }).stdout.split('\n');
    expect(list[1]).toContain(`【督办 2026年11月15日 前反馈】${c.number}`);
    expect(list.filter((l) => l.includes('【督办'))).toHaveLength(1);
  });

  it('refuses a 催办 on the due date, takes one the day after, then records the answer', async () => {
    await expect(on('2026-11-15').urge(who, await fresh(c))).rejects.toThrow(/督办期限是 2026年11月15日，还没有到期/);
    const urged = await on('2026-11-16').urge(who, await fresh(c));
    expect((await fresh(c)).workflow.supervision).toMatchObject({ urges: 1 });
    // The 催办单, in PDF and DOCX, from the office's template.
    const urgePdf = squeeze((await readPdf(office.paths.absolute(urged.documents.find((d) => d.endsWith('.pdf'))!))).pages.map((p) => p.text).join(''));
    expect(urgePdf).toContain('信访事项催办单');
    expect(urgePdf).toContain('本件要求于2026年11月15日前反馈办理情况，至今未见反馈。现第一次催办（2026年11月16日）');
    expect(urgePdf).toContain('督办人：区信访局');
    const urgeDocx = urged.documents.find((d) => d.endsWith('.docx'))!;
    expect((await (await JSZip.loadAsync(readFileSync(office.paths.absolute(urgeDocx)))).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '')).toContain('现第一次催办');
    await on('2026-11-17').answerSupervision({ name: '李文' }, await fresh(c), { answer: '已查明管道堵塞，正在更换。' });
    await expect(on('2026-11-18').urge(who, await fresh(c))).rejects.toThrow(/已经反馈过了/);
    const d = await fresh(c);
    expect(d.workflow.supervision).toMatchObject({ answer: '已查明管道堵塞，正在更换。', answeredBy: '李文' });
    expect(d.history.map((h) => h.action)).toEqual(['registered', 'instructed', 'accepted', 'supervised', 'extended', 'urged', 'supervision-answered']);
  });

  it('binds the 督办单 into the volume', async () => {
    await on('2026-12-01').reply(who, await fresh(c), { outcome: '予以支持', facts: '供暖主管道已更换，室温达标。' });
    await on('2026-12-02').close(who, await fresh(c));
    const bound = await office.binding.bindCase(who, await fresh(c));
    const volume = squeeze((await readPdf(office.paths.absolute(bound.path))).pages.map((p) => p.text).join(''));
    expect(volume).toContain('信访事项督办单');
    expect(volume).toContain('信访事项催办单');
  });
});
