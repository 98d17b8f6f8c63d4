/** The alert routes over HTTP, without a browser: the polled banner and its mark, reads per person, anti-forgery, taking charge, escaping. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';
import { signedInVisitor, Visitor } from '../helpers/visitor.js';

const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';
let office: Office;
let app: FastifyInstance;

function signedIn(name: string): Promise<Visitor> {
  return signedInVisitor(app, name, PASSWORD);
}

const mark = (html: string) => /\/alerts\/banner\?seen=([^"]+)"/.exec(html)?.[1];

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['王副主任', '领导'], ['李文', '经办人']] as const) await office.users.add(terminal, { name, role, password: PASSWORD });
  app = await buildWebServer(office);
});
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('the alert banner over HTTP', () => {
  it('answers 204 while nothing changed, the banner once an urgent case comes, and each leader reads it for themselves', async () => {
    const leader = await signedIn('张主任');
    const deputy = await signedIn('王副主任');
    const page = await leader.get('/cases');
    // Every page carries the poller; it first asks without a mark.
    expect(page.body).toContain('hx-get="/alerts/banner" hx-trigger="load, every 1s"');
    const first = await leader.get('/alerts/banner', { 'hx-request': 'true' });
    expect(first.statusCode).toBe(200);
    const seen = mark(first.body)!;
    expect((await leader.get(`/alerts/banner?seen=${seen}`)).statusCode).toBe(204);

    const c = await office.cases.register(terminal, { channel: '来访', matter: '<b>扬言</b>要去北京上访，请领导重视。', fields: { name: '<i>陈美华</i>' } });
    const changed = await leader.get(`/alerts/banner?seen=${seen}`);
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toContain('紧急来信');
    expect(changed.body).toContain(c.number);
    // What a petitioner or the OCR wrote is escaped.
    expect(changed.body).toContain('&lt;i&gt;陈美华&lt;/i&gt;');
    expect(changed.body).not.toContain('<i>陈美华</i>');
    const [alert] = (await office.alerts.list({ name: '张主任', role: '领导' })).alerts;

    // Reading needs the anti-forgery token; read with htmx, the answer is the banner without it.
    expect((await leader.post(`/alerts/${alert!.id}/read`, {}, { csrf: false, htmx: true })).statusCode).toBe(403);
    const read = await leader.post(`/alerts/${alert!.id}/read`, {}, { htmx: true });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(c.number);
    expect((await leader.get(`/alerts/banner?seen=${mark(read.body)}`)).statusCode).toBe(204);
    expect((await deputy.get('/alerts/banner')).body).toContain(c.number);
    const list = await leader.get('/alerts');
    expect(list.body).toContain(c.number);
    expect(list.body).toContain('已读');
  });

  it('does not let a poll keep a session alive', async () => {
    const leader = await signedIn('张主任');
    const id = decodeURIComponent(leader.cookie.split('=')[1]!).split('.')[0]!;
    const before = (await office.store.session(id))!.expiresAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await leader.get('/alerts/banner?seen=x');
    expect((await office.store.session(id))!.expiresAt).toBe(before);
    await leader.get('/cases');
    expect((await office.store.session(id))!.expiresAt).not.toBe(before);
  });

  it('tells a handler nothing of a leader\'s alert, and records who takes charge from the dashboard', async () => {
    const c = await office.cases.register(terminal, { channel: '来访', matter: '二十户居民联名反映小区停水三天。', fields: { signatories: '20' } });
    const [alert] = (await office.alerts.awaitingCharge({ name: '张主任', role: '领导' })).alerts.filter((a) => a.caseId === c.id);
    const handler = await signedIn('李文');
    expect((await handler.get('/alerts/banner')).body).not.toContain(c.number);
    expect((await handler.post(`/alerts/${alert!.id}/read`, {})).statusCode).toBe(404);
    expect((await handler.post(`/alerts/${alert!.id}/charge`, { person: '李文' })).statusCode).toBe(404);
    expect((await handler.get('/')).body).not.toContain('待确定负责人');

    const leader = await signedIn('张主任');
    const desk = await leader.get('/');
    expect(desk.body).toContain('待确定负责人的紧急件');
    expect(desk.body).toContain(`action="/alerts/${alert!.id}/charge"`);
    expect((await leader.post(`/alerts/${alert!.id}/charge`, { person: '', note: '' })).statusCode).toBe(422);
    const taken = await leader.post(`/alerts/${alert!.id}/charge`, { person: '王副主任', note: '已协调自来水公司抢修' });
    expect(taken.statusCode).toBe(303);
    expect((await leader.get('/')).body).not.toContain(`action="/alerts/${alert!.id}/charge"`);
    const history = (await office.cases.find(c.number)).history.at(-1)!;
    expect(history).toMatchObject({ actor: '张主任', action: 'took-charge', detail: '集体访/联名信提醒：由王副主任负责处置；已协调自来水公司抢修' });
  });
});
