import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/domain/settings.js';
import { statsOfCases } from '../../src/domain/reports/stats.js';
import { ledgerRows } from '../../src/domain/reports/ledger.js';
import { monthPeriod, rangePeriod, yearPeriod } from '../../src/domain/reports/periods.js';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { EMPTY_WORKFLOW, type CaseStatus, type Workflow } from '../../src/domain/workflow.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

/** Local (Beijing) time. */
const bj = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const iso = (day: string) => bj(day).toISOString();
const squeeze = (s: string) => s.replace(/\s+/g, '');

let root: string;
let settings: Settings;
let office: Office;
const now = bj('2026-12-05');

function add(name: string, phone: string, category: string, received: Date, matter: string, extra: { signatories?: number } = {}): Promise<Case> {
  const signatories = extra.signatories === undefined ? {} : { signatories: String(extra.signatories) };
  return office.cases.register({ name: '系统' }, { channel: '来访', matter, fields: { name, phone, category, handlingType: '申诉求决类', ...signatories }, receivedAt: received });
}

/** Sets a case's workflow as the steps would, without making their documents. */
async function advance(c: Case, status: CaseStatus, w: Partial<Workflow>): Promise<void> {
  const workflow = { ...EMPTY_WORKFLOW, instruction: { leader: '张主任', text: '请核实处理', handler: '李文', at: c.receivedAt, due: null }, ...w };
  await office.store.applyStep(c.id, ['registered'], { status, workflow }, { at: c.receivedAt, actor: 'test', action: 'closed', detail: 'test' }, []);
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root);
  settings = office.settings;
  // The year boundary: 23:30 and 00:30 Beijing time are both 31 December in UTC.
  await add('孙一', '13900000011', '其他', bj('2025-12-31', '23:30'), '询问社区活动室开放时间。');
  await add('孙二', '13900000012', '其他', bj('2026-01-01', '00:30'), '建议增加小区健身器材。');
  const h = await add('李建国', '13900000002', '物业管理', bj('2026-03-10'), '电梯年检过期，物业不理。');
  await advance(h, 'closed', { acceptedAt: iso('2026-03-12'), outcome: '予以支持', facts: '已年检', repliedAt: iso('2026-04-01'), closedAt: iso('2026-04-02') });
  const f = await add('周七', '13900000007', '环境保护', bj('2026-10-05'), '河道垃圾漂浮发臭。');
  await advance(f, 'closed', { acceptedAt: iso('2026-10-08'), outcome: '解释说明', facts: '已清理', repliedAt: iso('2026-10-20'), closedAt: iso('2026-10-21') });
  // November.
  const a = await add('王秀兰', '13900000001', '环境保护', bj('2026-11-02'), '楼下烧烤店油烟噪音扰民。');
  await advance(a, 'closed', { acceptedAt: iso('2026-11-05'), outcome: '予以支持', facts: '已整改', repliedAt: iso('2026-11-20'), closedAt: iso('2026-11-21') });
  await add('王秀兰', '13900000001', '环境保护', bj('2026-11-10'), '又来反映：烧烤店夜里仍然营业到凌晨。');
  await add('李建国', '13900000002', '物业管理', bj('2026-11-01'), '小区门禁坏了一个月没人修。');
  const d = await add('赵六', '13900000006', '城乡建设', bj('2026-11-03'), '隔壁私搭乱建占用消防通道。');
  await advance(d, 'closed', { declinedAt: iso('2026-11-25'), declineReason: '已由城管立案', closedAt: iso('2026-11-26') });
  await add('钱八', '13900000008', '邻里纠纷', bj('2026-11-15'), '楼上漏水多次协商不成，再不处理就去跳楼。', { signatories: 6 });
}, 60_000);
afterAll(() => office.close());

