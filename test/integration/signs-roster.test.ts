/**
 * Informants' reports of early signs (信息员, 苗头) and the leading group's duty roster and
 * contact list (值班, 通讯录), through the CLI (as the office's terminal runs it) and the services,
 * on a real SQLite registry: the report numbers gapless per year and apart from the cases; a
 * report turned into a linked case, another closed with what was done; the ledger's lines; the
 * leaders' alert and the hook naming who is on duty; the roster printed and read back from its PDF
 * and DOCX.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYaml, stringifyYaml } from '../../src/adapters/yaml/yaml.js';
import type { Office } from '../../src/app.js';
import type { Actor } from '../../src/domain/case.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const squeeze = (s: string) => s.replace(/\s+/g, '');
const leader: Actor = { name: '张主任', role: '领导' };
const clerk: Actor = { name: '刘芳', role: '登记员' };
let root: string;
let hookOut: string;
const cli = (day: string, ...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: new Date(`${day}T10:00:00+08:00`).toISOString() });
const json = (day: string, ...args: string[]) => {
  const r = cli(day, '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};
const docxText = async (file: string) => squeeze((await (await JSZip.loadAsync(readFileSync(file))).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ''));

/** Writes what the hook is given (its standard input and the environment) to the file named first. */
const RECORDER = `
const { appendFileSync } = require('node:fs');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => appendFileSync(process.argv[2], JSON.stringify({ input: JSON.parse(input), onDuty: process.env.XINFANG_ALERT_ON_DUTY }) + '\\n'));
`;
const hooked = () => (existsSync(hookOut) ? readFileSync(hookOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { input: Record<string, unknown>; onDuty: string }) : []);

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  const script = path.join(root, 'hook.cjs');
  hookOut = path.join(root, 'hook-out.jsonl');
  writeFileSync(script, RECORDER);
  const settingsFile = path.join(root, 'pipeline', 'settings.yaml');
  const settings = parseYaml(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(settingsFile, stringifyYaml({ ...settings, alerts: { command: [process.execPath, script, hookOut], commandTimeoutSeconds: 10 } }));
}, 60_000);

describe('the duty roster and contact list (值班, 通讯录)', () => {
  it('keeps the roster and contacts from the CLI, and says who is on duty, the phone from the contacts when the roster has none', () => {
    json('2026-12-01', 'contact', 'set', '张主任', '--post', '党委书记、领导小组组长', '--phone', '010-62340001', '--phone', '13800000001');
    json('2026-12-01', 'contact', 'set', '李副主任', '--post', '副组长', '--phone', '13900000002');
    json('2026-12-01', 'contact', 'set', '临时', '--post', '联络员', '--phone', '13700000003');
    json('2026-12-01', 'contact', 'remove', '临时');
    // Setting a contact again changes the post and phones, not a second line.
    json('2026-12-01', 'contact', 'set', '李副主任', '--post', '副组长', '--phone', '13900000002,010-62340002');
    const contacts = json('2026-12-01', 'contact', 'list');
    expect(contacts.map((c: { name: string; phones: string[] }) => `${c.name}:${c.phones.join('/')}`)).toEqual(['张主任:010-62340001/13800000001', '李副主任:13900000002/010-62340002']);

    json('2026-12-01', 'roster', 'set', '--day', '2026-12-02', '--person', '张主任', '--post', '带班领导');
    json('2026-12-01', 'roster', 'set', '--day', '2026-12-02', '--person', '王值班', '--post', '值班员', '--phone', '13600000009');
    json('2026-12-01', 'roster', 'set', '--day', '2026年12月3日', '--person', '李副主任', '--post', '带班领导');
    const wrong = json('2026-12-01', 'roster', 'set', '--day', '2026-12-04', '--person', '错排');
    json('2026-12-01', 'roster', 'remove', String(wrong.id));
    const bad = cli('2026-12-01', 'roster', 'set', '--day', '2026-12-32', '--person', '张主任');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('日期“2026-12-32”看不懂');
    expect(json('2026-12-01', 'roster', 'list', '--month', '2026-12').map((s: { day: string; person: string }) => `${s.day}${s.person}`)).toEqual(['2026-12-02张主任', '2026-12-02王值班', '2026-12-03李副主任']);
    const today = cli('2026-12-02', 'roster', 'today');
    expect(today.status).toBe(0);
    expect(today.stdout).toContain('2026年12月2日值班：张主任（010-62340001）、王值班（13600000009）');
    expect(cli('2026-12-05', 'roster', 'today').stdout).toContain('没有安排值班');
  });

  it('prints the month’s roster and the contact list as PDF and DOCX', async () => {
    const printed = json('2026-12-01', 'roster', 'print', '--month', '2026-12');
    expect(printed.files).toEqual(['archive/报表/值班表和通讯录_2026-12.pdf', 'archive/报表/值班表和通讯录_2026-12.docx']);
    const pdf = await readPdf(path.join(root, printed.files[0]));
    const text = squeeze(pdf.pages.map((p) => p.text).join(''));
    for (const words of ['值班表和通讯录', '（2026年12月）', '一、值班安排', '2026年12月2日', '星期三', '张主任', '带班领导', '010-62340001', '王值班', '13600000009', '2026年12月3日', '星期四', '李副主任', '二、领导小组通讯录（24小时）', '党委书记、领导小组组长', '13900000002、010-62340002']) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain('错排');
    expect(text.indexOf('王值班')).toBeLessThan(text.indexOf('李副主任'));
    const docx = await docxText(path.join(root, printed.files[1]));
    for (const words of ['值班表和通讯录', '一、值班安排', '2026年12月2日', '王值班', '13600000009', '二、领导小组通讯录（24小时）', '党委书记、领导小组组长', '010-62340001、13800000001']) expect(docx).toContain(words);
  }, 120_000);
});

