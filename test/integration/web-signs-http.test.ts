/**
 * Informants' reports (苗头信息) and the duty roster and contact list (值班通讯录) over HTTP: an
 * informant reports and sees only their own reports (another's is not found); a clerk turns one
 * into a case and a leader closes another; forms without the anti-forgery token are refused; the
 * wrong role gets 403; the roster is edited by a leader, not a clerk, and downloaded; the banner
 * names who is on duty; everything typed comes back escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Office } from '../../src/app.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { signedInVisitor, type Visitor } from '../helpers/visitor.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const PASSWORD = 'xinfang-2026';
let office: Office;
let app: FastifyInstance;
const terminal = { name: '终端' };

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => new Date('2026-12-09T02:00:00Z'), background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人'], ['赵信息', '信息员'], ['钱信息', '信息员'], ['管理', '管理员']] as const) {
    await office.users.add(terminal, { name, role, password: PASSWORD });
  }
  app = await buildWebServer(office);
}, 60_000);
afterAll(async () => {
  await app.close();
  await office.alerts.idle();
  await office.close();
});

const signIn = async (name: string) => {
  const v = await signedInVisitor(app, name, PASSWORD);
  return v;
};
const report = (v: Visitor, form: Record<string, string>) => v.post('/signs', { place: '幸福里小区', people: '十余户业主', matter: '商量去区政府门口聚集', risk: '高', ...form });

describe('informants’ reports of early signs in the browser', () => {
  let mine: string;
  let theirs: string;

  it('lets an informant report as themselves, landing them on the reports page, and shows only their own', async () => {
    const zhao = await signIn('赵信息');
    const desk = await zhao.get('/');
    expect(desk.statusCode).toBe(303);
    expect(desk.headers.location).toBe('/signs');
    const page = await zhao.get('/signs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('报告苗头信息');
    expect(page.body).not.toContain('name="reporter"');
    expect(page.body).not.toContain('href="/cases"');
    const r = await report(zhao, { matter: '业主商量<script>alert(1)</script>去区政府门口聚集', reporter: '冒名' });
    expect(r.statusCode).toBe(303);
    mine = r.headers.location as string;
    expect(mine).toBe('/signs/2026-1');
    const shown = await zhao.get(mine);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('八宝信息〔2026〕1号');
    expect(shown.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(shown.body).not.toContain('<script>alert(1)');
    // Reported as the informant signed in, whatever the form said; no endings offered to an informant.
    expect(shown.body).toContain('赵信息（信息员');
    expect(shown.body).not.toContain('冒名');
    expect(shown.body).not.toContain('/to-case');
    expect(shown.body).not.toContain('/close');

    const qian = await signIn('钱信息');
    await qian.get('/signs');
    theirs = (await report(qian, { place: '八宝建材公司', people: '二十名工人', matter: '议论集体停工讨薪', risk: '中' })).headers.location as string;
    expect(theirs).toBe('/signs/2026-2');
    const list = await qian.get('/signs');
    expect(list.body).toContain('八宝建材公司');
    expect(list.body).not.toContain('幸福里小区');
    const other = await qian.get(mine);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('幸福里小区');
    expect((await qian.get('/signs/八宝信息〔2026〕1号')).statusCode).toBe(404);
    // An informant ends nothing, not even their own report.
    expect((await qian.post(`${theirs}/close`, { outcome: '自己办结' })).statusCode).toBe(403);
    expect((await office.signs.find(terminal, '2026-2')).status).toBe('open');
  });

  it('refuses a form without its anti-forgery token, and a role that may not report', async () => {
    const zhao = await signIn('赵信息');
    await zhao.get('/signs');
    const forged = await zhao.post('/signs', { place: '某处', people: '某人', matter: '伪造', risk: '低' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect((await office.signs.list(terminal)).some((s) => s.matter === '伪造')).toBe(false);
    const handler = await signIn('李文');
    expect((await handler.get('/signs')).statusCode).toBe(403);
    expect((await report(handler, { matter: '经办人报告' })).statusCode).toBe(403);
    const leader = await signIn('张主任');
    await leader.get('/signs');
    // A leader sees every report and may close one, but does not report (no form).
    expect((await leader.get('/signs')).body).not.toContain('报告苗头信息</h2>');
    expect((await report(leader, { matter: '领导报告' })).statusCode).toBe(403);
  });

  it('tells the leaders in the banner and names who is on duty', async () => {
    await office.roster.setShift(terminal, { day: '2026-12-09', person: '张主任', phone: '13800000001', post: '带班领导' });
    await office.signs.report(terminal, { place: '东街菜市场', people: '摊贩', matter: '酝酿罢市', risk: '中', reporter: '孙信息' });
    const leader = await signIn('张主任');
    const banner = await leader.get('/alerts/banner');
    expect(banner.statusCode).toBe(200);
    expect(banner.body).toContain('苗头信息');
    expect(banner.body).toContain('href="/signs/2026-3"');
    expect(banner.body).toContain('今日值班：张主任（13800000001）');
    expect(banner.body).toContain('东街菜市场');
    const zhao = await signIn('赵信息');
    expect((await zhao.get('/alerts/banner')).body).not.toContain('罢市');
  });

  it('lets a clerk turn a report into a case and a leader close another with what was done', async () => {
    const clerk = await signIn('刘芳');
    const page = await clerk.get(mine);
    expect(page.body).toContain('/to-case');
    expect((await clerk.post(`${mine}/to-case`, { channel: '电话', name: '周业主' }, { csrf: false })).statusCode).toBe(403);
    const turned = await clerk.post(`${mine}/to-case`, { channel: '电话', name: '周业主', phone: '' });
    expect(turned.statusCode).toBe(303);
    expect(turned.headers.location).toBe('/cases/2026-1');
    const c = await office.cases.find('2026-1');
    expect(c.fields.name).toBe('周业主');
    expect(c.ocrText).toContain('八宝信息〔2026〕1号');
    expect((await clerk.get(mine)).body).toContain('href="/cases/%E5%85%AB');

    const leader = await signIn('张主任');
    const leaderPage = await leader.get(theirs);
    // A leader does not register cases: only the closing form.
    expect(leaderPage.body).not.toContain('/to-case');
    const empty = await leader.post(`${theirs}/close`, { outcome: ' ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('请写明处理情况');
    const closed = await leader.post(`${theirs}/close`, { outcome: '已约谈企业负责人，工资本月补发' });
    expect(closed.statusCode).toBe(303);
    const after = await office.signs.find(terminal, '2026-2');
    expect(after).toMatchObject({ status: 'closed', outcome: '已约谈企业负责人，工资本月补发', closedBy: '张主任' });
    const qian = await signIn('钱信息');
    expect((await qian.get(theirs)).body).toContain('已约谈企业负责人，工资本月补发');
    expect((await leader.post(`${theirs}/close`, { outcome: '再办' })).statusCode).toBe(422);
  });
});

describe('the duty roster and contact list in the browser', () => {
  it('is edited by a leader and the administrator, read by a clerk, refused to an informant', async () => {
    const leader = await signIn('张主任');
    const page = await leader.get('/roster?month=2026-12');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('安排值班');
    expect((await leader.post('/roster/contacts', { name: '李副主任', post: '副组长', phones: '13900000002，010-62340002' })).statusCode).toBe(303);
    expect((await leader.post('/roster/shifts', { day: '2026-12-10', person: '李副主任', post: '带班领导', phone: '', month: '2026-12' })).headers.location).toBe('/roster?month=2026-12');
    const bad = await leader.post('/roster/shifts', { day: '2026-12-32', person: '李副主任' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('日期“2026-12-32”看不懂');
    expect((await leader.post('/roster/shifts', { day: '2026-12-11', person: '王<b>值班</b>' }, { csrf: false })).statusCode).toBe(403);
    const admin = await signIn('管理');
    expect((await admin.post('/roster/shifts', { day: '2026-12-11', person: '王<b>值班</b>', phone: '13600000009' })).statusCode).toBe(303);

    const clerk = await signIn('刘芳');
    const read = await clerk.get('/roster?month=2026-12');
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('李副主任');
    expect(read.body).toContain('13900000002、010-62340002');
    expect(read.body).toContain('王&lt;b&gt;值班&lt;/b&gt;');
    expect(read.body).not.toContain('安排值班');
    expect((await clerk.post('/roster/shifts', { day: '2026-12-12', person: '刘芳' })).statusCode).toBe(403);
    expect((await clerk.post('/roster/contacts/remove', { name: '李副主任' })).statusCode).toBe(403);
    expect((await office.roster.contacts(terminal)).map((c) => c.name)).toEqual(['李副主任']);

    const informant = await signIn('赵信息');
    expect((await informant.get('/roster')).statusCode).toBe(403);
    expect((await informant.get('/roster/download?month=2026-12&format=pdf')).statusCode).toBe(403);
  });

  it('downloads the printed roster as PDF and DOCX', async () => {
    const clerk = await signIn('刘芳');
    const pdf = await clerk.get('/roster/download?month=2026-12&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await clerk.get('/roster/download?month=2026-12&format=docx');
    expect(docx.statusCode).toBe(200);
    expect(String(docx.headers['content-disposition'])).toContain(encodeURIComponent('值班表和通讯录_2026-12.docx'));
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  }, 60_000);
});