describe('the figures of a month, against a registry with known answers', () => {
  it('counts by category, channel, handling type and status', async () => {
    const s = statsOfCases(await office.cases.list(), monthPeriod('2026-11'), settings, now);
    expect(s.total).toBe(5);
    expect(s.asOf).toBe('2026-11-30');
    const nonZero = (rows: { name: string; count: number }[]) => Object.fromEntries(rows.filter((r) => r.count).map((r) => [r.name, r.count]));
    expect(nonZero(s.byCategory)).toEqual({ 环境保护: 2, 物业管理: 1, 城乡建设: 1, 邻里纠纷: 1 });
    expect(nonZero(s.byChannel)).toEqual({ 来访: 5 });
    expect(nonZero(s.byHandlingType)).toEqual({ 申诉求决类: 5 });
    expect(nonZero(s.byStatus)).toEqual({ 已登记: 3, 已办结: 2 });
  });

  it('gives the closure rate of first petitions and the on-time rate', async () => {
    const s = statsOfCases(await office.cases.list(), monthPeriod('2026-11'), settings, now);
    // Repeats: 王秀兰's second letter, 李建国's (he wrote in March). First: 王秀兰 (closed), 赵六 (closed), 钱八.
    expect(s.firstPetitions).toEqual({ total: 3, closed: 2, rate: 0.667 });
    // Answered: 王秀兰 on time; 赵六 declined on 25 November, after the notify deadline of 18 November.
    expect(s.onTime).toMatchObject({ answered: 2, onTime: 1, late: 1, rate: 0.5 });
    // The cases behind the two figures, for the statistics page's links.
    const byNumber = new Map((await office.cases.list()).map((c) => [c.number, c.fields.name]));
    expect(s.onTime.onTimeCases.map((n) => byNumber.get(n))).toEqual(['王秀兰']);
    expect(s.onTime.lateCases.map((n) => byNumber.get(n))).toEqual(['赵六']);
  });

  it('lists overdue cases, people who wrote again, group and urgent petitions, rising categories', async () => {
    const s = statsOfCases(await office.cases.list(), monthPeriod('2026-11'), settings, now);
    // Open cases whose deadline had passed by the end of November, from any earlier month too, latest first.
    expect(s.overdue.map((o) => [o.number, o.deadline, o.daysLate])).toEqual([
      ['八宝信〔2025〕1号', '2026-01-15', 319],
      ['八宝信〔2026〕1号', '2026-01-16', 318],
      ['八宝信〔2026〕6号', '2026-11-16', 14],
      ['八宝信〔2026〕5号', '2026-11-25', 5],
    ]);
    expect(s.repeatPeople.map((p) => [p.name, p.count, p.inPeriod]).sort()).toEqual([
      ['李建国', 2, 1],
      ['王秀兰', 2, 2],
    ]);
    expect(s.group).toEqual({ count: 1, cases: ['八宝信〔2026〕8号'] });
    expect(s.urgent).toEqual({ count: 1, cases: ['八宝信〔2026〕8号'] });
    expect(s.rising.map((r) => [r.category, r.before, r.now]).sort()).toEqual([
      ['城乡建设', 0, 1],
      ['物业管理', 0, 1],
      ['环境保护', 1, 2],
      ['邻里纠纷', 0, 1],
    ]);
    expect(s.byMonth.filter((m) => m.count)).toEqual([
      { month: '2025-12', count: 1 },
      { month: '2026-01', count: 1 },
      { month: '2026-03', count: 1 },
      { month: '2026-10', count: 1 },
      { month: '2026-11', count: 5 },
    ]);
  });

  it('puts a petition into the month and year of its local day across the year boundary', async () => {
    const all = await office.cases.list();
    expect(statsOfCases(all, monthPeriod('2025-12'), settings, now).total).toBe(1);
    expect(statsOfCases(all, monthPeriod('2026-01'), settings, now).total).toBe(1);
    expect(statsOfCases(all, yearPeriod('2025'), settings, now).total).toBe(1);
    expect(statsOfCases(all, yearPeriod('2026'), settings, now).total).toBe(8);
    expect(statsOfCases(all, rangePeriod('2025-12-31', '2026-01-01'), settings, now).total).toBe(2);
  });

  it('reports a month with no letters as zeros, with no rate to give', async () => {
    const s = statsOfCases(await office.cases.list(), monthPeriod('2026-02'), settings, now);
    expect(s.total).toBe(0);
    expect(s.firstPetitions).toEqual({ total: 0, closed: 0, rate: null });
    expect(s.onTime.rate).toBeNull();
    expect(s.byCategory.every((c) => c.count === 0)).toBe(true);
  });
});

describe('the dispute screening ledger', () => {
  it('lists the month\'s disputes with their risk, and nothing for a quiet month', async () => {
    const rows = ledgerRows(await office.cases.list(), monthPeriod('2026-11'), settings);
    expect(rows.map((r) => [r.caseNumber, r.type, r.risk])).toEqual([
      ['八宝信〔2026〕6号', '物业管理', '中'],
      ['八宝信〔2026〕7号', '城乡建设', '低'],
      ['八宝信〔2026〕8号', '邻里纠纷', '高'],
    ]);
    expect(rows[2]!.parties).toBe('钱八等6人');
    expect(ledgerRows(await office.cases.list(), monthPeriod('2026-02'), settings)).toEqual([]);
  });
});

