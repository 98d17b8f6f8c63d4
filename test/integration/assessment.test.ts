/**
 * The assessment (考核) against a real registry: cases registered and taken through the workflow by
 * the services (handlers named, closed on time and late, a repeat after closing, 包案), a cadre's
 * linked units and screenings; the figures recomputed here from the case list, the report read back
 * from its PDF text and DOCX XML, the CLI's table and files, and the page over HTTP with roles and
 * every count's link to exactly its cases.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { localDate } from '../../src/domain/calendar.js';
import type { Case } from '../../src/domain/case.js';
import { dueState } from '../../src/domain/deadlines.js';
import type { AssessmentRow } from '../../src/domain/reports/assessment.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { answeredOnTime } from '../../src/domain/reports/stats.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { signedInVisitor } from '../helpers/visitor.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const TZ = 'Asia/Shanghai';
const PASSWORD = 'xinfang-2026';
const terminal = { name: '管理员（终端）' };
const clerk = { name: '刘芳' };
const squeeze = (s: string) => s.replace(/\s+/g, '');
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');

let root: string;
let office: Office;
let app: FastifyInstance;
let now = new Date('2026-08-01T10:00:00+08:00');
const on = (day: string) => {
  now = new Date(`${day}T10:00:00+08:00`);
  return office;
};
const REPORT_DAY = '2026-12-05';

const numbers: Record<string, string> = {};

async function petition(key: string, day: string, name: string, phone: string, matter: string): Promise<void> {
  numbers[key] = (await on(day).cases.register(terminal, { channel: '来信', matter, fields: { name, phone, category: '物业管理' }, receivedAt: `${day} 09:30` })).number;
}
const find = (key: string) => office.cases.find(numbers[key]!);
async function instruct(key: string, day: string, handler: string): Promise<void> {
  await on(day).workflow.instruct(clerk, await find(key), { leader: '张主任', text: '请核实处理', handler });
}
async function accept(key: string, day: string): Promise<void> {
  await on(day).workflow.accept(clerk, await find(key));
}
async function replyAndClose(key: string, replied: string, closed: string): Promise<void> {
  await on(replied).workflow.reply(clerk, await find(key), { outcome: '予以支持', facts: '经核实，已协调解决。' });
  await on(closed).workflow.close(clerk, await find(key));
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  // 王强: an accepted case past its handling deadline, 包案 by 张主任.
  await petition('overdue', '2026-08-01', '赵六', '13900000006', '小区消防通道被长期占用，物业不管。');
  await instruct('overdue', '2026-08-02', '王强');
  await accept('overdue', '2026-08-05');
  await on('2026-08-06').duties.takeCase(terminal, await find('overdue'), '张主任');
  // 李文: a case closed in October, whose petitioner writes again in November (a repeat after closing).
  await petition('closedBefore', '2026-08-10', '钱八', '13900000008', '楼上漏水，多次协商不成。');
  await instruct('closedBefore', '2026-08-11', '李文');
  await accept('closedBefore', '2026-08-12');
  await replyAndClose('closedBefore', '2026-10-10', '2026-10-15');
  // 李文: accepted after the notify deadline (15 days), closed in November: late.
  await petition('late', '2026-09-01', '李建国', '13900000002', '电梯年检过期，物业不理。');
  await instruct('late', '2026-09-02', '李文');
  await accept('late', '2026-09-25');
  await replyAndClose('late', '2026-11-05', '2026-11-06');
  // 李文: on time, closed in November.
  await petition('onTime', '2026-10-20', '王秀兰', '13900000001', '楼下烧烤店油烟扰民。');
  await instruct('onTime', '2026-10-21', '李文');
  await accept('onTime', '2026-10-22');
  await replyAndClose('onTime', '2026-11-10', '2026-11-11');
  await on('2026-11-13').workflow.visit(clerk, await find('onTime'), { how: '电话', result: '满意' });
  // 王强: declined after the notify deadline, closed in November: late.
  await petition('declinedLate', '2026-11-03', '孙九', '13900000009', '要求物业退还多收的停车费。');
  await instruct('declinedLate', '2026-11-04', '王强');
  await on('2026-11-25').workflow.decline(clerk, await find('declinedLate'), { reason: '已由区价格主管部门受理' });
  await on('2026-11-26').workflow.close(clerk, await find('declinedLate'));
  // The repeat, and a case of 王强 still within its notify deadline.
  await petition('repeat', '2026-11-12', '钱八', '13900000008', '又来反映：楼上漏水仍未修好。');
  await petition('inTime', '2026-11-20', '周七', '13900000007', '小区门禁坏了没人修。');
  await instruct('inTime', '2026-11-21', '王强');
  // 一岗双责: 张明 linked to two units, screened one of them in November (a zero report).
  on('2026-10-01');
  await office.duties.link(terminal, { cadre: '张明', unit: '幸福里物业' });
  await office.duties.link(terminal, { cadre: '张明', unit: '八宝建材公司', kind: '企业' });
  await on('2026-11-03').duties.recordScreening(terminal, { cadre: '张明', unit: '幸福里物业', day: '2026-11-03' });
  for (const [name, role] of [['张主任', '领导'], ['刘芳', '登记员'], ['李文', '经办人'], ['王档', '档案员'], ['管理', '管理员']] as const) {
    await office.users.add(terminal, { name, role, password: PASSWORD });
  }
  on(REPORT_DAY);
  app = await buildWebServer(office);
}, 240_000);

afterAll(async () => {
  await app?.close();
  await office?.close();
});

/**
 * The figures worked out again here from the full case list, the rules written out plainly: in
 * hand in November (received by its end, not closed before it began), closed in it on time or
 * late, or open at its end and past a deadline then (no step was taken after November).
 */
