/**
 * PostgreSQL beyond the shared contract: many pools (as many machines would hold) registering at
 * once across two years with some registrations rolled back, and the schema's steps run once
 * however many processes start together.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { openPostgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { PG_MIGRATIONS } from '../../src/adapters/postgres/schema.js';
import { MIGRATIONS } from '../../src/adapters/sqlite/schema.js';
import { openPool } from '../../src/adapters/postgres/sql.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { folderFor, petition, STORE_OPTIONS } from './petitions.js';

const databases: string[] = [];
afterAll(() => dropTestDatabases(databases));

async function freshUrl() {
  const { name, url } = await createTestDatabase();
  databases.push(name);
  return url;
}

describe('PostgreSQL numbering with many writers', () => {
  it('gives five pools registering 200 petitions at once across two years every number once, 1..N per year, rollbacks giving theirs back', async () => {
    const url = await freshUrl();
    const stores = await Promise.all(Array.from({ length: 5 }, () => openPostgresStore(url, { ...STORE_OPTIONS, poolSize: 4 })));
    const failing = (i: number) => i % 9 === 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        stores[i % stores.length]!.register(petition(`m${i}`, {}, '来信', i % 3 === 0 ? 2027 : 2026), (year, number) => {
          // Some registrations stop inside their transaction, after the number was drawn.
          if (failing(i)) throw new Error('no folder');
          return folderFor(year, number);
        }),
      ),
    );
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(Array.from({ length: 200 }, (_, i) => i).filter(failing).length);
    const cases = await stores[0]!.listCases();
    for (const year of [2026, 2027]) {
      const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) => !failing(i) && (i % 3 === 0 ? 2027 : 2026) === year).length;
      expect(cases.filter((c) => c.year === year).map((c) => c.seq)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    }
    expect(new Set(cases.map((c) => c.number)).size).toBe(cases.length);
    // The same scans again, from every pool at once: each gives back the case it made, nothing new is numbered.
    const again = await Promise.all(cases.slice(0, 20).map((c, i) => stores[i % stores.length]!.register(petition(c.sourceSha256!, {}, '来信', c.year), folderFor)));
    expect(again.every((r) => !r.created)).toBe(true);
    expect((await stores[1]!.listCases()).length).toBe(cases.length);
    for (const s of stores) await s.close();
  });
});

describe('PostgreSQL migrations', () => {
  it('runs every step once, in order, when several processes open a new database together, and nothing when it is up to date', async () => {
    const url = await freshUrl();
    const stores = await Promise.all(Array.from({ length: 3 }, () => openPostgresStore(url, STORE_OPTIONS)));
    const pool = openPool(url, 1);
    const steps = (await pool.query<{ step: number }>('SELECT step FROM schema_version ORDER BY step')).rows.map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: PG_MIGRATIONS.length }, (_, i) => i + 1));
    // Step N on PostgreSQL makes what step N on SQLite makes: a step added to one is added to the other.
    expect(PG_MIGRATIONS.length).toBe(MIGRATIONS.length);
    expect(await migrate(pool)).toEqual([]);
    // A later step is added at the end and runs alone; a step that fails leaves the database as it was.
    expect(await migrate(pool, [...PG_MIGRATIONS, 'CREATE TABLE later_step (id INTEGER)'])).toEqual([PG_MIGRATIONS.length + 1]);
    await expect(migrate(pool, [...PG_MIGRATIONS, 'CREATE TABLE later_step (id INTEGER)', 'CREATE TABLE x (id INTEGER); SELECT no_such_column FROM x'])).rejects.toThrow();
    expect((await pool.query("SELECT to_regclass('x') AS x")).rows[0].x).toBeNull();
    expect((await pool.query<{ step: number }>('SELECT MAX(step) AS step FROM schema_version')).rows[0]!.step).toBe(PG_MIGRATIONS.length + 1);
    // A database newer than the program is not touched.
    await expect(migrate(pool)).rejects.toThrow(/newer/);
    await pool.end();
    for (const s of stores) await s.close();
  });

  it('fails with the reason when no server answers', async () => {
    await expect(openPostgresStore('postgresql:///xinfang?host=/nonexistent-socket-dir', STORE_OPTIONS)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
