/**
 * The PostgreSQL registry read and written table by table (ports/registry-tables.ts): a
 * community's archive copied in, ids kept, in one transaction, then the identity sequences moved
 * past the copied ids and the search index made for the copied cases, as the store makes it.
 */
import type pg from 'pg';
import { toCase } from '../sqlite/sqlite-store.js';
import { fail } from '../../domain/problems.js';
import type { CopyProgress, RawRow, RegistryTable, RegistryWriter } from '../../ports/registry-tables.js';
import { REGISTRY_TABLES } from '../../ports/registry-tables.js';
import { CASE_ROWS, indexCase } from './postgres-store.js';
import { inTransaction, openPool, Sql } from './sql.js';

const BATCH = 1000;
/** PostgreSQL takes at most 65535 values in one statement. */
const MAX_VALUES = 60_000;
/** Any number, other than the migrations' lock: two copies into one database run one after the other. */
const COPY_LOCK = 7_208_119;

/** `schema`: a district's community (its registry's tables, as the store opened them). */
export function openPostgresWriter(connectionString: string, schema?: string): PostgresRegistryWriter {
  return new PostgresRegistryWriter(openPool(connectionString, 2, schema));
}

export class PostgresRegistryWriter implements RegistryWriter {
  private readonly db: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.db = new Sql(pool);
  }

  async schemaStep(): Promise<number> {
    const row = await this.db.get<{ step: number | null }>(`SELECT MAX(step) AS step FROM schema_version`);
    return row?.step ?? 0;
  }

  async tableColumns(): Promise<Map<string, string[]>> {
    const rows = await this.db.all<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
    return out;
  }

  async count(table: RegistryTable): Promise<number> {
    return (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table.name}"`))!.n;
  }

  async *rows(table: RegistryTable, columns: readonly string[]): AsyncGenerator<RawRow[]> {
    const sql = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table.name}" ORDER BY ${table.key.map((k) => `"${k}" NULLS FIRST`).join(', ')} LIMIT ? OFFSET ?`;
    for (let offset = 0; ; offset += BATCH) {
      const batch = await this.db.all<RawRow>(sql, BATCH, offset);
      if (batch.length) yield batch;
      if (batch.length < BATCH) return;
    }
  }

  async copyIn(tables: { table: RegistryTable; columns: readonly string[]; rows: AsyncIterable<RawRow[]> }[], progress: CopyProgress = {}): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.run('SELECT pg_advisory_xact_lock(?)', COPY_LOCK);
      // Checked again under the lock: another copy may have finished while this one waited.
      for (const t of REGISTRY_TABLES) if (await db.get(`SELECT 1 FROM "${t.name}" LIMIT 1`)) fail({ code: 'migrate-target-not-empty', table: t.name });
      for (const { table, columns, rows } of tables) {
        let n = 0;
        const perStatement = Math.max(1, Math.floor(MAX_VALUES / columns.length));
        const names = columns.map((c) => `"${c}"`).join(', ');
        for await (const batch of rows) {
          for (let i = 0; i < batch.length; i += perStatement) {
            const part = batch.slice(i, i + perStatement);
            const values: unknown[] = [];
            const tuples = part.map((row) => `(${columns.map((c) => (values.push(row[c] ?? null), '?')).join(', ')})`);
            await db.run(`INSERT INTO "${table.name}" (${names}) VALUES ${tuples.join(', ')}`, ...values);
          }
          n += batch.length;
        }
        if (table.identity) await db.get(`SELECT setval(pg_get_serial_sequence('"${table.name}"', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM "${table.name}"`);
        await progress.copied?.(table.name, n);
      }
      // The search index, as the store makes it for a case it writes.
      for (let after = 0; ; ) {
        const cases = await db.all(`${CASE_ROWS} WHERE c.id > ? ORDER BY c.id LIMIT ?`, after, BATCH);
        for (const row of cases) await indexCase(db, toCase(row));
        if (cases.length < BATCH) break;
        after = (cases[cases.length - 1] as { id: number }).id;
      }
      await progress.copied?.('case_search', (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_search'))!.n);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
