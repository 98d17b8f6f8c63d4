/**
 * The district's queue (issue 18) measured: `measureQueue({ workers, letters })` makes a district
 * with one community on a fresh PostgreSQL database, puts `letters` distinct sample letters into
 * its inbox, receives them into the queue in this process (as `xinfang intake` does), and lets
 * `workers` `xinfang worker` processes (the compiled CLI) take them. Returns pages per minute
 * (from the first job started to the last finished), and the queue's own cost per job: the
 * pick-up latency of an idle worker (enqueue → start, ms), the bookkeeping (a job's time in the
 * queue's books beyond its handler's, ms), and the enqueue (record + job in one transaction, ms).
 *
 *   node dist/tools/bench/district-queue.js [letters]     (both 1 and 2 workers)
 * XINFANG_BENCH_PG names the server (default the local socket). For `npm run bench:district`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEntry, packageRoot } from '../../adapters/files/workspace.js';
import { silentLog } from '../../adapters/log/log.js';
import { QUEUE_SCHEMA } from '../../adapters/pgboss/pgboss-queue.js';
import { openPool } from '../../adapters/postgres/sql.js';
import { reencode } from '../../adapters/sharp/raster.js';
import { parseYaml, stringifyYaml } from '../../adapters/yaml/yaml.js';
import { openDistrict } from '../../district.js';
import { openDistrictQueue, receiveOnce } from '../../interfaces/worker/district-work.js';
import type { StabilityTracker } from '../../services/intake/inbox.js';
import { initWorkspace } from '../../services/workspace.js';

export interface QueueFigures {
  workers: number;
  letters: number;
  pages: number;
  pagesPerMinute: number;
  seconds: number;
  /** An idle worker: ms from enqueue to the job's start (median of 5). */
  pickupMs: number;
  /** Per job: ms the queue's books add beyond the handler (fetch → complete minus the handler's own time; median). */
  bookkeepingMs: number;
  /** Per job: ms to record the scan and enqueue its job in one transaction (median). */
  enqueueMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

export async function measureQueue(options: { workers: 1 | 2; letters: number; server?: string }): Promise<QueueFigures> {
  const server = options.server ?? process.env.XINFANG_BENCH_PG ?? 'postgresql:///postgres?host=/var/run/postgresql';
  const dbName = `xinfang_bench_queue_${process.pid}_${Date.now().toString(36)}`;
  const admin = openPool(server, 1);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const root = mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-queue-'));
  const children: ChildProcess[] = [];
  try {
    await initWorkspace(root);
    const file = path.join(root, 'pipeline', 'settings.yaml');
    const settings = parseYaml(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    Object.assign(settings, {
      store: { postgres: url.toString() },
      district: { communities: [] },
      workflow: { ...settings.workflow, blankSheets: false },
      intake: { ...settings.intake, stableSeconds: 0 },
      queue: { tries: 2, backoffSeconds: 1, expireSeconds: 600, checkSeconds: 5, concurrency: 1 },
    });
    writeFileSync(file, stringifyYaml(settings));
    const district = await openDistrict({ root, background: 'none' });
    await district.addCommunity({ name: '管理员（终端）' }, { code: 'bench', name: '测试社区' });
    const queue = await openDistrictQueue(district);
    const samples = path.join(packageRoot(), 'test', 'fixtures', 'samples', 'scans');
    const inbox = path.join(district.community('bench').root, 'inbox');
    for (let i = 0; i < options.letters; i++) {
      const source = ['S01.jpg', 'S02.jpg'][i % 2]!;
      writeFileSync(path.join(inbox, `letter-${String(i + 1).padStart(3, '0')}.jpg`), await reencode(path.join(samples, source), 'jpeg', i, 300 + i));
    }
    const pool = openPool(url.toString(), 1);
    try {
      // Enqueue: every letter recorded and its job sent in one transaction, timed one by one.
      const t0 = performance.now();
      const got = await receiveOnce(district, queue, new Map<string, StabilityTracker>(), silentLog());
      const enqueueMs = (performance.now() - t0) / Math.max(1, got.length);

      for (let i = 0; i < options.workers; i++) children.push(spawn(process.execPath, [cliEntry(), '--root', root, 'worker'], { stdio: 'ignore' }));
      const deadline = Date.now() + 30 * 60_000;
      while ((await queue.counts()).done < options.letters) {
        if (Date.now() > deadline) throw new Error('bench: the workers did not finish in 30 minutes');
        if ((await queue.counts()).dead > 0) throw new Error('bench: a job died');
        await new Promise((r) => setTimeout(r, 500));
      }
      const span = await pool.query(`SELECT extract(epoch FROM max(completed_on) - min(started_on)) AS s FROM ${QUEUE_SCHEMA}.job WHERE name = 'read-letter'`);
      const seconds = Number(span.rows[0].s);
      const cases = await (await district.officeFor('bench')).cases.list();
      const pages = cases.length; // one page a letter
      // The handler's own time from the district's log ("job done", ms), against the books' span of each job.
      const handler = new Map<string, number>();
      for (const line of readFileSync(path.join(root, 'archive', 'logs', 'xinfang.log'), 'utf8').split('\n')) {
        if (!line.includes('"job done"')) continue;
        const entry = JSON.parse(line) as { job: string; ms: number };
        handler.set(entry.job, entry.ms);
      }
      const spans = await pool.query(`SELECT id, extract(epoch FROM completed_on - started_on) * 1000 AS ms FROM ${QUEUE_SCHEMA}.job WHERE name = 'read-letter' AND state = 'completed'`);
      const bookkeeping = spans.rows.filter((r) => handler.has(r.id)).map((r) => Number(r.ms) - handler.get(r.id)!);

      // Pick-up by an idle worker: one small job at a time.
      const pickups: number[] = [];
      for (let i = 0; i < 5; i++) {
        const id = (await queue.enqueue('make-sheets', { community: 'bench' }))!;
        for (let job = await queue.job(id); job?.state !== 'done'; job = await queue.job(id)) await new Promise((r) => setTimeout(r, 100));
        const row = await pool.query(`SELECT extract(epoch FROM started_on - created_on) * 1000 AS ms FROM ${QUEUE_SCHEMA}.job WHERE id = $1`, [id]);
        pickups.push(Number(row.rows[0].ms));
      }
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
      await queue.stop({ graceful: false });
      await district.close();
      return {
        workers: options.workers,
        letters: options.letters,
        pages,
        pagesPerMinute: Math.round((pages / seconds) * 60 * 10) / 10,
        seconds: Math.round(seconds * 10) / 10,
        pickupMs: Math.round(median(pickups)),
        bookkeepingMs: Math.round(median(bookkeeping)),
        enqueueMs: Math.round(enqueueMs),
      };
    } finally {
      await pool.end();
    }
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const letters = Number(process.argv[2] ?? 24);
  for (const workers of [1, 2] as const) console.log(JSON.stringify(await measureQueue({ workers, letters })));
}
