import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { adminStoreContract } from './admin-store-contract.js';
import { alertStoreContract } from './alert-store-contract.js';
import { signStoreContract } from './sign-store-contract.js';
import { peopleStoreContract } from './people-store-contract.js';
import { STORE_OPTIONS, storeContract, type StoreAdapter } from './store-contract.js';

const sqlite: StoreAdapter = {
  async fresh() {
    const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-store-')), 'registry.sqlite');
    return { store: openSqliteStore(target, STORE_OPTIONS), target };
  },
  async connect(target) {
    return openSqliteStore(target, STORE_OPTIONS);
  },
  childModule: path.join(import.meta.dirname, 'sqlite-open.ts'),
};

storeContract('SQLite (better-sqlite3, WAL, FTS5)', sqlite);
alertStoreContract('SQLite (better-sqlite3, WAL, FTS5)', sqlite);
peopleStoreContract('SQLite (better-sqlite3, WAL, FTS5)', sqlite);
adminStoreContract('SQLite (better-sqlite3, WAL, FTS5)', sqlite);
signStoreContract('SQLite (better-sqlite3, WAL, FTS5)', sqlite);
