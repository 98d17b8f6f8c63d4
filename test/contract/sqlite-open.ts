import { openSqliteStore, type SqliteStoreOptions } from '../../src/adapters/sqlite/sqlite-store.js';

/** How the contract suite's child processes open the SQLite store. */
export async function open(file: string, options: SqliteStoreOptions) {
  return openSqliteStore(file, options);
}
