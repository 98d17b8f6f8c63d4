/**
 * The district's web over HTTP on a real PostgreSQL district of two communities (issue 18): one
 * server for both, each community under /c/<code>/; a community's clerk signs in to their
 * community and gets 403 (in Chinese) for the other community's case page, document file, page
 * image and search; a district user opens both communities' pages and the district's own pages,
 * whose figures are the sum of the communities' (recomputed here from each community's cases).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDistrict, type District } from '../../src/district.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { makeWorkspace } from '../helpers/workspace.js';

const PASSWORD = 'xinfang-2026';
const terminal = { name: '管理员（终端）' };
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

const databases: string[] = [];
let district: District;
let app: FastifyInstance;
let now = at('2026-11-03');

const LETTERS: Record<string, { name: string; channel: string; matter: string }[]> = {
  babao: [
    { name: '王秀兰', channel: '来访', matter: '楼下烧烤店每天晚上油烟扰民，请求责令整改。' },
    { name: '黄振国', channel: '电话', matter: '物业公司不再清运垃圾，楼道里堆满了杂物。' },
    { name: '李桂芝', channel: '来访', matter: '小区电梯经常停运，老人上下楼困难。' },
  ],
  xinhua: [
    { name: '赵建华', channel: '电话', matter: '工厂拖欠三个月工资，请求帮助讨薪。' },
    { name: '孙丽', channel: '来访', matter: '邻居在公共楼道堆放杂物，影响通行和消防安全。' },
  ],
};

/** A browser of one person: the session cookie kept, the anti-forgery token read from the last page. */
class Visitor {
  private cookie = '';
  csrf = '';
  async get(url: string, headers: Record<string, string> = {}) {
    const r = await app.inject({ method: 'GET', url, headers: { cookie: this.cookie, ...headers } });
    this.keep(r.headers['set-cookie']);
    const m = /name="_csrf" value="([^"]+)"/.exec(r.body);
    if (m) this.csrf = m[1]!;
    return r;
  }
  async post(url: string, form: Record<string, string>) {
    const r = await app.inject({ method: 'POST', url, headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: this.csrf, ...form }).toString() });
    this.keep(r.headers['set-cookie']);
    return r;
  }
  private keep(set: string | string[] | undefined) {
    for (const c of [set ?? []].flat()) if (c.startsWith('xinfang=')) this.cookie = c.split(';')[0]!;
  }
}

async function signIn(loginUrl: string, community: string, name: string): Promise<{ visitor: Visitor; location: string }> {
  const visitor = new Visitor();
  const page = await visitor.get(loginUrl);
  expect(page.statusCode).toBe(200);
  const r = await visitor.post(loginUrl, { community, username: name, password: PASSWORD, next: '/' });
  expect(r.statusCode, r.body).toBe(303);
  return { visitor, location: String(r.headers.location) };
}

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_districtweb');
  databases.push(db.name);
  const root = await makeWorkspace({ store: { postgres: db.url }, district: { communities: [] }, office: { name: '朝阳街道办事处', shortName: '朝阳' }, workflow: { blankSheets: false } });
  district = await openDistrict({ root, clock: () => now, background: 'none' });
  await district.addCommunity(terminal, { code: 'babao', name: '八宝社区' });
  await district.addCommunity(terminal, { code: 'xinhua', name: '新华社区' });
  for (const [code, letters] of Object.entries(LETTERS)) {
    const office = await district.officeFor(code);
    for (const [i, l] of letters.entries()) {
      now = at(`2026-11-0${i + 3}`);
      await office.cases.register({ name: '值班员' }, { channel: l.channel, matter: l.matter, fields: { name: l.name } });
    }
  }
  // 新华社区's first case accepted: its acceptance notice is a file of that community's registry.
  const xinhua = await district.officeFor('xinhua');
  now = at('2026-11-11');
  await xinhua.workflow.instruct({ name: '张主任' }, await xinhua.cases.find('1'), { leader: '张主任', text: '请核实处理。', handler: '李文' });
  now = at('2026-11-12');
  await xinhua.workflow.accept({ name: '张主任' }, await xinhua.cases.find('1'));
  await (await district.officeFor('babao')).users.add(terminal, { name: '刘芳', role: '登记员', password: PASSWORD });
  await xinhua.users.add(terminal, { name: '陈静', role: '登记员', password: PASSWORD });
  await district.users.add(terminal, { name: '王科长', role: '领导', password: PASSWORD });
  now = at('2026-11-20');
  app = await buildWebServer(district);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await district?.close();
  await dropTestDatabases(databases);
});

