/**
 * The district's job queue (ports/queue.ts) over pg-boss 10 on the district's database, in its
 * own schema `pgboss`. pg-boss 10 is the last line that runs on Node 20 (11 and 12 need Node 22).
 * A job's insert joins a transaction of ours through pg-boss's `db` option (an executor over the
 * transaction's client). A job that lapses (its worker killed) is failed by pg-boss's
 * supervision after `expireSeconds` and taken up again while it has tries left; after the last,
 * it is dead and a copy goes to its dead-letter queue (<name>-dead) with the reason.
 */
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Log } from '../../ports/log.js';
import { JOB_NAMES, type Job, type JobData, type JobName, type JobQueue, type JobRow, type JobState, type QueueTransaction, type ReceivedFile } from '../../ports/queue.js';
import { DISTRICT_SCHEMA } from '../postgres/district-list.js';
import { openPool, withUser } from '../postgres/sql.js';

type Pool = ReturnType<typeof openPool>;

export const QUEUE_SCHEMA = 'pgboss';

export interface QueueOptions {
  url: string;
  tries: number;
  backoffSeconds: number;
  expireSeconds: number;
  checkSeconds: number;
  log?: Log;
}

const deadOf = (name: JobName) => `${name}-dead`;

/** A job's id from its key: the same key, the same id, so a second enqueue is a no-op. */
export function keyedId(name: string, key: string): string {
  const h = createHash('sha256').update(`${name}\0${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function openPgBossQueue(options: QueueOptions): Promise<JobQueue> {
  const url = withUser(options.url);
  const boss = new PgBoss({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    max: 4,
    supervise: true,
    maintenanceIntervalSeconds: options.checkSeconds,
    monitorStateIntervalSeconds: Math.max(options.checkSeconds, 10),
    schedule: false,
  });
  boss.on('error', (e: Error) => options.log?.warn({ err: e.message }, 'queue: pg-boss error'));
  await boss.start();
  for (const name of JOB_NAMES) {
    // Made once; pg-boss keeps the first settings of a queue, so they are updated each start.
    const queue = { retryLimit: options.tries - 1, retryDelay: options.backoffSeconds, retryBackoff: true, expireInSeconds: options.expireSeconds, deadLetter: deadOf(name) };
    await made(boss, deadOf(name), () => boss.createQueue(deadOf(name)));
    await made(boss, name, () => boss.createQueue(name, { name, ...queue }));
    await boss.updateQueue(name, { name, ...queue });
  }
  const pool = openPool(options.url, 2);
  return new PgBossQueue(boss, pool, options.log);
}

const STATE_OF: Record<string, JobState> = { created: 'waiting', retry: 'failed', active: 'running', failed: 'dead', completed: 'done', cancelled: 'dead' };
const BOSS_STATES: Record<JobState, string[]> = { waiting: ['created'], failed: ['retry'], running: ['active'], dead: ['failed', 'cancelled'], done: ['completed'] };

class PgBossQueue implements JobQueue {
  constructor(
    private readonly boss: PgBoss,
    private readonly pool: Pool,
    private readonly log?: Log,
  ) {}

  async enqueue<N extends JobName>(name: N, data: JobData[N], options: { in?: QueueTransaction; key?: string } = {}): Promise<string | null> {
    const send: PgBoss.SendOptions = {};
    if (options.key) send.id = keyedId(name, options.key);
    if (options.in) {
      const tx = options.in;
      send.db = { executeSql: (text: string, values: unknown[]) => tx.query(text, values) };
    }
    return this.boss.send(name, data as object, send);
  }

  async receive(file: ReceivedFile, at: Date, withJob: (tx: QueueTransaction) => Promise<unknown>): Promise<{ recorded: boolean }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO ${DISTRICT_SCHEMA}.received_files (community, sha256, name, stored, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [file.community, file.sha256, file.name, file.stored, at.toISOString()],
      );
      const tx: QueueTransaction = { query: async (text, values) => ({ rows: (await client.query(text, values)).rows }) };
      await withJob(tx);
      await client.query('COMMIT');
      return { recorded: (inserted.rowCount ?? 0) > 0 };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async work<N extends JobName>(name: N, concurrency: number, handler: (job: Job<N>) => Promise<unknown>): Promise<void> {
    const run = async ([job]: PgBoss.JobWithMetadata<JobData[N]>[]) => {
      const started = Date.now();
      this.log?.info({ job: job!.id, name, data: job!.data, retries: job!.retryCount }, 'job started');
      try {
        const output = await handler({ id: job!.id, name, data: job!.data, retries: job!.retryCount });
        this.log?.info({ job: job!.id, name, ms: Date.now() - started }, 'job done');
        return output;
      } catch (e) {
        this.log?.warn({ job: job!.id, name, err: (e as Error).message, retries: job!.retryCount }, 'job failed');
        throw e;
      }
    };
    // One pg-boss worker per lane, each taking one job at a time.
    for (let i = 0; i < concurrency; i++) await this.boss.work<JobData[N]>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5 }, run);
  }

  async jobs(options: { states?: JobState[]; limit?: number; community?: string } = {}): Promise<JobRow[]> {
    const states = (options.states ?? ['waiting', 'running', 'failed', 'dead', 'done']).flatMap((s) => BOSS_STATES[s]);
    const rows = await this.pool.query(
      `SELECT id, name, state, data, retry_count, output, created_on, started_on, completed_on FROM ${QUEUE_SCHEMA}.job
        WHERE name = ANY($1) AND state::text = ANY($2) AND ($4::text IS NULL OR data->>'community' = $4) ORDER BY created_on DESC LIMIT $3`,
      [JOB_NAMES, states, options.limit ?? 200, options.community ?? null],
    );
    return rows.rows.map(rowOf);
  }

  async job(id: string): Promise<JobRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows = await this.pool.query(
      `SELECT id, name, state, data, retry_count, output, created_on, started_on, completed_on FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1) AND id = $2::uuid`,
      [JOB_NAMES, id],
    );
    return rows.rows[0] ? rowOf(rows.rows[0]) : undefined;
  }

  async counts(options: { community?: string } = {}): Promise<Record<JobState, number>> {
    const rows = await this.pool.query(
      `SELECT state::text AS state, count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1) AND ($2::text IS NULL OR data->>'community' = $2) GROUP BY state`,
      [JOB_NAMES, options.community ?? null],
    );
    const counts: Record<JobState, number> = { waiting: 0, running: 0, failed: 0, dead: 0, done: 0 };
    for (const r of rows.rows) counts[STATE_OF[r.state] ?? 'waiting'] += r.n;
    return counts;
  }

  async retry(name: JobName, id: string): Promise<void> {
    await this.boss.retry(name, id);
  }

  async stop(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful: options.graceful ?? true, timeout: options.timeoutMs ?? 30_000, wait: true });
    await this.pool.end();
  }
}

/** A queue made here, or by another process starting at the same moment. */
async function made(boss: PgBoss, name: string, create: () => Promise<void>): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await create();
  } catch (e) {
    if (!(await boss.getQueue(name))) throw e;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rowOf(r: any): JobRow {
  return {
    id: r.id,
    name: r.name,
    state: STATE_OF[r.state] ?? 'waiting',
    data: r.data ?? {},
    retries: r.retry_count,
    reason: r.state === 'retry' || r.state === 'failed' ? reasonOf(r.output) : null,
    createdAt: r.created_on,
    startedAt: r.started_on,
    completedAt: r.completed_on,
  };
}

function reasonOf(output: unknown): string | null {
  if (!output || typeof output !== 'object') return output ? String(output) : null;
  const o = output as Record<string, unknown>;
  return typeof o.message === 'string' ? o.message : JSON.stringify(o);
}
