/** The web face over HTTP, without a browser: sign-in, roles on the server, anti-forgery, escaping, files only through the registry. */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
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

beforeAll(async () => {
  const root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人'], ['赵敏', '经办人'], ['王档', '档案员'], ['管理', '管理员']] as const) {
    await office.users.add(terminal, { name, role, password: PASSWORD });
  }
  const c = await office.cases.register(terminal, { channel: '来访', matter: '楼下烧烤店<script>alert(1)</script>油烟扰民，请处理。', fields: { name: '王秀兰', phone: '13900000001', idNumber: '110108198801011235' } });
  await office.workflow.instruct(terminal, c, { leader: '张主任', text: '请城建办处理', handler: '李文' });
  await office.cases.register(terminal, { channel: '电话', matter: '小区路灯不亮。', fields: { name: '赵六' } });
  app = await buildWebServer(office);
});
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('signing in', () => {
  it('sends a visitor who is not signed in to the sign-in page, which has 用户名, 密码 and 登录', async () => {
    const v = new Visitor(app);
    const r = await v.get('/cases');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/login?next=%2Fcases');
    const login = await v.get('/login');
    expect(login.body).toContain('<label for="username">用户名</label>');
    expect(login.body).toContain('<label for="password">密码</label>');
    expect(login.body).toContain('>登录</button>');
  });

  it('keeps the session on the server, in an HttpOnly, SameSite cookie, with a content security policy without inline scripts', async () => {
    const v = new Visitor(app);
    await v.get('/login');
    const r = await v.post('/login', { username: '刘芳', password: PASSWORD, next: '/' });
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const page = await v.get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('刘芳（登记员）');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).not.toMatch(/<script>(?!<\/script>)|onclick=|onload=/);
  });

  it('slows down repeated bad passwords, and says so', async () => {
    const v = new Visitor(app);
    await v.get('/login');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await v.post('/login', { username: '王档', password: 'wrong-password' })).statusCode);
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
    const r = await v.post('/login', { username: '王档', password: PASSWORD });
    expect(r.statusCode).toBe(429);
    expect(r.body).toContain('密码错误次数过多');
    await office.store.clearSignInFailures('王档');
  });

  it('sends a person whose session has expired back to sign in', async () => {
    const v = await signedIn('刘芳');
    expect((await v.get('/cases')).statusCode).toBe(200);
    const id = decodeURIComponent(v.cookie.split('=')[1]!).split('.')[0]!;
    await office.store.saveSession(id, JSON.stringify({ userId: 1 }), new Date(Date.now() - 1000));
    const r = await v.get('/cases');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toContain('/login');
  });

  it('goes back only to a page of this server after signing in, never to another site', async () => {
    for (const next of ['/\\evil.example', '//evil.example', '/\t/evil.example', '/%09/evil.example', 'https://evil.example/']) {
      const v = new Visitor(app);
      await v.get('/login');
      const r = await v.post('/login', { username: '刘芳', password: PASSWORD, next });
      expect(r.statusCode, next).toBe(303);
      // Whatever a browser makes of the address it is sent to, it is this server.
      expect(r.headers.location, next).toMatch(/^\/(?![/\\\t])/);
      expect(new URL(String(r.headers.location), 'http://localhost:8080').origin, next).toBe('http://localhost:8080');
    }
  });

  it('ends every session of a user whose password is reset or who is disabled', async () => {
    await office.users.add(terminal, { name: '周强', role: '登记员', password: PASSWORD });
    const before = await signedIn('周强');
    expect((await before.get('/cases')).statusCode).toBe(200);
    await office.users.resetPassword(terminal, '周强', PASSWORD); // the same password again: still a new one
    const r = await before.get('/cases');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toContain('/login');
    const after = await signedIn('周强');
    expect((await after.get('/cases')).statusCode).toBe(200);
    await office.users.setDisabled(terminal, '周强', true);
    expect((await after.get('/cases')).statusCode).toBe(302);
  });

  it('signs out', async () => {
    const v = await signedIn('刘芳');
    expect((await v.post('/logout', {})).statusCode).toBe(303);
    expect((await v.get('/')).statusCode).toBe(302);
  });
});

