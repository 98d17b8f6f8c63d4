/**
 * The SQLite registry read table by table (ports/registry-tables.ts), for moving it elsewhere. The
 * file is opened as it is, never migrated: its schema step is read, not changed. All reads are in
 * one read transaction, so the tables are read as of one moment.
 */
import Database from 'better-sqlite3';
import { fail } from '../../domain/problems.js';
import type { RawRow, RegistryReader, RegistryTable } from '../../ports/registry-tables.js';

const BATCH = 1000;

export function openSqliteReader(file: string): SqliteRegistryReader {
  try {
    return new SqliteRegistryReader(new Database(file, { fileMustExist: true, timeout: 15_000 }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') fail({ code: 'registry-damaged', file });
    throw e;
  }
}

export class SqliteRegistryReader implements RegistryReader {
  private inSnapshot = false;

  constructor(private readonly db: Database.Database) {}

  /** The reads from here to close() see one moment of the file. */
  private snapshot(): void {
    if (this.inSnapshot) return;
    this.db.exec('BEGIN');
    this.inSnapshot = true;
  }

  async schemaStep(): Promise<number> {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  async tableColumns(): Promise<Map<string, string[]>> {
    this.snapshot();
    const tables = this.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_search_%'`).all() as { name: string }[];
    const out = new Map<string, string[]>();
    for (const { name } of tables) out.set(name, (this.db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]).map((c) => c.name));
    return out;
  }

  async count(table: RegistryTable): Promise<number> {
    this.snapshot();
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM "${table.name}"`).get() as { n: number }).n;
  }

  async *rows(table: RegistryTable, columns: readonly string[]): AsyncGenerator<RawRow[]> {
    this.snapshot();
    const select = this.db.prepare(
      `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table.name}" ORDER BY ${table.key.map((k) => `"${k}" NULLS FIRST`).join(', ')} LIMIT ? OFFSET ?`,
    );
    for (let offset = 0; ; offset += BATCH) {
      const batch = select.all(BATCH, offset) as RawRow[];
      if (batch.length) yield batch;
      if (batch.length < BATCH) return;
    }
  }

  async close(): Promise<void> {
    if (this.inSnapshot) this.db.exec('COMMIT');
    this.db.close();
  }
}