function recomputed(all: Case[], person: string) {
  const day = (iso: string) => localDate(iso, TZ);
  const mine = (c: Case) => c.workflow.instruction?.handler === person || c.caseLeader?.leader === person;
  const handled = all.filter((c) => mine(c) && !c.workflow.returnedAt && day(c.receivedAt) <= '2026-11-30' && (!c.workflow.closedAt || day(c.workflow.closedAt) >= '2026-11-01'));
  const closed = handled.filter((c) => c.workflow.closedAt && day(c.workflow.closedAt) <= '2026-11-30');
  const open = handled.filter((c) => !closed.includes(c));
  const overdue = open.filter((c) => (dueState(c, office.settings, new Date('2026-11-30T12:00:00Z'))?.days ?? 0) < 0);
  const byNumber = new Map(all.map((c) => [c.number, c]));
  const repeats = all.filter((c) => {
    const earlier = c.repeatOf ? byNumber.get(c.repeatOf) : undefined;
    return earlier && mine(earlier) && earlier.workflow.closedAt && earlier.workflow.closedAt < c.receivedAt && day(c.receivedAt) >= '2026-11-01' && day(c.receivedAt) <= '2026-11-30';
  });
  const n = (cs: Case[]) => cs.map((c) => c.number);
  return {
    handled: n(handled),
    closedOnTime: n(closed.filter((c) => answeredOnTime(c, office.settings))),
    closedLate: n(closed.filter((c) => !answeredOnTime(c, office.settings))),
    openOverdue: n(overdue),
    openInTime: n(open.filter((c) => !overdue.includes(c))),
    repeats: n(repeats),
  };
}