describe('informants’ reports of early signs (信息员, 苗头)', () => {
  let office: Office;
  afterAll(async () => {
    await office?.alerts.idle();
    await office?.close();
  });

  it('numbers reports on their own counter, gapless per year, and tells the leaders naming who is on duty', async () => {
    const first = json('2026-12-02', 'sign-report', 'add', '--place', '幸福里小区3号楼', '--people', '十余户业主', '--matter', '业主商量周末去区政府门口拉横幅讨要维修基金', '--risk', '高', '--reporter', '赵信息员', '--by', '刘芳');
    expect(first.number).toBe('八宝信息〔2026〕1号');
    expect(first.source).toBe('电话');
    const refused = cli('2026-12-02', 'sign-report', 'add', '--place', '某处', '--people', '某人', '--matter', '某事', '--risk', '特高', '--reporter', '赵信息员', '--by', '刘芳');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('风险等级“特高”不对：只能是 低、中、高 之一');
    const second = json('2026-12-02', 'sign-report', 'add', '--place', '八宝建材公司', '--people', '二十名工人', '--matter', '工资拖欠三个月，工人议论要集体停工', '--risk', '中', '--reporter', '钱信息员', '--by', '刘芳');
    expect(second.number).toBe('八宝信息〔2026〕2号');
    const next = json('2027-01-04', 'sign-report', 'add', '--place', '东街菜市场', '--people', '摊贩', '--matter', '摊位费上涨，摊贩酝酿罢市', '--risk', '低', '--reporter', '孙信息员', '--by', '刘芳');
    expect(next.number).toBe('八宝信息〔2027〕1号');

    // The leaders' alert: in the list (the banner reads the same), the hook's data, naming who was on duty that day.
    office = await officeAt(root, { clock: () => new Date('2026-12-02T03:00:00Z'), background: 'none' });
    const { alerts } = await office.alerts.list(leader);
    const signAlerts = alerts.filter((a) => a.kind === 'sign');
    expect(signAlerts.map((a) => a.case.number)).toEqual(['八宝信息〔2027〕1号', '八宝信息〔2026〕2号', '八宝信息〔2026〕1号']);
    const alert = signAlerts[2]!;
    expect(alert.caseId).toBeNull();
    expect(alert.onDuty).toEqual([{ name: '张主任', phone: '010-62340001' }, { name: '王值班', phone: '13600000009' }]);
    expect((await office.alerts.list(clerk)).alerts.some((a) => a.kind === 'sign')).toBe(false);
    const hook = hooked().find((h) => (h.input.sign as { number?: string } | null)?.number === '八宝信息〔2026〕1号')!;
    expect(hook.input).toMatchObject({ kind: 'sign', label: '苗头信息', case: null, sign: { place: '幸福里小区3号楼', risk: '高', reporter: '赵信息员' }, onDuty: [{ name: '张主任' }, { name: '王值班' }] });
    expect(String(hook.input.text)).toContain('拉横幅');
    expect(String(hook.input.text)).toContain('今日值班：张主任（010-62340001）、王值班（13600000009）');
    expect(hook.onDuty).toBe('张主任、王值班');
    // The engineers' log says the same.
    const logged = readFileSync(path.join(root, 'archive', 'logs', 'xinfang.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const raisedLine = logged.find((l) => l.msg === 'alert raised' && l.sign === '八宝信息〔2026〕1号')!;
    expect(raisedLine).toMatchObject({ kind: 'sign', case: null, onDuty: [{ name: '张主任', phone: '010-62340001' }, { name: '王值班', phone: '13600000009' }] });
    // No case was numbered: the first case of the year is still 1号.
    expect(await office.cases.list()).toEqual([]);
  }, 120_000);

  it('is gapless with several writers at once', async () => {
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) => office.signs.report(clerk, { place: `第${i}网格`, people: '居民', matter: '议论聚集', risk: '低', reporter: `信息员${i}`, reportedAt: '2026-12-02 08:00' })),
    );
    const seqs = made.map((s) => s.seq).sort((a, b) => a - b);
    expect(seqs).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(made.map((s) => s.number)).size).toBe(8);
  });

  it('tells a report whose alert a stop cut off at the next check, once', async () => {
    const cut = await office.store.addSignReport(
      { source: '电话', place: '南街', people: '住户', matter: '停电三天住户议论堵路', risk: '中', reporter: '李信息员', reportedAt: '2026-12-02T02:30:00.000Z', by: '刘芳', at: '2026-12-02T02:30:00.000Z', year: 2026 },
      (year, seq) => `八宝信息〔${year}〕${seq}号`,
    );
    expect((await office.alerts.list(leader)).alerts.some((a) => a.signId === cut.id)).toBe(false);
    const raised = await office.alerts.check();
    expect(raised.filter((a) => a.kind === 'sign').map((a) => a.case.number)).toEqual([cut.number]);
    expect(raised[0]!.onDuty.map((p) => p.name)).toEqual(['张主任', '王值班']);
    expect((await office.alerts.check()).filter((a) => a.kind === 'sign')).toEqual([]);
  });

  it('turns a report into a case registered through the registering service, linked both ways', async () => {
    const done = json('2026-12-02', 'sign-report', 'to-case', '八宝信息〔2026〕1号', '--name', '周业主', '--phone', '13512345678', '--by', '刘芳');
    expect(done.case.number).toBe('八宝信〔2026〕1号');
    const c = await office.cases.find(done.case.number);
    expect(c.channel).toBe('电话');
    expect(c.fields.name).toBe('周业主');
    expect(c.ocrText).toContain('八宝信息〔2026〕1号');
    expect(c.ocrText).toContain('拉横幅');
    // Registered as any case: an urgent word raises the case's own urgent alert, which names who is on duty too.
    expect(c.flags).toContain('urgent');
    const urgent = (await office.alerts.list(leader)).alerts.find((a) => a.kind === 'urgent' && a.caseId === c.id)!;
    expect(urgent.onDuty.map((p) => p.name)).toEqual(['张主任', '王值班']);
    const shown = json('2026-12-02', 'sign-report', 'show', '2026-1');
    expect(shown).toMatchObject({ status: 'case', caseNumber: '八宝信〔2026〕1号', closedBy: '刘芳' });
    const again = cli('2026-12-02', 'sign-report', 'close', '2026-1', '--done', '再办一次', '--by', '刘芳');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('已转为信访案件（八宝信〔2026〕1号），不能再转为案件或办结');
    expect((await office.cases.list()).map((x) => x.number)).toEqual(['八宝信〔2026〕1号']);
  }, 60_000);

  it('closes a report with what was done', () => {
    const missing = cli('2026-12-03', 'sign-report', 'close', '2026-2', '--done', ' ', '--by', '刘芳');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('请写明处理情况');
    const closed = json('2026-12-03', 'sign-report', 'close', '2026-2', '--done', '已约谈企业负责人，承诺本月15日前补发工资', '--by', '李副主任');
    expect(closed).toMatchObject({ status: 'closed', outcome: '已约谈企业负责人，承诺本月15日前补发工资', closedBy: '李副主任', caseId: null });
    const shown = cli('2026-12-03', 'sign-report', 'show', '八宝信息〔2026〕2号');
    expect(shown.stdout).toContain('处置情况：已约谈企业负责人');
    const open = json('2026-12-03', 'sign-report', 'list', '--status', '待处置');
    expect(open.map((s: { number: string }) => s.number)).not.toContain('八宝信息〔2026〕2号');
    expect(open.map((s: { number: string }) => s.number)).toContain('八宝信息〔2027〕1号');
  });

  it('puts the month’s reports in the dispute ledger', async () => {
    const ledger = json('2026-12-03', 'ledger', '--month', '2026-12');
    const rows = ledger.rows as { type: string; area: string; risk: string; result: string; measures: string; caseNumber: string; situation: string }[];
    const signRows = rows.filter((r) => r.type === '苗头信息');
    expect(signRows).toHaveLength(11);
    expect(signRows.find((r) => r.situation.includes('八宝信息〔2026〕1号'))).toMatchObject({ area: '幸福里小区3号楼', risk: '高', caseNumber: '八宝信〔2026〕1号', result: '已转为案件 八宝信〔2026〕1号' });
    expect(signRows.find((r) => r.situation.includes('八宝信息〔2026〕2号'))).toMatchObject({ risk: '中', result: '已办结', measures: '已约谈企业负责人，承诺本月15日前补发工资' });
    expect(rows.some((r) => r.situation.includes('罢市'))).toBe(false);
    const pdf = await readPdf(path.join(root, ledger.files[0]));
    const text = squeeze(pdf.pages.map((p) => p.text).join(''));
    expect(text).toContain('苗头信息');
    expect(text).toContain('幸福里小区3号楼');
    const january = (await office.reports.ledgerRowsAs(leader, monthPeriod('2027-01'))).filter((r) => r.type === '苗头信息');
    expect(january.map((r) => r.area)).toEqual(['东街菜市场']);
  }, 120_000);
});