describe('the CLI, the report and the ledger as documents', () => {
  const cli = (args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: now.toISOString() });

  it('prints every number as JSON and writes the report with its charts as PDF and DOCX', async () => {
    const r = cli(['--json', 'stats', '--month', '2026-11', '--report']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { total: number; firstPetitions: { rate: number }; files: string[] };
    expect(out.total).toBe(5);
    expect(out.firstPetitions.rate).toBe(0.667);
    const pdf = await readPdf(path.join(root, out.files[0]!));
    expect(pdf.raw.includes('pdfaid:part')).toBe(true);
    const text = squeeze(pdf.pages.map((p) => p.text).join(''));
    for (const words of ['信访工作统计报告', '初信初访办结率66.7%', '按期办结率50.0%', '八宝信〔2026〕6号', '各类别件数', '按期与超期', '各月登记件数', '王秀兰']) expect(text).toContain(words);
    // Charts are vector drawings, not pictures: no image in the PDF.
    expect(pdf.raw.includes('/Subtype /Image')).toBe(false);
    const zip = await JSZip.loadAsync(readFileSync(path.join(root, out.files[1]!)));
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media.some((f) => f.endsWith('.svg'))).toBe(true);
    expect(media.some((f) => f.endsWith('.png'))).toBe(true);
    const documentXml = await zip.file('word/document.xml')!.async('string');
    expect(documentXml).toContain('w:tblHeader');

    // The comparison with October: every category has a number for both months, 0 where none came.
    const october = { 环境保护: 1 } as Record<string, number>;
    const november = { 环境保护: 2, 物业管理: 1, 城乡建设: 1, 邻里纠纷: 1 } as Record<string, number>;
    const expected = settings.categories.map((c) => [c.name, String(november[c.name] ?? 0), String(october[c.name] ?? 0)]);
    const tablePage = pdf.pages.find((p) => p.items.some((i) => i.str === '上期件数'))!;
    const pdfRows = settings.categories.map((c) => {
      const name = tablePage.items.find((i) => i.upright && i.str === c.name)!;
      return [c.name, ...tablePage.items.filter((i) => i.upright && i.str.trim() && Math.abs(i.y - name.y) < 1 && i.x > name.x).sort((a, b) => a.x - b.x).map((i) => i.str)];
    });
    expect(pdfRows).toEqual(expected);
    const table = documentXml.match(/<w:tbl>(?:(?!<\/w:tbl>).)*上期件数.*?<\/w:tbl>/s)![0];
    const docxRows = (table.match(/<w:tr[ >].*?<\/w:tr>/gs) ?? []).slice(1).map((tr) => (tr.match(/<w:tc>.*?<\/w:tc>/gs) ?? []).map((tc) => [...tc.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')));
    expect(docxRows).toEqual(expected);
  });

  it('writes the ledger, and a signed zero report for a month with nothing found', async () => {
    const r = cli(['--json', 'ledger', '--month', '2026-11']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { files: string[]; zeroReport: boolean };
    expect(out.zeroReport).toBe(false);
    const pdf = await readPdf(path.join(root, out.files[0]!));
    expect(pdf.pages[0]!.width).toBeGreaterThan(pdf.pages[0]!.height);
    const text = squeeze(pdf.pages.map((p) => p.text).join(''));
    for (const column of ['排查日期', '区域或单位', '排查人', '纠纷类型', '当事人', '基本情况', '风险等级', '责任人或包案领导', '化解措施', '化解时限', '化解结果']) expect(text).toContain(column);
    const zero = JSON.parse(cli(['--json', 'ledger', '--month', '2026-02']).stdout) as { files: string[]; zeroReport: boolean };
    expect(zero.zeroReport).toBe(true);
    const zeroText = squeeze((await readPdf(path.join(root, zero.files[0]!))).pages.map((p) => p.text).join(''));
    expect(zeroText).toContain('2026年2月，本单位经排查，未发现矛盾纠纷，特此零报告。');
    expect(zeroText).toContain('八宝社区居民委员会');
    expect(cli(['stats', '--month', '2026-13']).status).toBe(2);
  });
});
