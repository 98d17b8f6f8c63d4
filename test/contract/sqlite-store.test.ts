import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { STORE_OPTIONS, storeContract } from './store-contract.js';

storeContract('SQLite (better-sqlite3, WAL, FTS5)', {
  async fresh() {
    const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'xinfang-store-')), 'registry.sqlite');
    return { store: openSqliteStore(target, STORE_OPTIONS), target };
  },
  async connect(target) {
    return openSqliteStore(target, STORE_OPTIONS);
  },
  childModule: path.join(import.meta.dirname, 'sqlite-open.ts'),
});