describe('the district web', () => {
  it('asks which community at sign-in, and sends a community clerk to their own community', async () => {
    const page = await new Visitor().get('/login');
    expect(page.body).toContain('<option value="">街道（区）</option>');
    expect(page.body).toContain('<option value="babao">八宝社区</option>');
    const { visitor, location } = await signIn('/login', 'babao', '刘芳');
    expect(location).toBe('/c/babao/');
    const desk = await visitor.get('/c/babao/');
    expect(desk.statusCode).toBe(200);
    expect(desk.body).toContain('八宝社区');
    // Every link of the community's pages carries its prefix.
    expect(desk.body).toContain('href="/c/babao/cases"');
    expect(desk.body).not.toMatch(/href="\/cases/);
    expect(desk.body).toContain('href="/assets/app.css"');
    // The district's pages are not a community clerk's: they are sent back to their own.
    const home = await visitor.get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/c/babao/');
    // A wrong password for the right community, or the right one for another community, does not sign in.
    const other = new Visitor();
    await other.get('/c/xinhua/login');
    expect((await other.post('/c/xinhua/login', { community: 'xinhua', username: '刘芳', password: PASSWORD, next: '/' })).statusCode).toBe(401);
  });

  it('refuses a clerk of one community the other community’s case page, files, page images and search (403, in Chinese)', async () => {
    const { visitor } = await signIn('/c/babao/login', 'babao', '刘芳');
    const own = await visitor.get('/c/babao/cases/2026-1');
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('八宝信〔2026〕1号');
    expect(own.body).toContain('王秀兰');

    const xinhua = await district.officeFor('xinhua');
    const c = await xinhua.cases.find('1');
    const index = c.documents.findIndex((d) => d.path.endsWith('.pdf'));
    expect(index).toBeGreaterThanOrEqual(0);
    for (const url of ['/c/xinhua/cases/2026-1', `/c/xinhua/cases/2026-1/documents/${index}`, `/c/xinhua/cases/2026-1/documents/${index}/pages/1`, '/c/xinhua/cases?q=工资', '/c/xinhua/', '/c/xinhua/stats']) {
      const r = await visitor.get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.body, url).toContain('不能查看其他社区的案件');
      expect(r.body, url).not.toContain('赵建华');
      expect(r.headers['content-type'], url).toContain('text/html');
      // A page of the clerk's own community: its name and its menu, nothing of the other's.
      expect(r.body, url).toContain('八宝社区 · 信访工作');
      expect(r.body, url).toContain('href="/c/babao/cases"');
      expect(r.body, url).not.toContain('/c/xinhua/');
      expect(r.body, url).not.toContain('新华');
    }
    // A form to the other community is refused too, before anything is done.
    const before = (await xinhua.cases.list()).length;
    const posted = await visitor.post('/c/xinhua/register', { channel: '来访', matter: '测试', name: '某人' });
    expect(posted.statusCode).toBe(403);
    expect((await xinhua.cases.list()).length).toBe(before);
    // Its own community's file is served.
    const signed = await signIn('/c/xinhua/login', 'xinhua', '陈静');
    const file = await signed.visitor.get(`/c/xinhua/cases/2026-1/documents/${index}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lets a district user open every community’s pages, and search across them', async () => {
    const { visitor, location } = await signIn('/login', '', '王科长');
    expect(location).toBe('/');
    for (const [code, number, name] of [['babao', '八宝信〔2026〕2号', '黄振国'], ['xinhua', '新华信〔2026〕2号', '孙丽']] as const) {
      const r = await visitor.get(`/c/${code}/cases/2026-2`);
      expect(r.statusCode, code).toBe(200);
      expect(r.body).toContain(number);
      expect(r.body).toContain(name);
    }
    const found = await visitor.get(`/search?q=${encodeURIComponent('杂物')}`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('八宝社区');
    expect(found.body).toContain('新华社区');
    expect(found.body).toContain(`href="/c/babao/cases/${encodeURIComponent('八宝信〔2026〕2号')}"`);
    expect(found.body).toContain(`href="/c/xinhua/cases/${encodeURIComponent('新华信〔2026〕2号')}"`);
    // A hit's link opens the case.
    expect((await visitor.get(`/c/babao/cases/${encodeURIComponent('八宝信〔2026〕2号')}`)).statusCode).toBe(200);
    // A community's clerk cannot search across.
    const clerk = (await signIn('/login', 'babao', '刘芳')).visitor;
    const refused = await clerk.get(`/search?q=${encodeURIComponent('杂物')}`);
    expect(refused.statusCode).toBe(302);
    expect(refused.headers.location).toBe('/c/babao/');
  });

  it('shows the district’s figures, equal to the sum of the communities’ (recomputed from their cases)', async () => {
    const { visitor } = await signIn('/login', '', '王科长');
    const r = await visitor.get('/?month=2026-11');
    expect(r.statusCode).toBe(200);
    const totalOf = (key: string) => Number(new RegExp(`data-community="${key}">.*?<td class="total">(\\d+)</td>`, 's').exec(r.body)?.[1]);
    let sum = 0;
    for (const code of ['babao', 'xinhua']) {
      const cases = (await (await district.officeFor(code)).cases.list()).filter((c) => c.receivedAt >= '2026-10-31T16:00:00.000Z' && c.receivedAt < '2026-11-30T16:00:00.000Z');
      expect(totalOf(code), code).toBe(cases.length);
      sum += cases.length;
    }
    expect(sum).toBe(5);
    expect(totalOf('total')).toBe(sum);
    expect(r.body).toContain('<a href="/c/babao/">八宝社区</a>');
    // The district's page polls no community's alerts (it has none of its own).
    expect(r.body).not.toContain('/alerts/banner');
  });

  it('leaves a session of one community without the other community, after signing out', async () => {
    const { visitor } = await signIn('/login', 'babao', '刘芳');
    // The sign-out form's token is the signed-in page's.
    expect((await visitor.get('/c/babao/')).body).toContain('action="/c/babao/logout"');
    const out = await visitor.post('/c/babao/logout', {});
    expect(out.statusCode).toBe(303);
    const after = await visitor.get('/c/babao/cases/2026-1');
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe(`/c/babao/login?next=${encodeURIComponent('/cases/2026-1')}`);
    // A community the district does not have is a page not found.
    const again = (await signIn('/login', 'babao', '刘芳')).visitor;
    const nowhere = await again.get('/c/nowhere/cases');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.body).toContain('没有这个页面');
  });
});
