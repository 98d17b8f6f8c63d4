/**
 * A PostgreSQL server for the tests: the one XINFANG_TEST_PG names (default: this machine's, over
 * its local socket, as .ci/run starts it). Each suite makes databases of its own and drops them
 * after. A server that does not answer fails the test with the reason: nothing is skipped.
 */
import pg from 'pg';
import { withUser } from '../../src/adapters/postgres/sql.js';

export const TEST_PG = process.env.XINFANG_TEST_PG ?? 'postgresql:///postgres?host=/var/run/postgresql';

/** The same server, another database. */
export function databaseUrl(name: string, server = TEST_PG): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<R>(work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: withUser(TEST_PG) });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `No PostgreSQL server answers at ${TEST_PG} (${(e as Error).message}). The PostgreSQL tests need one: start it as .ci/run does ` +
        `(apt-get install postgresql; pg_ctlcluster 15 main start; su postgres -c "createuser -s $(whoami)"), or point XINFANG_TEST_PG at another.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let made = 0;

/** A new database, empty or a copy of `template` (a database no one is connected to); its connection string. */
export async function createTestDatabase(prefix = 'xinfang_test', template?: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${made++}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return { name, url: databaseUrl(name) };
}

/**
 * Drops databases, whoever is still connected to them. Each DROP DATABASE waits for a checkpoint
 * (about a second here); dropped side by side, eight at a time, they share them.
 */
export async function dropTestDatabases(names: string[]): Promise<void> {
  const waiting = [...names];
  const dropper = () =>
    admin(async (c) => {
      for (let name = waiting.shift(); name !== undefined; name = waiting.shift()) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  await Promise.all(Array.from({ length: Math.min(8, waiting.length) }, dropper));
}
