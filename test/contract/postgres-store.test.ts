import path from 'node:path';
import { afterAll } from 'vitest';
import { openPostgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { adminStoreContract } from './admin-store-contract.js';
import { alertStoreContract } from './alert-store-contract.js';
import { peopleStoreContract } from './people-store-contract.js';
import { signStoreContract } from './sign-store-contract.js';
import { STORE_OPTIONS, storeContract, type StoreAdapter } from './store-contract.js';

/** Each test's store in a database of its own (XINFANG_TEST_PG's server), dropped when the file's tests are done. */
const databases: string[] = [];

/**
 * A database brought up to date by the store's own migrations once, which each test's database
 * copies (the store opened on the copy finds nothing to do): the steps are not run 35 times over.
 */
let template: Promise<string> | undefined;
async function migratedTemplate(): Promise<string> {
  const { name, url } = await createTestDatabase('xinfang_template');
  databases.push(name);
  await (await openPostgresStore(url, STORE_OPTIONS)).close();
  return name;
}

const postgres: StoreAdapter = {
  async fresh() {
    const { name, url } = await createTestDatabase('xinfang_test', await (template ??= migratedTemplate()));
    databases.push(name);
    return { store: await openPostgresStore(url, STORE_OPTIONS), target: url };
  },
  async connect(target) {
    return openPostgresStore(target, STORE_OPTIONS);
  },
  childModule: path.join(import.meta.dirname, 'postgres-open.ts'),
};

afterAll(() => dropTestDatabases(databases));

storeContract('PostgreSQL (pg, GIN over character pairs)', postgres);
alertStoreContract('PostgreSQL (pg, GIN over character pairs)', postgres);
peopleStoreContract('PostgreSQL (pg, GIN over character pairs)', postgres);
adminStoreContract('PostgreSQL (pg, GIN over character pairs)', postgres);
signStoreContract('PostgreSQL (pg, GIN over character pairs)', postgres);
