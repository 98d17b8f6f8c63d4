/**
 * The CLI on a workspace whose settings put the registry on PostgreSQL (store.postgres): register,
 * instruct, search and verify work as on SQLite, and a case shown as JSON is the same, history
 * hashes and all, as the same commands give on a SQLite workspace. A wrong or unreachable
 * connection string is told in Chinese.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPool } from '../../src/adapters/postgres/sql.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

const databases: string[] = [];
afterAll(() => dropTestDatabases(databases));

/** The same commands, at the same pinned times, on a workspace. */
function office(root: string) {
  const cli = (at: string, ...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: `${at}T02:00:00.000Z` });
  return {
    cli,
    run() {
      const steps = [
        cli('2026-11-03', 'register', '--channel', '来访', '--name', '王秀兰', '--phone', '13900000001', '--matter', '楼下烧烤店每天晚上油烟扰民。', '--by', '刘芳'),
        cli('2026-11-04', 'register', '--channel', '电话', '--name', '黄振国', '--matter', '物业公司不再清运垃圾，楼道里堆满了杂物。', '--by', '刘芳'),
        cli('2026-11-05', 'instruct', '1', '--leader', '张主任', '--text', '请城建办处理', '--handler', '李文', '--by', '张主任'),
      ];
      for (const s of steps) expect(s.status, s.stderr).toBe(0);
    },
    show: (ref: string) => JSON.parse(cli('2026-11-06', '--json', 'show', ref).stdout) as Record<string, unknown>,
  };
}

describe('the CLI on PostgreSQL', () => {
  it('registers, instructs, searches and verifies, and shows each case exactly as on SQLite', async () => {
    const { name, url } = await createTestDatabase();
    databases.push(name);
    const onPg = office(await makeWorkspace({ store: { postgres: url } }));
    const sqliteRoot = await makeWorkspace();
    const onSqlite = office(sqliteRoot);
    onPg.run();
    onSqlite.run();

    const found = onPg.cli('2026-11-06', 'search', '烧烤');
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toContain('八宝信〔2026〕1号');
    expect(found.stdout).not.toContain('八宝信〔2026〕2号');
    // Two characters, which a trigram index could not look up.
    expect(onPg.cli('2026-11-06', 'search', '垃圾').stdout).toContain('八宝信〔2026〕2号');
    const verified = onPg.cli('2026-11-06', 'verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);

    // A Word file holds the moment it was zipped, so its fingerprint differs from run to run on any store; every other value is the same.
    const comparable = (shown: Record<string, unknown>) => ({
      ...shown,
      documents: (shown.documents as { path: string; sha256: string }[]).map((d) => (d.path.endsWith('.docx') ? { ...d, sha256: '(Word)' } : d)),
    });
    for (const ref of ['1', '2']) expect(comparable(onPg.show(ref))).toEqual(comparable(onSqlite.show(ref)));
    const history = onPg.show('1').history as { hash: string; prevHash: string }[];
    expect(history).toHaveLength(2);
    expect(history[1]!.prevHash).toBe(history[0]!.hash);

    // The registry is in the database, not in a file beside the cases.
    const pool = openPool(url, 1);
    expect((await pool.query('SELECT COUNT(*)::int AS n FROM cases')).rows[0].n).toBe(2);
    await pool.end();
    expect(existsSync(path.join(sqliteRoot, 'archive', 'registry.sqlite'))).toBe(true);
  });

  it('tells in Chinese when the connection string is not one, or no server answers it', async () => {
    const wrong = await makeWorkspace({ store: { postgres: 'mysql://localhost/xinfang' } });
    const bad = runCli(['--root', wrong, 'cases']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('store.postgres：应为 PostgreSQL 数据库的连接地址');
    const away = await makeWorkspace({ store: { postgres: 'postgresql://xinfang:secret@127.0.0.1:1/xinfang' } });
    const down = runCli(['--root', away, 'cases']);
    expect(down.status).not.toBe(0);
    expect(down.stderr).toContain('连不上设置 store.postgres 指定的数据库');
    expect(down.stderr).not.toContain('secret');
  });
});
