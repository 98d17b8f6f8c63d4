/**
 * Transfers in and supervision over HTTP: signing for and sending back a transferred case, a 督办
 * with the handler's answer and a 催办 refused before its due date; roles and anti-forgery checked
 * on the server; supervised cases first on the desk; the holiday-table warning on the desk.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';
import { signedInVisitor, type Visitor } from '../helpers/visitor.js';

const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';
let office: Office;
let app: FastifyInstance;
let now = new Date('2025-09-30T10:00:00+08:00');
const day = (d: string) => {
  now = new Date(`${d}T10:00:00+08:00`);
};
const signedIn = (name: string): Promise<Visitor> => signedInVisitor(app, name, PASSWORD);
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');

let transfer: Case;
let handled: Case;
let plain: Case;

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人']] as const) await office.users.add(terminal, { name, role, password: PASSWORD });
  transfer = await office.cases.register(terminal, { channel: '转办', matter: '反映企业拖欠工资。', fields: { name: '周建国', summary: '反映企业拖欠工资' }, transfer: { office: '八宝街道办事处', number: '八街转〔2025〕31号' } });
  day('2026-11-02');
  plain = await office.cases.register(terminal, { channel: '来访', matter: '反映路灯不亮。', fields: { name: '赵敏' } });
  handled = await office.cases.register(terminal, { channel: '来访', matter: '反映供暖不热。', fields: { name: '王秀兰', summary: '反映供暖不热' } });
  await office.workflow.instruct(terminal, handled, { leader: '张主任', text: '请物业办处理', handler: '李文' });
  await office.workflow.accept(terminal, await office.cases.find(handled.number));
  await office.workflow.instruct(terminal, plain, { leader: '张主任', text: '请城建办处理', handler: '李文' });
  day('2025-09-30');
  app = await buildWebServer(office);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('a transferred case in the browser', () => {
  it('is signed for by the clerk, shows the return deadline, and is refused a return without the token or after the deadline', async () => {
    const ref = `/cases/${transfer.year}-${transfer.seq}`;
    const clerk = await signedIn('刘芳');
    const page = await clerk.get(ref);
    expect(page.body).toContain('尚未签收');
    expect(page.body).toContain(`action="${ref}/steps/sign"`);
    expect((await clerk.post(`${ref}/steps/sign`, { signer: '刘芳', date: '' }, { csrf: false })).statusCode).toBe(403);
    const signed = await clerk.post(`${ref}/steps/sign`, { signer: '刘芳', date: '' });
    expect(signed.statusCode, signed.body).toBe(303);
    const after = unescape((await clerk.get(ref)).body);
    expect(after).toContain('已签收：刘芳，2025年9月30日');
    expect(after).toContain('须于 <strong>2025年10月14日</strong> 前退回');
    // The handler may not send it back (not theirs, and the step needs a decision).
    const handler = await signedIn('李文');
    expect((await handler.post(`${ref}/steps/return`, { reason: '不属本单位' })).statusCode).toBeGreaterThanOrEqual(403);
    day('2025-10-15');
    const leader = await signedIn('张主任');
    await leader.get(ref);
    const late = await leader.post(`${ref}/steps/return`, { reason: '属区人社局职责' });
    expect(late.statusCode).toBe(422);
    expect(unescape(late.body)).toContain('退回期限（2025年10月14日）已过');
    day('2025-10-14');
    const returned = await leader.post(`${ref}/steps/return`, { reason: '属区人社局职责' });
    expect(returned.statusCode, returned.body).toBe(303);
    expect((await office.cases.find(transfer.number)).workflow.returnReason).toBe('属区人社局职责');
    // Counted on the statistics page, the figure a link to the case list behind it.
    const stats = unescape((await leader.get('/stats?kind=month&month=2025-09')).body);
    const figure = /<a href="([^"]+)" data-figure="returned">(\d+)<\/a>/.exec(stats);
    expect(figure?.[2]).toBe('1');
    const listed = unescape((await leader.get(figure![1]!)).body);
    expect(listed).toContain(transfer.number);
    expect(listed).toContain('共 1 件');
  });
});

describe('a supervised case in the browser', () => {
  it('is supervised by the leader only, heads the handler\'s desk, is answered by the handler, and shows its due date', async () => {
    day('2026-11-05');
    const ref = `/cases/${handled.year}-${handled.seq}`;
    const handler = await signedIn('李文');
    expect((await handler.get('/')).body).not.toContain('督办件');
    expect((await handler.post(`${ref}/steps/supervise`, { supervisor: '李文', demand: '自己督办', due: '2026-11-15' })).statusCode).toBe(403);
    const leader = await signedIn('张主任');
    await leader.get(ref);
    expect((await leader.post(`${ref}/steps/supervise`, { supervisor: '张主任', demand: '请三日内约谈物业', due: '2026-11-15' }, { csrf: false })).statusCode).toBe(403);
    const supervised = await leader.post(`${ref}/steps/supervise`, { supervisor: '张主任', demand: '请三日内约谈物业', due: '2026-11-15' });
    expect(supervised.statusCode, supervised.body).toBe(303);

    const desk = unescape((await handler.get('/')).body);
    const table = /<table class="list supervised">(.*?)<\/table>/s.exec(desk)?.[1] ?? '';
    expect(table).toContain(handled.number);
    expect(table).toContain('2026年11月15日');
    expect(table).not.toContain(plain.number);
    expect(desk.indexOf('督办件')).toBeLessThan(desk.indexOf('天内到期和已超期的办理期限'));
    // It heads the handler's case list too, and the leader's list of that handler's cases.
    const list = unescape((await handler.get('/cases')).body);
    const head = /<table class="list supervised">(.*?)<\/table>/s.exec(list)?.[1] ?? '';
    expect(head).toContain(handled.number);
    expect(head).not.toContain(plain.number);
    expect(list.indexOf('class="list supervised"')).toBeLessThan(list.indexOf('没有符合条件的案件') === -1 ? list.indexOf('<table class="list">') : list.indexOf('没有符合条件的案件'));
    expect(unescape((await leader.get('/cases?handler=李文')).body)).toContain('class="list supervised"');
    expect(unescape((await leader.get('/cases?handler=王芳')).body)).not.toContain('class="list supervised"');
    expect(unescape((await leader.get('/cases?page=2')).body)).not.toContain('class="list supervised"');

    const early = await leader.post(`${ref}/steps/urge`, { note: '' });
    expect(early.statusCode).toBe(422);
    expect(unescape(early.body)).toContain('督办期限是 2026年11月15日，还没有到期');
    await handler.get(ref);
    expect((await handler.post(`${ref}/steps/answer`, { answer: '已约谈物业，本周内修复。' })).statusCode).toBe(303);
    const page = unescape((await handler.get(ref)).body);
    expect(page).toContain('督办期限 <strong>2026年11月15日</strong>');
    expect(page).toContain('已反馈：已约谈物业，本周内修复。');
    expect((await handler.get('/')).body).not.toContain('class="list supervised"');
  });
});

describe('the holiday table warning on the desk', () => {
  it('appears in December, when next year is missing from the table, and not before', async () => {
    const clerk = await signedIn('刘芳');
    day('2026-11-30');
    expect((await clerk.get('/')).body).not.toContain('id="calendar-warning"');
    day('2026-12-02');
    expect((await clerk.get('/')).body).toContain('calendar.holidays 中还没有 2027年');
  });
});
