/**
 * The district's job queue over pg-boss 10 (src/adapters/pgboss), on a real PostgreSQL database:
 * a job enqueued inside a transaction that is rolled back is not there, and its received_files row
 * neither; committed, both are; the same key enqueued again adds nothing; a handler that keeps
 * failing is tried `tries` times with back-off, then is dead with its reason (and a copy in the
 * dead-letter queue); the administrator's retry runs it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgBossQueue, QUEUE_SCHEMA } from '../../src/adapters/pgboss/pgboss-queue.js';
import { openCommunityList } from '../../src/adapters/postgres/district-list.js';
import { openPool } from '../../src/adapters/postgres/sql.js';
import type { JobQueue, JobRow } from '../../src/ports/queue.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';

let url: string;
let dbName: string;
let queue: JobQueue;

const until = async <T>(what: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const got = await what();
    if (got) return got;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
};

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_queue');
  url = db.url;
  dbName = db.name;
  // The district schema (received_files) as openDistrict makes it.
  await (await openCommunityList(url)).close();
  queue = await openPgBossQueue({ url, tries: 2, backoffSeconds: 1, expireSeconds: 30, checkSeconds: 1 });
});

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await dropTestDatabases([dbName]);
});

describe('the pg-boss queue', () => {
  it('keeps no job and no record of a transaction rolled back; both of one committed; a key once', async () => {
    const file = { community: 'babao', sha256: 'a'.repeat(64), name: '来信.jpg', stored: 'aa/x.jpg' };
    await expect(
      queue.receive(file, new Date(), async (tx) => {
        expect(await queue.enqueue('read-letter', { community: 'babao', sha256: file.sha256, name: file.name }, { in: tx, key: 'k1' })).toBeTruthy();
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(await queue.jobs()).toEqual([]);
    const pool = openPool(url, 1);
    try {
      expect((await pool.query('SELECT count(*)::int AS n FROM district.received_files')).rows[0].n).toBe(0);
      const first = await queue.receive(file, new Date(), (tx) => queue.enqueue('read-letter', { community: 'babao', sha256: file.sha256, name: file.name }, { in: tx, key: 'k1' }));
      expect(first.recorded).toBe(true);
      const again = await queue.receive(file, new Date(), async (tx) => expect(await queue.enqueue('read-letter', { community: 'babao', sha256: file.sha256, name: file.name }, { in: tx, key: 'k1' })).toBeNull());
      expect(again.recorded).toBe(false);
      expect((await pool.query('SELECT count(*)::int AS n FROM district.received_files')).rows[0].n).toBe(1);
      const jobs = await queue.jobs();
      expect(jobs.map((j) => [j.name, j.state, j.data])).toEqual([['read-letter', 'waiting', { community: 'babao', sha256: file.sha256, name: file.name }]]);
      expect((await queue.counts()).waiting).toBe(1);
      await pool.query(`DELETE FROM ${QUEUE_SCHEMA}.job`);
    } finally {
      await pool.end();
    }
  });

  it('tries a failing job `tries` times, then it is dead with the reason; retried by hand it runs again', async () => {
    let runs = 0;
    let heal = false;
    await queue.work('make-sheets', 1, async (job) => {
      runs++;
      if (!heal) throw new Error(`模板缺失 ${job.data.community}`);
      return { ok: true };
    });
    const id = (await queue.enqueue('make-sheets', { community: 'xinhua' }))!;
    const failedOnce = await until(async () => (await queue.jobs({ states: ['failed'] })).find((j) => j.id === id));
    expect(failedOnce.reason).toBe('模板缺失 xinhua');
    const dead: JobRow = await until(async () => (await queue.jobs({ states: ['dead'] })).find((j) => j.id === id));
    expect(dead.reason).toBe('模板缺失 xinhua');
    expect(runs).toBe(2);
    const pool = openPool(url, 1);
    try {
      const letters = await pool.query(`SELECT data FROM ${QUEUE_SCHEMA}.job WHERE name = 'make-sheets-dead'`);
      expect(letters.rows.map((r) => r.data)).toEqual([{ community: 'xinhua' }]);
    } finally {
      await pool.end();
    }
    heal = true;
    await queue.retry('make-sheets', id);
    await until(async () => (await queue.jobs({ states: ['done'] })).find((j) => j.id === id));
    expect(runs).toBe(3);
  });
});
