/**
 * Leaders' reception days, 包案 and 一岗双责 through the CLI (as the office's terminal runs it) and
 * the services: the notice read back from its PDF and DOCX, the visit's receiving leader and the
 * 包案 leader in the case, the book, the ledger and the statistics; screenings and the list of
 * who has not screened, daily during a sensitive period.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const squeeze = (s: string) => s.replace(/\s+/g, '');
let root: string;
const cli = (day: string, ...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: new Date(`${day}T10:00:00+08:00`).toISOString() });
const json = (day: string, ...args: string[]) => {
  const r = cli(day, '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};
const docxText = async (file: string) => squeeze((await (await JSZip.loadAsync(readFileSync(file))).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ''));

beforeAll(async () => {
  root = await makeWorkspace({
    workflow: { blankSheets: false, contactPhone: '010-62345678' },
    duties: { links: [{ cadre: '张明', units: ['幸福里物业'], enterprises: ['八宝建材公司'] }], sensitivePeriods: [{ name: '重要会议期间', from: '2026-12-08', to: '2026-12-10' }] },
  });
}, 60_000);

describe('leaders’ reception days and 包案', () => {
  it('keeps the schedule and prints the notice for the notice board, PDF and DOCX', async () => {
    json('2026-12-01', 'reception', 'add', '--day', '2026-12-15', '--leader', '王主任', '--place', '社区一楼接待室', '--time', '9:00—12:00');
    json('2026-12-01', 'reception', 'add', '--day', '2026年12月3日', '--leader', '李书记', '--place', '社区党群服务中心', '--time', '14:30—17:30');
    const wrong = json('2026-12-01', 'reception', 'add', '--day', '2027-01-05', '--leader', '错安排', '--place', '某处', '--time', '上午');
    const bad = cli('2026-12-01', 'reception', 'add', '--day', '2026-12-32', '--leader', '王主任', '--place', '接待室', '--time', '上午');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('日期“2026-12-32”看不懂');
    json('2026-12-01', 'reception', 'remove', String(wrong.id));
    const list = json('2026-12-01', 'reception', 'list', '--month', '2026-12');
    expect(list.map((d: { day: string; leader: string }) => `${d.day}${d.leader}`)).toEqual(['2026-12-03李书记', '2026-12-15王主任']);
    expect(json('2026-12-01', 'reception', 'list', '--month', '2027-01')).toEqual([]);

    const notice = json('2026-12-01', 'reception', 'notice', '--month', '2026-12');
    expect(notice.files).toHaveLength(2);
    const pdf = await readPdf(path.join(root, notice.files[0]));
    const text = squeeze(pdf.pages.map((p) => p.text).join(''));
    for (const words of ['领导接访日安排', '为畅通群众诉求表达渠道', '2026年12月', '2026年12月3日', '星期四', '李书记', '社区党群服务中心', '2026年12月15日', '星期二', '王主任', '社区一楼接待室', '010-62345678']) expect(text).toContain(words);
    expect(text).not.toContain('错安排');
    expect(text.indexOf('李书记')).toBeLessThan(text.indexOf('王主任'));
    const docx = await docxText(path.join(root, notice.files[1]));
    for (const words of ['领导接访日安排', '为畅通群众诉求表达渠道', '李书记', '社区一楼接待室', '9:00—12:00', '14:30—17:30']) expect(docx).toContain(words);
  }, 120_000);

  it('registers a visit against the leader who received it; only a visit', () => {
    const visit = json('2026-12-03', 'register', '--channel', '来访', '--matter', '小区停车位被占用，物业不处理，请求协调', '--name', '赵六', '--leader', '李书记');
    expect(visit.receivedBy).toBe('李书记');
    const shown = cli('2026-12-03', 'show', visit.number);
    expect(shown.stdout).toContain('接访领导：李书记');
    const call = cli('2026-12-03', 'register', '--channel', '电话', '--matter', '路灯坏了', '--leader', '李书记');
    expect(call.status).toBe(2);
    expect(call.stderr).toContain('接访领导只用于来访');
    json('2026-12-04', 'register', '--channel', '来访', '--matter', '邻居装修噪音扰民，多次协商未果', '--name', '钱七');
  });

  it('a leader takes charge of a case (包案): on the case, in its history', () => {
    const taken = json('2026-12-05', 'take-case', '1', '--leader', '王主任', '--by', '刘芳');
    expect(taken.caseLeader).toMatchObject({ leader: '王主任', by: '刘芳' });
    const detail = json('2026-12-05', 'show', '1');
    expect(detail.caseLeader.leader).toBe('王主任');
    const shown = cli('2026-12-05', 'show', '1').stdout;
    expect(shown).toContain('包案领导：王主任');
    expect(shown).toContain('领导包案');
    expect(shown).toContain('王主任包案');
    // Another leader takes it over: the history says whose it was.
    json('2026-12-06', 'take-case', '1', '--leader', '李书记', '--by', '刘芳');
    expect(cli('2026-12-06', 'show', '1').stdout).toContain('李书记包案（原包案领导 王主任）');
  });
});

describe('一岗双责: links, screenings, the ledger', () => {
  it('seeds the links from the settings once, and the administrator adds and removes more', () => {
    expect(json('2026-12-01', 'duty', 'seed')).toHaveLength(2);
    expect(json('2026-12-01', 'duty', 'seed')).toHaveLength(0);
    json('2026-12-01', 'duty', 'link', '李红', '第一小学');
    json('2026-12-01', 'duty', 'link', '李红', '旧厂', '--kind', '企业');
    json('2026-12-01', 'duty', 'unlink', '李红', '旧厂');
    const links = json('2026-12-01', 'duty', 'links');
    expect(links.map((l: { cadre: string; unit: string; kind: string }) => `${l.cadre}${l.kind}${l.unit}`).sort()).toEqual(['张明企业八宝建材公司', '张明单位幸福里物业', '李红单位第一小学'].sort());
    const kind = cli('2026-12-01', 'duty', 'link', '李红', '某地', '--kind', '学校');
    expect(kind.status).toBe(2);
  });

  it('records screenings (a finding, a zero report) and lists who has not screened, daily in the sensitive period', () => {
    json('2026-12-08', 'duty', 'screen', '张明', '幸福里物业', '--zero');
    json('2026-12-08', 'duty', 'screen', '张明', '八宝建材公司', '--risk', '中', '--type', '劳动社保', '--situation', '12名工人反映被拖欠11月工资', '--parties', '王某等12人', '--measures', '约谈企业负责人');
    const notLinked = cli('2026-12-08', 'duty', 'screen', '张明', '第一小学', '--zero');
    expect(notLinked.status).toBe(1);
    expect(notLinked.stderr).toContain('张明 没有挂钩“第一小学”');
    const neither = cli('2026-12-08', 'duty', 'screen', '张明', '幸福里物业');
    expect(neither.status).toBe(2);

    const pending = json('2026-12-09', 'duty', 'pending', '--month', '2026-12');
    expect(pending.month).toEqual([{ cadre: '李红', unit: '第一小学', kind: '单位' }]);
    expect(pending.days.map((d: { day: string; missing: unknown[] }) => [d.day, d.missing.length])).toEqual([['2026-12-08', 1], ['2026-12-09', 3]]);
    const said = cli('2026-12-09', 'duty', 'pending', '--month', '2026-12').stdout;
    expect(said).toContain('2026年12月尚未排查：李红：第一小学。');
    expect(said).toContain('2026年12月9日（重要会议期间，每日排查）尚未排查：');
  });

  it('the month’s ledger holds the finding as a row, the zero report, and who has not screened', async () => {
    const ledger = json('2026-12-09', 'ledger', '--month', '2026-12');
    const found = ledger.rows.filter((r: { area: string }) => r.area === '八宝建材公司');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ checkedBy: '张明', risk: '中', situation: '12名工人反映被拖欠11月工资', caseNumber: '' });
    expect(ledger.duties.zeroReports.map((z: { unit: string }) => z.unit)).toEqual(['幸福里物业']);
    expect(ledger.duties.due.month).toEqual([{ cadre: '李红', unit: '第一小学', kind: '单位' }]);
    // The 包案 leader is named on the case's line.
    const caseRow = ledger.rows.find((r: { caseNumber: string }) => r.caseNumber.endsWith('1号'));
    expect(caseRow?.responsible).toContain('包案领导 李书记');
    const text = squeeze((await readPdf(path.join(root, ledger.files[0]))).pages.map((p) => p.text).join(''));
    for (const words of ['12名工人反映被拖欠11月工资', '一岗双责零报告', '未发现矛盾纠纷（零报告）', '本月尚未排查', '李红：第一小学', '敏感时期每日排查']) expect(text).toContain(words);
    expect(await docxText(path.join(root, ledger.files[1]))).toContain('李红：第一小学');
  }, 120_000);
});

describe('包案 and the receiving leader in the book and the statistics', () => {
  let office: Office;
  beforeAll(async () => {
    office = await officeAt(root, { clock: () => new Date('2026-12-10T02:00:00Z'), background: 'none' });
  });
  afterAll(() => office.close());

  it('the register book names both leaders', async () => {
    const book = await office.reports.bookPreview({ name: '档案员' }, 2026, 12, 50);
    const notes = book.rows.map((r) => r[r.length - 1]);
    expect(notes[0]).toContain('接访领导 李书记');
    expect(notes[0]).toContain('包案领导 李书记');
    expect(notes[1]).not.toContain('包案');
  });

  it('the statistics count cases per 包案 leader, as the case list adds up', async () => {
    const stats = await office.reports.stats(monthPeriod('2026-12'), { report: true });
    const cases = await office.cases.list();
    const expected = new Map<string, number>();
    for (const c of cases) if (c.caseLeader) expected.set(c.caseLeader.leader, (expected.get(c.caseLeader.leader) ?? 0) + 1);
    expect(stats.byCaseLeader).toEqual([...expected].map(([name, count]) => ({ name, count })));
    expect(stats.byCaseLeader).toEqual([{ name: '李书记', count: 1 }]);
    const text = squeeze((await readPdf(path.join(root, stats.files[0]!))).pages.map((p) => p.text).join(''));
    expect(text).toContain('九、领导包案');
    expect(text).toContain('李书记');
  }, 120_000);
});
