/**
 * 处理队列 (/admin/queue) over HTTP (Fastify inject), on a community's office of a district on a
 * real PostgreSQL database with the real pg-boss queue: refused to a clerk (page and 重试); the
 * administrator sees this community's jobs only, a dead one with its reason; 重试 without the
 * anti-forgery token is refused, with it the job is back in the queue. An office of its own has no queue.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { openDistrict, type District } from '../../src/district.js';
import { openDistrictQueue } from '../../src/interfaces/worker/district-work.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import type { JobQueue } from '../../src/ports/queue.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { signedInVisitor } from '../helpers/visitor.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';
const databases: string[] = [];
let district: District;
let office: Office;
let app: FastifyInstance;
let queue: JobQueue;
let deadId: string;

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_webqueue');
  databases.push(db.name);
  const root = await makeWorkspace({ store: { postgres: db.url }, district: { communities: [] }, workflow: { blankSheets: false }, queue: { tries: 1, backoffSeconds: 1, expireSeconds: 30, checkSeconds: 1 } });
  district = await openDistrict({ root, background: 'none' });
  for (const [code, name] of [['babao', '八宝社区'], ['xinhua', '新华社区']] as const) await district.addCommunity(terminal, { code, name });
  office = await district.officeFor('babao');
  for (const [name, role] of [['刘芳', '登记员'], ['管理', '管理员']] as const) await office.users.add(terminal, { name, role, password: PASSWORD });

  // A worker whose sheets always fail: one try, then dead with the reason.
  const worker = await openDistrictQueue(district);
  await worker.work('make-sheets', 1, async (job) => {
    throw new Error(`模板“批办单”缺失（${job.data.community}）`);
  });
  queue = await openDistrictQueue(district);
  deadId = (await queue.enqueue('make-sheets', { community: 'babao' }))!;
  const other = (await queue.enqueue('make-sheets', { community: 'xinhua' }))!;
  for (const id of [deadId, other]) {
    for (let i = 0; (await queue.job(id))?.state !== 'dead'; i++) {
      if (i > 200) throw new Error('job never died');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await worker.stop({ graceful: false });
  app = await buildWebServer(office);
});

afterAll(async () => {
  await app?.close();
  await queue?.stop({ graceful: false });
  await district?.close();
  await dropTestDatabases(databases);
});

describe('处理队列 in the browser', () => {
  it('refuses the page and 重试 to a clerk', async () => {
    const clerk = await signedInVisitor(app, '刘芳', PASSWORD);
    expect((await clerk.get('/admin/queue')).statusCode).toBe(403);
    expect((await clerk.post(`/admin/queue/make-sheets/${deadId}/retry`, {})).statusCode).toBe(403);
    expect((await queue.job(deadId))!.state).toBe('dead');
  });

  it("shows this community's jobs with the reason, and 重试 puts a dead one back in the queue", async () => {
    const admin = await signedInVisitor(app, '管理', PASSWORD);
    const page = await admin.get('/admin/queue');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('处理队列');
    expect(page.body).toContain('已停止重试 1 件');
    expect(page.body).toContain('模板“批办单”缺失（babao）');
    expect(page.body).not.toContain('xinhua');
    expect(page.body).toContain(`/admin/queue/make-sheets/${deadId}/retry`);

    expect((await admin.post(`/admin/queue/make-sheets/${deadId}/retry`, {}, { csrf: false })).statusCode).toBe(403);
    expect((await queue.job(deadId))!.state).toBe('dead');
    const retried = await admin.post(`/admin/queue/make-sheets/${deadId}/retry`, {});
    expect(retried.statusCode).toBe(303);
    // Back in the queue with one more try: shown as failed (to be tried again) with its last reason until a worker takes it.
    expect((await queue.job(deadId))!.state).toBe('failed');
    expect((await admin.get('/admin/queue?retried=1')).body).toContain('已重新排入队列');
    // A job of another community is not this administrator's to retry.
    const xinhuaDead = (await queue.jobs({ states: ['dead'], community: 'xinhua' }))[0]!;
    expect((await admin.post(`/admin/queue/make-sheets/${xinhuaDead.id}/retry`, {})).statusCode).toBe(404);
  });

  it('says an office of its own has no queue', async () => {
    const root = await makeWorkspace({ workflow: { blankSheets: false } });
    const single = await officeAt(root, { background: 'none' });
    await single.users.add(terminal, { name: '管理', role: '管理员', password: PASSWORD });
    const web = await buildWebServer(single);
    try {
      const page = await (await signedInVisitor(web, '管理', PASSWORD)).get('/admin/queue');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('没有处理队列');
    } finally {
      await web.close();
      await single.close();
    }
  });
});