describe('the assessment through the services', () => {
  it('gives each person the figures recomputed from the case list, adding up to the cases behind them', async () => {
    const a = await office.assessment.assess(terminal, monthPeriod('2026-11'));
    expect(a.asOf).toBe('2026-11-30');
    expect(a.rows.map((r) => r.name)).toEqual(['王强', '李文', '张主任', '张明']);
    const all = await office.cases.list();
    expect(all.find((c) => c.number === numbers.repeat)!.repeatOf).toBe(numbers.closedBefore);
    for (const r of a.rows) {
      const pick = ({ handled, closedOnTime, closedLate, openOverdue, openInTime, repeats }: AssessmentRow) => ({ handled, closedOnTime, closedLate, openOverdue, openInTime, repeats });
      expect(pick(r), r.name).toEqual(recomputed(all, r.name));
      expect(r.closedOnTime.length + r.closedLate.length + r.openOverdue.length + r.openInTime.length, r.name).toBe(r.handled.length);
    }
    const row = (name: string) => a.rows.find((r) => r.name === name)!;
    // The known answers, so the recomputation above cannot agree with a wrong rule by itself.
    expect(row('李文')).toMatchObject({ roles: ['经办人'], closedOnTime: [numbers.onTime], closedLate: [numbers.late], openOverdue: [], repeats: [numbers.repeat], onTimeRate: 0.5 });
    expect(row('王强')).toMatchObject({ closedOnTime: [], closedLate: [numbers.declinedLate], openOverdue: [numbers.overdue], openInTime: [numbers.inTime] });
    expect(row('张主任')).toMatchObject({ roles: ['包案领导'], handled: [numbers.overdue], openOverdue: [numbers.overdue] });
    expect(row('张明')).toMatchObject({ roles: ['挂钩干部'], handled: [], screenings: { done: 1, expected: 2, missing: [{ unit: '八宝建材公司', month: '2026年11月' }] } });
    // The on-time case's petitioner was called back and satisfied; the late one was not visited.
    expect(row('李文').satisfaction).toEqual({ evaluated: [{ name: '满意', count: 1 }], unvisited: [numbers.late] });
    expect(all.filter((c) => row('李文').closedOnTime.concat(row('李文').closedLate).includes(c.number)).map((c) => c.workflow.returnVisit?.result ?? null).sort()).toEqual(['满意', null].sort());
  });

  it('prints the report as PDF and DOCX whose table reads back with the same figures', async () => {
    const period = monthPeriod('2026-11');
    const pdf = await office.assessment.paper(terminal, period, 'pdf');
    expect(pdf.name).toBe('信访工作考核_2026-11.pdf');
    const read = await readPdf(pdf.bytes);
    expect(read.pages[0]!.width).toBeGreaterThan(read.pages[0]!.height);
    const text = squeeze(read.pages.map((p) => p.text).join(''));
    const docx = await office.assessment.paper(terminal, period, 'docx');
    const xml = squeeze((await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ''));
    const officeName = office.settings.office.name;
    for (const t of [text, xml]) {
      expect(t).toContain(`${officeName}信访工作考核情况`);
      expect(t).toContain('2026年11月，统计至2026年11月30日');
      // Each row as its cells run: name, roles, handled, on time, late, overdue, in time, rate, repeats, screenings, satisfaction.
      expect(t).toContain('王强经办人301110.0%0—未回访1');
      expect(t).toContain('李文经办人2110050.0%1—满意1、未回访1');
      expect(t).toContain('张主任包案领导10010—0——');
      expect(t).toContain('张明挂钩干部00000—01／2—');
      expect(t).toContain(numbers.declinedLate!);
      expect(t).toContain(numbers.repeat!);
      expect(t).toContain('张明：八宝建材公司（2026年11月）');
      expect(t).toContain('未回访');
      expect(t).toContain('2026年12月5日');
    }
  }, 60_000);

  it('is refused to every role but the leader', async () => {
    for (const role of ['经办人', '登记员', '档案员', '管理员'] as const) {
      await expect(office.assessment.assess({ name: 'x', role }, monthPeriod('2026-11'))).rejects.toMatchObject({ problem: { code: 'not-allowed' } });
    }
    expect((await office.assessment.assess({ name: '张主任', role: '领导' }, monthPeriod('2026-11'))).rows).toHaveLength(4);
  });
});

describe('xinfang assess', () => {
  const cli = (...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: new Date(`${REPORT_DAY}T10:00:00+08:00`).toISOString() });

  it('prints the table and writes the PDF and DOCX where asked', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'xinfang-assess-'));
    const r = cli('assess', '--month', '2026-11', '--pdf', path.join(out, '考核.pdf'), '--docx', path.join(out, '考核.docx'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('2026年11月考核情况（统计至 2026年11月30日）');
    expect(lines[1]).toMatch(/^姓名\s+身份\s+经办（包案）件数\s+按期办结\s+超期办结\s+未结超期\s+在办未超期\s+按期办结率\s+办结后重复信访/);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['王强', '经办人', '3', '0', '1', '1', '1', '0.0%', '0', '—', '未回访 1']);
    expect(lines[3]!.split(/\s{2,}/)).toEqual(['李文', '经办人', '2', '1', '1', '0', '0', '50.0%', '1', '—', '满意 1、未回访 1']);
    expect(r.stdout).toContain(`已生成：${path.join(out, '考核.pdf')}`);
    expect(existsSync(path.join(out, '考核.docx'))).toBe(true);
    expect(squeeze((await readPdf(path.join(out, '考核.pdf'))).pages.map((p) => p.text).join(''))).toContain('张明挂钩干部00000—01／2—');

    const json = cli('--json', 'assess', '--year', '2026');
    expect(json.status).toBe(0);
    const year = JSON.parse(json.stdout);
    expect(year.period.label).toBe('2026年');
    expect(year.rows.find((x: AssessmentRow) => x.name === '李文').closedOnTime).toHaveLength(2);

    const clash = cli('assess', '--month', '2026-11', '--year', '2026');
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain('只能用一种');
  }, 120_000);
});

