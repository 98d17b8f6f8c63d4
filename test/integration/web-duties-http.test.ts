/**
 * 领导接访日, 包案 and 一岗双责 over HTTP: each form refused to a role without the right and
 * without the anti-forgery token, and done for the one with it; the notice downloaded and read
 * back; the 包案 leader on the case page, the case list and the statistics (the count opening its
 * cases); the screenings, zero reports and the not-screened list on the duties and ledger pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { readPdf } from '../helpers/pdf.js';
import { signedInVisitor, type Visitor } from '../helpers/visitor.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const terminal = { name: '终端' };
const PASSWORD = 'xinfang-2026';
let office: Office;
let app: FastifyInstance;
let visit: Case;
const signedIn = (name: string): Promise<Visitor> => signedInVisitor(app, name, PASSWORD);
const squeeze = (s: string) => s.replace(/\s+/g, '');
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
/** The items of the list with this id on a page. */
const listed = (body: string, id: string) => [...(new RegExp(`<ul id="${id}">([\\s\\S]*?)</ul>`).exec(body)?.[1] ?? '').matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);

beforeAll(async () => {
  const root = await makeWorkspace({
    workflow: { blankSheets: false },
    duties: { links: [{ cadre: '张明', units: ['幸福里物业'], enterprises: [] }], sensitivePeriods: [{ name: '重要会议期间', from: '2026-12-08', to: '2026-12-10' }] },
  });
  office = await officeAt(root, { clock: () => new Date('2026-12-09T02:00:00Z'), background: 'none' });
  for (const [name, role] of [['王主任', '领导'], ['刘芳', '登记员'], ['李文', '经办人'], ['张明', '经办人'], ['管理', '管理员'], ['王档', '档案员']] as const) {
    await office.users.add(terminal, { name, role, password: PASSWORD });
  }
  await office.duties.link(terminal, { cadre: '张明', unit: '八宝建材公司', kind: '企业' });
  await office.duties.recordScreening(terminal, { cadre: '张明', unit: '八宝建材公司', day: '2026-12-08', finding: { risk: '高', situation: '工人聚集讨薪苗头' } });
  await office.duties.addReceptionDay(terminal, { day: '2026-12-09', leader: '李书记', place: '社区一楼接待室', time: '9:00—12:00' });
  visit = await office.cases.register(terminal, { channel: '来访', matter: '小区停车位被占用，物业不处理，请求协调。', fields: { name: '赵六' } });
  app = await buildWebServer(office);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('the reception days (web)', () => {
  it('lists the month, adds and removes a day for a leader only, with the token', async () => {
    const clerk = await signedIn('刘芳');
    const page = await clerk.get('/reception?month=2026-12');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('李书记');
    expect(page.body).toContain('href="/reception"');
    expect(page.body).not.toContain('method="post" action="/reception"');
    const day = { day: '2026-12-17', leader: '王主任', place: '社区党群服务中心', time: '14:30—17:30' };
    expect((await clerk.post('/reception', day)).statusCode).toBe(403);
    const leader = await signedIn('王主任');
    await leader.get('/reception');
    expect((await leader.post('/reception', day, { csrf: false })).statusCode).toBe(403);
    const added = await leader.post('/reception', day);
    expect(added.statusCode, added.body).toBe(303);
    expect(added.headers.location).toBe('/reception?month=2026-12&done=added');
    const after = await leader.get('/reception?month=2026-12');
    expect(after.body).toContain('社区党群服务中心');
    expect(after.body).toContain('星期四');
    const bad = await leader.post('/reception', { ...day, day: '2026-12-32' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('2026-12-32');

    const id = (await office.duties.receptionDays({ from: '2026-12-17', to: '2026-12-17' }))[0]!.id;
    expect((await clerk.post(`/reception/${id}/remove`, {})).statusCode).toBe(403);
    expect((await leader.post(`/reception/${id}/remove`, {}, { csrf: false })).statusCode).toBe(403);
    const removed = await leader.post(`/reception/${id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect((await leader.get('/reception?month=2026-12')).body).not.toContain('社区党群服务中心');
  });

  it('downloads the notice for the notice board as PDF and DOCX', async () => {
    const handler = await signedIn('李文');
    const pdf = await app.inject({ method: 'GET', url: '/reception/download?month=2026-12&format=pdf', headers: { cookie: handler.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(String(pdf.headers['content-disposition']))).toContain('领导接访日安排_2026-12.pdf');
    const text = squeeze((await readPdf(pdf.rawPayload)).pages.map((p) => p.text).join(''));
    for (const words of ['领导接访日安排', '2026年12月9日', '李书记', '社区一楼接待室']) expect(text).toContain(words);
    const docx = await app.inject({ method: 'GET', url: '/reception/download?month=2026-12&format=docx', headers: { cookie: handler.cookie } });
    expect(docx.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('李书记');
  });

  it('registers a visit against the leader who received it; refused to a leader and without the token', async () => {
    const clerk = await signedIn('刘芳');
    const form = await clerk.get('/register');
    expect(form.body).toContain('接访领导');
    expect(form.body).toContain('<option value="李书记">');
    const typed = { channel: '来访', name: '钱七', matter: '邻居装修噪音扰民，多次协商未果。', receivedBy: '李书记' };
    expect((await clerk.post('/register', typed, { csrf: false })).statusCode).toBe(403);
    const leader = await signedIn('王主任');
    expect((await leader.post('/register', typed)).statusCode).toBe(403);
    const done = await clerk.post('/register', typed);
    expect(done.statusCode, done.body).toBe(303);
    const ref = String(done.headers.location).replace(/^\/cases\//, '').replace(/\/receipt$/, '');
    const c = await office.cases.find(ref);
    expect(c.receivedBy).toBe('李书记');
    expect((await clerk.get(`/cases/${ref}`)).body).toContain('接访领导：李书记');
    const call = await clerk.post('/register', { ...typed, channel: '电话' });
    expect(call.statusCode).toBe(422);
    expect(call.body).toContain('接访领导只用于来访登记');
  });
});

describe('包案 (web)', () => {
  it('a leader takes charge of a case; shown on the case page, the case list and the statistics', async () => {
    const ref = `${visit.year}-${visit.seq}`;
    const clerk = await signedIn('刘芳');
    expect((await clerk.get(`/cases/${ref}`)).body).not.toContain(`action="/cases/${ref}/take-case"`);
    expect((await clerk.post(`/cases/${ref}/take-case`, {})).statusCode).toBe(403);
    const leader = await signedIn('王主任');
    const page = await leader.get(`/cases/${ref}`);
    expect(page.body).toContain('（尚无领导包案）');
    expect(page.body).toContain(`action="/cases/${ref}/take-case"`);
    expect((await leader.post(`/cases/${ref}/take-case`, {}, { csrf: false })).statusCode).toBe(403);
    const taken = await leader.post(`/cases/${ref}/take-case`, {});
    expect(taken.statusCode).toBe(303);
    expect(taken.headers.location).toBe(`/cases/${ref}?done=take-case`);
    const after = await leader.get(`/cases/${ref}?done=take-case`);
    expect(after.body).toContain('已包案。');
    expect(after.body).toContain('包案领导：<strong>王主任</strong>');
    expect(after.body).not.toContain(`action="/cases/${ref}/take-case"`);
    expect(after.body).toContain('王主任包案');

    const list = await leader.get('/cases');
    expect(list.body).toContain('<td class="case-leader">王主任</td>');

    const stats = unescape((await leader.get('/stats?kind=month&month=2026-12')).body);
    expect(stats).toContain('七、领导包案');
    const link = /<a href="([^"]+)" data-figure="case-leader">(\d+)<\/a>/.exec(stats);
    expect(link?.[2]).toBe('1');
    expect(link?.[1]).toContain('caseleader=');
    const cases = await leader.get(link![1]!);
    expect(cases.body).toContain('共 1 件');
    expect(cases.body).toContain(visit.number);
  });
});

describe('一岗双责 (web)', () => {
  it('the administrator seeds the settings’ links, links and unlinks; no one else, nor without the token', async () => {
    const clerk = await signedIn('刘芳');
    expect((await clerk.post('/duties/links/seed', {})).statusCode).toBe(403);
    const admin = await signedIn('管理');
    const page = await admin.get('/duties');
    expect(page.body).toContain('设置（duties.links）中还有尚未登记的挂钩单位：张明：幸福里物业（单位）');
    expect((await admin.post('/duties/links/seed', {}, { csrf: false })).statusCode).toBe(403);
    expect((await admin.post('/duties/links/seed', {})).statusCode).toBe(303);
    expect((await office.duties.links(terminal)).map((l) => l.unit)).toContain('幸福里物业');

    const link = { cadre: '李红', unit: '第一小学', kind: '单位' };
    expect((await clerk.post('/duties/links', link)).statusCode).toBe(403);
    expect((await admin.post('/duties/links', link, { csrf: false })).statusCode).toBe(403);
    expect((await admin.post('/duties/links', link)).statusCode).toBe(303);
    expect((await admin.post('/duties/links', { ...link, unit: '旧厂', kind: '企业' })).statusCode).toBe(303);
    const old = (await office.duties.links(terminal)).find((l) => l.unit === '旧厂')!;
    expect((await clerk.post('/duties/links/remove', { link: String(old.id) })).statusCode).toBe(403);
    expect((await admin.post('/duties/links/remove', { link: String(old.id) }, { csrf: false })).statusCode).toBe(403);
    expect((await admin.post('/duties/links/remove', { link: String(old.id) })).statusCode).toBe(303);
    expect((await office.duties.links(terminal)).map((l) => l.unit).sort()).toEqual(['八宝建材公司', '幸福里物业', '第一小学'].sort());
  });

  it('a cadre records a zero report for their own unit: the not-screened list shrinks; others are refused', async () => {
    const links = await office.duties.links(terminal);
    const property = links.find((l) => l.unit === '幸福里物业')!;
    const cadre = await signedIn('张明');
    const page = await cadre.get('/duties?month=2026-12');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('这里只列出您本人挂钩的单位和企业');
    expect(page.body).not.toContain('第一小学');
    expect(listed(page.body, 'not-screened')).toEqual(['张明：幸福里物业']);
    // The sensitive period asks for a screening every day.
    expect(page.body).toContain('今天（2026年12月9日）处于重要会议期间（2026年12月8日至2026年12月10日）');
    expect(page.body).toContain('今天尚未排查：张明：八宝建材公司；张明：幸福里物业');

    // Someone without the right to see the duties, or to record another's screening.
    const handler = await signedIn('李文');
    expect((await handler.get('/duties')).statusCode).toBe(403);
    expect((await handler.post('/duties/screenings', { link: String(property.id), outcome: 'zero' })).statusCode).toBe(403);
    expect((await cadre.post('/duties/screenings', { link: String(property.id), outcome: 'zero' }, { csrf: false })).statusCode).toBe(403);
    const school = links.find((l) => l.unit === '第一小学')!;
    expect((await cadre.post('/duties/screenings', { link: String(school.id), outcome: 'zero' })).statusCode).toBe(403);

    const done = await cadre.post('/duties/screenings', { link: String(property.id), outcome: 'zero' });
    expect(done.statusCode, done.body).toBe(303);
    const after = await cadre.get(String(done.headers.location));
    expect(after.body).toContain('已登记零报告。');
    expect(after.body).toContain('各挂钩单位和企业均已排查');
    expect(after.body).toContain('今天尚未排查：张明：八宝建材公司');
    expect(after.body).toContain('未发现矛盾纠纷（零报告）');
    // Screened today: no second zero report offered for that unit, still one for the other.
    expect(after.body).toContain('今天已排查');
    expect(after.body).not.toContain('aria-label="张明 幸福里物业 今天排查未发现矛盾纠纷，报零报告"');
    expect(after.body).toContain('aria-label="张明 八宝建材公司 今天排查未发现矛盾纠纷，报零报告"');
    // The clerk sees everyone's: only 李红 has not screened this month.
    const clerk = await signedIn('刘芳');
    expect(listed((await clerk.get('/duties?month=2026-12')).body, 'not-screened')).toEqual(['李红：第一小学']);
  });

  it('a clerk records a finding for the ledger; the ledger page shows it, the zero report and who has not screened', async () => {
    const school = (await office.duties.links(terminal)).find((l) => l.unit === '第一小学')!;
    const finding = { link: String(school.id), outcome: 'found', day: '2026-12-09', risk: '中', type: '教育', situation: '家长反映校门口交通拥堵', parties: '家长代表' };
    const archivist = await signedIn('王档');
    expect((await archivist.get('/duties')).statusCode).toBe(200);
    expect((await archivist.post('/duties/screenings', finding)).statusCode).toBe(403);
    const clerk = await signedIn('刘芳');
    await clerk.get('/duties');
    expect((await clerk.post('/duties/screenings', finding, { csrf: false })).statusCode).toBe(403);
    const missing = await clerk.post('/duties/screenings', { ...finding, situation: '' });
    expect(missing.statusCode).toBe(422);
    const done = await clerk.post('/duties/screenings', finding);
    expect(done.statusCode, done.body).toBe(303);

    const leader = await signedIn('王主任');
    const ledger = await leader.get('/ledger?kind=month&month=2026-12');
    expect(ledger.statusCode).toBe(200);
    for (const words of ['工人聚集讨薪苗头', '八宝建材公司', '家长反映校门口交通拥堵', '一岗双责零报告', '幸福里物业', '未发现矛盾纠纷（零报告）']) expect(ledger.body).toContain(words);
    expect(listed(ledger.body, 'not-screened')).toEqual([]);
    expect(ledger.body).toContain('各挂钩单位和企业均已排查');
    const before = await leader.get('/ledger?month=2026-11');
    expect(before.body).not.toContain('工人聚集讨薪苗头');
    expect(before.body).not.toContain('id="zero-reports"');
  });

  it('offers the menu entries to the roles allowed', async () => {
    const handler = await signedIn('李文');
    const desk = (await handler.get('/')).body;
    expect(desk).toContain('href="/reception"');
    expect(desk).not.toContain('href="/duties"');
    // A cadre whose role does not see everyone's duties still finds their own in the menu.
    const cadre = await signedIn('张明');
    expect((await cadre.get('/')).body).toContain('href="/duties"');
    const leader = await signedIn('王主任');
    expect((await leader.get('/')).body).toContain('href="/duties"');
  });
});