describe('what each role may do, enforced on the server', () => {
  it('gives a handler the cases assigned to them and 403 for another handler\'s case', async () => {
    const li = await signedIn('李文');
    expect((await li.get('/cases/2026-1')).statusCode).toBe(200);
    const zhao = await signedIn('赵敏');
    expect((await zhao.get('/cases/2026-1')).statusCode).toBe(403);
    expect((await zhao.get('/cases/2026-1/documents/0')).statusCode).toBe(403);
    expect((await zhao.get('/cases/2026-1/documents/0/pages/1')).statusCode).toBe(403);
    expect((await zhao.get('/cases/2026-1/transcribe')).statusCode).toBe(403);
    expect((await zhao.get('/cases')).body).not.toContain('八宝信〔2026〕1号');
  });

  it('refuses a clerk an instruction (403), and lets the leader give one in the browser', async () => {
    const clerk = await signedIn('刘芳');
    await clerk.get('/cases/2026-1');
    const r = await clerk.post('/cases/2026-1/steps/accept', { handler: '李文' });
    expect(r.statusCode).toBe(303); // a clerk decides acceptance
    const instruct = await clerk.post('/cases/2026-2/steps/instruct', { leader: '刘芳', text: '自己批' });
    expect(instruct.statusCode).toBe(403);
    expect(instruct.body).toContain('您的身份（登记员）不能');
    expect((await clerk.post('/cases/2026-1/steps/extend', { days: '10', reason: '需检测' })).statusCode).toBe(403);
    expect((await office.cases.find('2')).status).toBe('registered');
    const leader = await signedIn('张主任');
    await leader.get('/cases/2026-2');
    expect((await leader.post('/cases/2026-2/steps/instruct', { leader: '张主任', text: '请物业办处理', handler: '赵敏' })).statusCode).toBe(303);
    const after = await office.cases.find('2');
    expect(after.status).toBe('instructed');
    expect(after.history.at(-1)).toMatchObject({ actor: '张主任', action: 'instructed' });
  });

  it('lets a clerk mark a case as checked, which takes it out of the review queue', async () => {
    const clerk = await signedIn('刘芳');
    expect((await clerk.get('/review')).body).toContain('八宝信〔2026〕2号');
    const page = await clerk.get('/cases/2026-2');
    expect(page.body).toContain('已逐项核对无误');
    const r = await clerk.post('/cases/2026-2/edit', { checked: 'on' });
    expect(r.statusCode).toBe(303);
    expect((await clerk.get('/review')).body).not.toContain('八宝信〔2026〕2号');
    expect((await clerk.get('/cases/2026-2')).body).toContain('核对无误，取消“需人工核对”');
  });

  it('lets the archivist bind closed cases, bind the year and verify the archive from the page, and no one else', async () => {
    const c = await office.cases.register(terminal, { channel: '来访', matter: '小区门口井盖缺失，请尽快修复。', fields: { name: '钱七', phone: '13900000003' } });
    await office.workflow.instruct(terminal, c, { leader: '张主任', text: '请城建办处理', handler: '李文' });
    await office.workflow.accept(terminal, await office.cases.find(c.number));
    await office.workflow.reply(terminal, await office.cases.find(c.number), { outcome: '予以支持', facts: '井盖已于当日补装。' });
    await office.workflow.close(terminal, await office.cases.find(c.number));
    const ref = `${c.year}-${c.seq}`;

    const clerk = await signedIn('刘芳');
    expect((await clerk.get('/')).body).not.toContain('href="/archive"');
    expect((await clerk.get('/archive')).statusCode).toBe(403);
    expect((await clerk.post('/archive/bind', { cases: ref })).statusCode).toBe(403);
    expect((await clerk.post('/archive/verify', {})).statusCode).toBe(403);

    const archivist = await signedIn('王档');
    const page = await archivist.get('/archive');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/archive"');
    expect(page.body).toContain(`value="${ref}"`);
    const bound = await archivist.post('/archive/bind', { cases: ref });
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.body).toMatch(new RegExp(`${c.number} 已立卷，档号 Z109-XF·2026-D30-\\d{4}`));
    expect((await office.cases.find(c.number)).history.at(-1)).toMatchObject({ action: 'bound', actor: '王档' });
    const year = await archivist.post('/archive/year', { year: '2026' });
    expect(year.statusCode, year.body).toBe(200);
    expect(year.body).toContain('2026 年第1册：1 件');
    const verified = await archivist.post('/archive/verify', {});
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toContain('核验完毕');
    expect((await archivist.post('/archive/bind', {}, { csrf: false })).statusCode).toBe(403);
  }, 120_000);

  it('shows the archivist the register book of a year or a month and hands out its PDF and DOCX, and no one else', async () => {
    const clerk = await signedIn('刘芳');
    expect((await clerk.get('/book?year=2026')).statusCode).toBe(403);
    expect((await clerk.get('/book/download?year=2026&format=pdf')).statusCode).toBe(403);
    const archivist = await signedIn('王档');
    const page = await archivist.get('/book?year=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('反映问题摘要');
    expect(page.body).toContain('八宝信〔2026〕1号');
    expect(page.body).toMatch(/2026年共 \d+ 件/);
    // A month with nothing registered says so.
    expect((await archivist.get('/book?year=2025&month=3')).body).toContain('这段时间没有登记');
    const pdf = await app.inject({ method: 'GET', url: '/book/download?year=2026&format=pdf', headers: { cookie: archivist.cookie } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await app.inject({ method: 'GET', url: '/book/download?year=2026&format=docx', headers: { cookie: archivist.cookie } });
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(String(docx.headers['content-disposition'])).toContain(encodeURIComponent('2026年来信来访登记簿.docx'));
  });

  it('refuses a form posted without the anti-forgery token', async () => {
    const clerk = await signedIn('刘芳');
    await clerk.get('/cases/2026-1');
    const r = await clerk.post('/cases/2026-1/edit', { name: '王秀芝' }, { csrf: false });
    expect(r.statusCode).toBe(403);
    expect((await office.cases.find('1')).fields.name).toBe('王秀兰');
  });

  it('masks ID numbers and phones for a role that need not see them', async () => {
    const archivist = await signedIn('王档');
    const page = (await archivist.get('/cases/2026-1')).body;
    expect(page).not.toContain('110108198801011235');
    expect(page).not.toContain('13900000001');
    const clerk = await signedIn('刘芳');
    // Masked for the clerk too until 显示完整信息, which the audit log records (web-admin-http.test.ts).
    expect((await clerk.get('/cases/2026-1')).body).not.toContain('13900000001');
    expect((await clerk.post('/cases/2026-1/unmask', {})).statusCode).toBe(303);
    expect((await clerk.get('/cases/2026-1')).body).toContain('13900000001');
    expect((await archivist.post('/cases/2026-1/unmask', {})).statusCode).toBe(403);
  });
});

describe('the inbox', () => {
  it('puts back only a file listed as set aside, by its exact name', async () => {
    const clerk = await signedIn('刘芳');
    await clerk.get('/inbox');
    for (const name of ['', '.', '..', '../archive', '未能登记']) {
      const r = await clerk.post('/inbox/retry', { name });
      expect(r.statusCode, name).toBe(404);
    }
    const handler = await signedIn('李文');
    expect((await handler.get('/inbox')).statusCode).toBe(403);
  });
});

describe('nothing a letter says runs, and no file is served by its path', () => {
  it('shows a stored <script> as text', async () => {
    const clerk = await signedIn('刘芳');
    const page = (await clerk.get('/cases/2026-1')).body;
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('shows a page of a case\'s PDF document as a picture, and nothing for what is not one', async () => {
    const leader = await signedIn('张主任');
    const c = await office.cases.find('八宝信〔2026〕1号');
    const pdf = c.documents.findIndex((d) => d.path.endsWith('.pdf'));
    const docx = c.documents.findIndex((d) => d.path.endsWith('.docx'));
    expect(pdf).toBeGreaterThanOrEqual(0);
    const r = await app.inject({ method: 'GET', url: `/cases/2026-1/documents/${pdf}/pages/1?w=480`, headers: { cookie: leader.cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('image/jpeg');
    const { width, height } = await sharp(r.rawPayload).metadata();
    expect(width).toBe(480);
    expect(height! / width!).toBeCloseTo(297 / 210, 1);
    for (const url of [`/cases/2026-1/documents/${pdf}/pages/99`, `/cases/2026-1/documents/${docx}/pages/1`, '/cases/2026-1/documents/999/pages/1', `/cases/2026-1/documents/${pdf}/pages/0`]) {
      expect((await leader.get(url)).statusCode, url).toBe(404);
    }
    // No signed sheet has come back: the transcription page sends the leader to the case.
    const t = await leader.get('/cases/2026-1/transcribe');
    expect(t.statusCode).toBe(303);
  });

  it('gives nothing for a path like ../../registry.sqlite in any URL', async () => {
    const clerk = await signedIn('刘芳');
    for (const url of ['/cases/2026-1/documents/..%2F..%2Fregistry.sqlite', '/cases/..%2F..%2Farchive%2Fregistry.sqlite', '/assets/../archive/registry.sqlite', '/assets/..%2F..%2F..%2Farchive%2Fregistry.sqlite', '/cases/2026-1/pages/..%2F..%2Fregistry.sqlite']) {
      const r = await clerk.get(url);
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.body, url).not.toContain('SQLite format');
    }
  });
});
