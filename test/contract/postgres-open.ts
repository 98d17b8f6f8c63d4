import { openPostgresStore, type PostgresStoreOptions } from '../../src/adapters/postgres/postgres-store.js';

/** How the contract suite's child processes open the PostgreSQL store: the target is the database's connection string. */
export async function open(url: string, options: PostgresStoreOptions) {
  return openPostgresStore(url, options);
}