describe('/assess over HTTP', () => {
  it('is the leader’s: others get 403 and no menu entry', async () => {
    for (const name of ['李文', '刘芳', '王档', '管理']) {
      const v = await signedInVisitor(app, name, PASSWORD);
      for (const url of ['/assess', '/assess?kind=year&year=2026', '/assess/download?kind=month&month=2026-11&format=pdf', '/cases?measure=assess&figure=handled&who=李文&mfrom=2026-11-01&mto=2026-11-30']) {
        expect((await v.get(encodeURI(url))).statusCode, `${name} ${url}`).toBe(403);
      }
      expect((await v.get('/')).body).not.toContain('href="/assess"');
    }
    const leader = await signedInVisitor(app, '张主任', PASSWORD);
    expect((await leader.get('/')).body).toContain('<a href="/assess">考核</a>');
  });

  it('shows the table with the period chooser, each count opening exactly the cases it counts', async () => {
    const v = await signedInVisitor(app, '张主任', PASSWORD);
    const page = await v.get('/assess?kind=month&month=2026-11');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026年11月（统计至 2026-11-30）');
    expect(page.body).toContain('name="kind" value="month" checked');
    const a = await office.assessment.assess(terminal, monthPeriod('2026-11'));
    const links = [...page.body.matchAll(/<a href="([^"]+)" data-figure="([\w-]+)">([^<]+)<\/a>/g)].map((m) => ({ href: unescape(m[1]!), figure: m[2]!, text: m[3]! }));
    // Five counts and the repeats per person, and the satisfaction of those with cases closed.
    expect(links.filter((l) => l.figure !== 'closed')).toHaveLength(a.rows.length * 6);
    expect(links.filter((l) => l.figure === 'closed').map((l) => l.text)).toEqual(['未回访 1', '满意 1、未回访 1']);
    for (const l of links) {
      const who = new URL(l.href, 'http://x').searchParams.get('who')!;
      const row = a.rows.find((r) => r.name === who)!;
      const expected = { handled: row.handled, 'on-time': row.closedOnTime, late: row.closedLate, overdue: row.openOverdue, open: row.openInTime, repeats: row.repeats, closed: [...row.closedOnTime, ...row.closedLate] }[l.figure]!;
      if (l.figure !== 'closed') expect(Number(l.text), `${who} ${l.figure}`).toBe(expected.length);
      const list = (await v.get(l.href)).body;
      expect(Number(/<h1>案件列表 <small>共 (\d+) 件<\/small>/.exec(list)?.[1]), `${who} ${l.figure}`).toBe(expected.length);
      for (const n of expected) expect(list, `${who} ${l.figure}`).toContain(n);
    }
    expect(page.body).toContain('张明：八宝建材公司（2026年11月）');
    // A bad period is worded, not a crash.
    const bad = await v.get('/assess?kind=month&month=2026-13');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('role="alert"');
  }, 120_000);

  it('downloads the report as PDF and DOCX', async () => {
    const v = await signedInVisitor(app, '张主任', PASSWORD);
    const pdf = await v.get('/assess/download?kind=year&year=2026&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(encodeURIComponent('信访工作考核_2026.pdf'));
    expect(squeeze((await readPdf(pdf.rawPayload)).pages.map((p) => p.text).join(''))).toContain('（2026年，统计至2026年12月5日）');
    const docx = await v.get('/assess/download?kind=range&from=2026-11-01&to=2026-11-30&format=docx');
    expect(docx.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(squeeze(xml.replace(/<[^>]+>/g, ''))).toContain('李文经办人2110050.0%1—满意1、未回访1');
  }, 60_000);
});
