/**
 * The district schema's list of communities (ports/district.ts CommunityList). The district
 * schema also holds a registry of its own (the store's tables, migrated as a community's are),
 * whose users and sessions are the district's users; this list has its own small migration list
 * and version table beside it, so the registry's steps stay those of every community.
 */
import type pg from 'pg';
import type { CommunityList } from '../../ports/district.js';
import { migrate } from './migrate.js';
import { createSchema } from './postgres-store.js';
import { openPool, Sql } from './sql.js';

/** The schema of the district's own tables. */
export const DISTRICT_SCHEMA = 'district';

export const DISTRICT_STEPS: readonly string[] = [
  `CREATE TABLE communities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    schema_name TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL
  )`,
  // A scan the district's intake took from a community's inbox into the shared file store (its job, read-letter, enqueued in the same transaction).
  `CREATE TABLE received_files (
    community TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    stored TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (community, sha256)
  )`,
];

export async function openCommunityList(connectionString: string): Promise<CommunityList> {
  const pool = openPool(connectionString, 2, DISTRICT_SCHEMA);
  try {
    await createSchema(pool, DISTRICT_SCHEMA);
    await migrate(pool, DISTRICT_STEPS, 'district_version');
  } catch (e) {
    await pool.end();
    throw e;
  }
  return new PostgresCommunityList(pool);
}

class PostgresCommunityList implements CommunityList {
  private readonly db: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.db = new Sql(pool);
  }

  async list() {
    const rows = await this.db.all<{ code: string; name: string; schema_name: string; added_at: string }>('SELECT * FROM communities ORDER BY code');
    return rows.map((r) => ({ code: r.code, name: r.name, schema: r.schema_name, addedAt: r.added_at }));
  }

  async record(community: { code: string; name: string; schema: string }, at: Date): Promise<void> {
    await this.db.run(
      'INSERT INTO communities (code, name, schema_name, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name',
      community.code, community.name, community.schema, at.toISOString(),
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
