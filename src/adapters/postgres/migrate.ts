import type pg from 'pg';
import { PG_MIGRATIONS } from './schema.js';

/** Any number: the lock every process bringing the schema up to date takes first, so one migrates and the others wait and find it done. */
const MIGRATION_LOCK = 7_208_118;

/**
 * Brings the schema up to date: under a transaction-wide advisory lock, the steps after the last
 * one recorded in schema_version run in order, each recorded with its time, all in one
 * transaction (a step that fails leaves the database as it was). Returns the steps run.
 */
export async function migrate(pool: pg.Pool, steps: readonly string[] = PG_MIGRATIONS, versionTable = 'schema_version'): Promise<number[]> {
  if (!/^[a-z_]+$/.test(versionTable)) throw new RangeError(`not a table name: ${versionTable}`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${versionTable} (step INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
    const { rows } = await client.query<{ step: number | null }>(`SELECT MAX(step) AS step FROM ${versionTable}`);
    const done = rows[0]?.step ?? 0;
    if (done > steps.length) throw new Error(`the database's schema is at step ${done}, newer than this program's ${steps.length}`);
    const ran: number[] = [];
    for (let step = done + 1; step <= steps.length; step++) {
      await client.query(steps[step - 1]!);
      await client.query(`INSERT INTO ${versionTable} (step, applied_at) VALUES ($1, $2)`, [step, new Date().toISOString()]);
      ran.push(step);
    }
    await client.query('COMMIT');
    return ran;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
