import os from 'node:os';
import pg from 'pg';

/** A pool or a client inside a transaction: statements written with `?` for each value, as the SQLite adapter writes them. */
export class Sql {
  constructor(readonly on: pg.Pool | pg.PoolClient) {}

  async all<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]> {
    return (await this.on.query(numbered(sql), params)).rows as R[];
  }

  async get<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R | undefined> {
    return (await this.all<R>(sql, ...params))[0];
  }

  /** The rows as arrays, read by place. */
  async raw(sql: string, ...params: unknown[]): Promise<unknown[][]> {
    return (await this.on.query({ text: numbered(sql), values: params, rowMode: 'array' })).rows as unknown[][];
  }

  /** The rows changed. */
  async run(sql: string, ...params: unknown[]): Promise<number> {
    return (await this.on.query(numbered(sql), params)).rowCount ?? 0;
  }
}

const NUMBERED = new Map<string, string>();

/** `?` → `$1`, `$2`… outside quoted text; the statements here never use the `?` operators of jsonb. */
export function numbered(sql: string): string {
  const known = NUMBERED.get(sql);
  if (known !== undefined) return known;
  let n = 0;
  let quoted: string | null = null;
  let out = '';
  for (const ch of sql) {
    if (quoted) {
      if (ch === quoted) quoted = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quoted = ch;
      out += ch;
    } else out += ch === '?' ? `$${++n}` : ch;
  }
  NUMBERED.set(sql, out);
  return out;
}

/** BIGINT (COUNT(*), sums, file sizes) as a number, as SQLite gives it; every such value here is far below 2^53. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format))) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A pool on the connection string. Without a user in it (`postgresql:///xinfang?host=/var/run/postgresql`,
 * peer authentication over the local socket), the user is PGUSER or the one running the program.
 */
export function openPool(connectionString: string, max = 10, schema?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: inSchema(withUser(connectionString), schema), max, types: TYPES });
  // An idle connection the server dropped (restart, network) is replaced on the next query; it must not end the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The connection string with every connection's search_path set to one schema (a community's
 * registry in a district's database): the store's statements name no schema, so the same code and
 * migrations serve every community, each in its own tables. Set in the string because node-postgres
 * lets the string's parameters override the config object's.
 */
export function inSchema(connectionString: string, schema: string | undefined): string {
  if (!schema) return connectionString;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`not a schema name: ${schema}`);
  const url = new URL(connectionString);
  const given = url.searchParams.get('options');
  url.searchParams.set('options', `${given ? `${given} ` : ''}-c search_path=${schema}`);
  return url.toString();
}

/** The connection string with a user: its own, else PGUSER's or the program's (node-postgres reads no user from the system when the string gives none). */
export function withUser(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.username || url.searchParams.has('user')) return connectionString;
  url.searchParams.set('user', process.env.PGUSER ?? os.userInfo().username);
  return url.toString();
}

/** Runs `work` in one transaction on one connection; rolled back if it throws. */
export async function inTransaction<R>(pool: pg.Pool, work: (db: Sql) => Promise<R>, begin = 'BEGIN'): Promise<R> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(new Sql(client));
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Statements sent and the milliseconds until their answers, for the benchmarks. */
export interface QueryCounter {
  statements: number;
  ms: number;
}

/**
 * A pool as openPool makes it whose every client counts and times its queries into `counter`.
 * For the benchmarks only (bench:district); the program's own paths use openPool.
 */
export function openCountingPool(connectionString: string, counter: QueryCounter, max = 10, schema?: string): pg.Pool {
  const pool = openPool(connectionString, max, schema);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      counter.statements++;
      const t = performance.now();
      return Promise.resolve(query(...args)).finally(() => (counter.ms += performance.now() - t));
    };
  });
  return pool;
}
