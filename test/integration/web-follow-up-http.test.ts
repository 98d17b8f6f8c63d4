/**
 * 回访 and 复查 over HTTP: the case page's forms, roles held on the server (the assigned handler
 * may record, the archivist may not), the anti-forgery token on the form and on the upload, every
 * value escaped, the 复查 upload refused on day 31 and filed on day 30, the stats page's satisfaction.
 */
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import type { Case } from '../../src/domain/case.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';
import { signedInVisitor, type Visitor } from '../helpers/visitor.js';

const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';
let office: Office;
let app: FastifyInstance;
let now = new Date('2026-10-20T10:00:00+08:00');
const day = (d: string) => {
  now = new Date(`${d}T10:00:00+08:00`);
};
const signedIn = (name: string): Promise<Visitor> => signedInVisitor(app, name, PASSWORD);
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');

/** A multipart form as a browser sends it: fields, then files. */
async function upload(v: Visitor, url: string, fields: Record<string, string>, files: { name: string; data: Buffer; type: string }[]) {
  const boundary = '----xinfang-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${value}\r\n`));
  for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="papers"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: v.cookie } });
}

let c: Case;
let ref: string;
let paper: Buffer;

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { clock: () => now, background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人'], ['陈静', '档案员']] as const) await office.users.add(terminal, { name, role, password: PASSWORD });
  c = await office.cases.register(terminal, { channel: '来访', matter: '反映供暖不热。', fields: { name: '王秀兰', summary: '反映供暖不热', category: '城乡建设' } });
  await office.workflow.instruct(terminal, c, { leader: '张主任', text: '请物业办处理', handler: '李文' });
  await office.workflow.accept(terminal, await office.cases.find(c.number));
  day('2026-11-03');
  await office.workflow.reply(terminal, await office.cases.find(c.number), { outcome: '解释说明', facts: '已向信访人说明供暖标准。' });
  ref = `/cases/${c.year}-${c.seq}`;
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]);
  paper = Buffer.from(await doc.save());
  app = await buildWebServer(office);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('回访 and 复查 on the case page', () => {
  it('records the handler\'s return visit, refuses it to the archivist and without the token, and escapes what was typed', async () => {
    day('2026-11-05');
    const archivist = await signedIn('陈静');
    expect((await archivist.get(ref)).body).toContain('<strong>回访</strong>：您的身份不能办理这一步。');
    expect((await archivist.post(`${ref}/steps/visit`, { how: '电话', result: '满意' })).statusCode).toBe(403);
    const handler = await signedIn('李文');
    const page = await handler.get(ref);
    expect(page.body).toContain(`action="${ref}/steps/visit"`);
    expect(page.body).toContain('<option>基本满意</option>');
    expect(unescape(page.body)).toContain(`action="${ref}/appeal/request-review?_csrf=`);
    expect((await handler.post(`${ref}/steps/visit`, { how: '电话', result: '不满意' }, { csrf: false })).statusCode).toBe(403);
    const wrong = await handler.post(`${ref}/steps/visit`, { how: '电话', result: '还行' });
    expect(wrong.statusCode).toBe(422);
    expect(unescape(wrong.body)).toContain('“还行”不在设置的满意度评价中');
    const done = await handler.post(`${ref}/steps/visit`, { how: '上门', result: '不满意', visitor: '李文', date: '', note: '<script>alert(1)</script>要求赔偿' });
    expect(done.statusCode, done.body).toBe(303);
    const after = (await handler.get(ref)).body;
    expect(after).toContain('回访：2026年11月5日 上门回访（李文），信访人评价：不满意；&lt;script&gt;alert(1)&lt;/script&gt;要求赔偿');
    expect(after).not.toContain('<script>alert(1)');
    expect(after).toContain('可申请复查：至 2026年12月3日');
  });

  it('refuses the 复查 upload without the token and on day 31, and files it on day 30', async () => {
    day('2026-12-05');
    const clerk = await signedIn('刘芳');
    await clerk.get(ref);
    const files = [{ name: '复查申请书.pdf', data: paper, type: 'application/pdf' }];
    expect((await upload(clerk, `${ref}/appeal/request-review`, { date: '2026-12-03', body: '八宝街道办事处' }, files)).statusCode).toBe(403);
    const token = encodeURIComponent(clerk.csrf);
    const late = await upload(clerk, `${ref}/appeal/request-review?_csrf=${token}`, { date: '2026-12-04', body: '八宝街道办事处' }, files);
    expect(late.statusCode, late.body.slice(0, 3000)).toBe(422);
    expect(unescape(late.body)).toContain('复查申请日期 2026年12月4日 已超过期限');
    expect((await office.cases.find(c.number)).documents.filter((d) => d.role === 'received')).toEqual([]);
    const taken = await upload(clerk, `${ref}/appeal/request-review?_csrf=${token}`, { date: '2026-12-03', body: '八宝街道办事处' }, files);
    expect(taken.statusCode, taken.body).toBe(303);
    const d = await office.cases.find(c.number);
    expect(d.workflow.reviews).toMatchObject([{ stage: '复查', requestedOn: '2026-12-03', body: '八宝街道办事处', answerDue: '2027-01-02', decision: null }]);
    expect(d.documents.filter((x) => x.role === 'received').map((x) => [x.kind, x.sourceName])).toEqual([['复查申请', '复查申请书.pdf']]);
    const page = (await clerk.get(ref)).body;
    expect(page).toContain('复查：2026年12月3日 向八宝街道办事处申请，应于 2027年1月2日 前作出复查意见；结论：尚未作出');
    expect(unescape(page)).toContain(`action="${ref}/appeal/decide-review?_csrf=`);
  });

  it('lists the 复查 awaiting its decision on the desk of the leader and the handler, with its due date', async () => {
    day('2026-12-03');
    for (const name of ['张主任', '李文']) {
      const desk = unescape((await (await signedIn(name)).get('/')).body);
      const table = /<table class="list reviews">(.*?)<\/table>/s.exec(desk)?.[1] ?? '';
      expect(table, name).toContain(c.number);
      expect(table).toContain('八宝街道办事处');
      expect(table).toContain('2027年1月2日（还有 30 天）');
    }
  });

  it('shows the satisfaction and the unsatisfied case with the next step on the stats page', async () => {
    const leader = await signedIn('张主任');
    const stats = unescape((await leader.get('/stats?kind=month&month=2026-10')).body);
    expect(stats).toContain('六、回访与满意度');
    expect(stats).toContain('满意率 <span data-figure="satisfaction-rate">0.0%</span>');
    expect(stats).toContain('已于 2026年12月3日 向八宝街道办事处申请复查，等待结论');
    // Each row's 回访 count opens the list of the cases behind it: the same cases the figures were made from.
    const s = (await office.reports.stats(monthPeriod('2026-10'))).satisfaction;
    for (const [by, rows] of [['category', s.byCategory], ['handler', s.byHandler]] as const) {
      const links = [...stats.matchAll(new RegExp(`<a href="([^"]+)" data-figure="visited-${by}">(\\d+)</a>`, 'g'))];
      expect(links.map((m) => Number(m[2]))).toEqual(rows.map((r) => r.visited));
      for (const [i, m] of links.entries()) {
        const listed = unescape((await leader.get(m[1]!)).body);
        for (const number of rows[i]!.cases) expect(listed).toContain(number);
        expect(listed).toContain(`共 ${rows[i]!.cases.length} 件`);
      }
    }
  });
});
