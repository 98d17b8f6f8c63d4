/**
 * Moving in (issue 18): a community's SQLite archive, built through the services (a scanned letter
 * with a corrected line, cases through the workflow, one closed and bound, a user, a duty link, an
 * informant's report with its alert read), moved by the compiled CLI's `migrate` into a fresh
 * PostgreSQL database and another workspace folder. The target then shows every case exactly as the
 * source does, verifies clean, finds a two-character query, numbers the next case after the last,
 * signs the user in with the old password; a second run changes nothing. Refusals (an older schema,
 * other cases under the same numbers, a target on SQLite) leave the target as it was, and so does a
 * copy stopped inside its transaction, by a throw or by kill -9 while it waits on a lock the test holds.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool } from '../../src/adapters/postgres/sql.js';
import { migrateArchive } from '../../src/app.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { ingestInbox, makeWorkspace, officeAt, scan } from '../helpers/workspace.js';
import { silentLog } from '../../src/adapters/log/log.js';
import { parseYaml, stringifyYaml } from '../../src/adapters/yaml/yaml.js';

const databases: string[] = [];
afterAll(() => dropTestDatabases(databases));

const PASSWORD = 'xinfang-2026';
const NOW = '2026-11-25T02:00:00.000Z';
const terminal = { name: '管理员（终端）' };
const who = { name: '刘芳' };
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const cli = (root: string, ...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: NOW });
const show = (root: string, ref: string) => {
  const r = cli(root, '--json', 'show', ref);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

async function freshTarget(): Promise<{ root: string; url: string }> {
  const { name, url } = await createTestDatabase();
  databases.push(name);
  return { root: await makeWorkspace({ store: { postgres: url } }), url };
}

async function countIn(url: string, table: string): Promise<number> {
  const pool = openPool(url, 1);
  try {
    return (await pool.query(`SELECT COUNT(*)::int AS n FROM ${table}`)).rows[0].n as number;
  } finally {
    await pool.end();
  }
}

/** Files under the target's year folders (what a half-done copy would leave behind). */
function yearFiles(root: string): string[] {
  const archive = path.join(root, 'archive', '2026');
  return existsSync(archive) ? readdirSync(archive, { recursive: true, encoding: 'utf8' }) : [];
}

let source: string;
let numbers: string[];

beforeAll(async () => {
  source = await makeWorkspace();
  copyFileSync(scan('S01.jpg'), path.join(source, 'inbox', 'S01.jpg'));
  const run = await ingestInbox(source);
  await run.close();
  let now = at('2026-11-03');
  const office = await officeAt(source, { clock: () => now, background: 'none' });
  const on = (day: string) => ((now = at(day)), office);
  try {
    await office.users.add(terminal, { name: '刘芳', role: '登记员', password: PASSWORD });
    for (const matter of ['小区路灯损坏，夜间出行不便。', '楼道堆放杂物，存在消防隐患。', '物业公司不再清运垃圾，楼道里堆满了杂物。']) {
      await on('2026-11-03').cases.register(who, { channel: '来访', matter, fields: { name: '王秀兰' } });
    }
    // A clerk's reading of a scanned line.
    await on('2026-11-04').corrections.correctLines(who, '1', 1, [{ line: 1, text: '更正后的第一行' }]);
    // Case 2 closed and bound.
    const d = (n: string) => office.cases.find(n);
    await on('2026-11-05').workflow.instruct(who, await d('2'), { leader: '张主任', text: '请城建办协调处理', handler: '李文' });
    await on('2026-11-06').workflow.accept(who, await d('2'));
    await on('2026-11-20').workflow.reply(who, await d('2'), { outcome: '予以支持', facts: '经协调，路灯已于11月18日修复。' });
    await on('2026-11-21').workflow.close(who, await d('2'));
    await on('2026-11-22').binding.bindCase(who, await d('2'));
    await on('2026-11-05').workflow.instruct(who, await d('3'), { leader: '张主任', text: '请物业办处理', handler: '李文' });
    await on('2026-11-06').duties.link(terminal, { cadre: '张明', unit: '幸福里物业' });
    const sign = await on('2026-11-07').signs.report(terminal, { place: '东街菜市场', people: '摊贩', matter: '酝酿罢市', risk: '中', reporter: '孙信息' });
    const alerts = await office.alerts.list(terminal);
    expect(alerts.alerts.some((a) => a.signId === sign.id)).toBe(true);
    await office.alerts.markRead(terminal, alerts.alerts[0]!.id);
    numbers = (await office.cases.list()).map((c) => c.number);
  } finally {
    await office.close();
  }
  expect(numbers).toHaveLength(4);
}, 600_000);

describe('xinfang migrate', () => {
  it('moves the archive into PostgreSQL: every case the same, verify clean, search, the next number; a second run changes nothing', async () => {
    const target = await freshTarget();
    const before = Object.fromEntries(['1', '2', '3', '4'].map((n) => [n, show(source, n)]));

    const moved = cli(target.root, 'migrate', '--from', source);
    expect(moved.status, moved.stdout + moved.stderr).toBe(0);
    expect(moved.stdout).toContain('已把社区的登记簿搬进数据库');
    expect(moved.stdout).toContain('案件（cases）：4 → 4，一致');
    expect(moved.stdout).toContain('案件编号 2026 年：5 → 5，一致');
    expect(moved.stdout).toContain('全部一致');
    expect(moved.stdout).not.toContain('不一致');

    const again = cli(target.root, '--json', 'migrate', '--from', source);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.outcome).toBe('already');
    expect(report.ok).toBe(true);
    expect(report.files.copied).toBe(0);
    expect(report.files.inPlace).toBeGreaterThan(0);
    expect(cli(target.root, 'migrate', '--from', source).stdout).toContain('这次登记簿没有改动');

    for (const n of ['1', '2', '3', '4']) expect(show(target.root, n)).toEqual(before[n]);
    const verified = cli(target.root, 'verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('4 个案件的办理记录完整');
    expect(cli(target.root, 'search', '垃圾').stdout).toContain(numbers.find((n) => n.endsWith('4号')));
    // The user signs in with the password set on the old archive.
    const office = await officeAt(target.root, { background: 'none' });
    try {
      expect((await office.users.signIn('刘芳', PASSWORD)).name).toBe('刘芳');
      expect((await office.signs.list(terminal))).toHaveLength(1);
      expect((await office.duties.links(terminal)).map((l) => l.unit)).toEqual(['幸福里物业']);
    } finally {
      await office.close();
    }
    const next = cli(target.root, 'register', '--channel', '电话', '--name', '黄振国', '--matter', '小区门口井盖缺失。', '--by', '刘芳');
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toContain('八宝信〔2026〕5号');
    expect(await countIn(target.url, 'cases')).toBe(5);

    // The target now holds more than this archive: a further run refuses and changes nothing.
    const after = cli(target.root, 'migrate', '--from', source);
    expect(after.status).toBe(1);
    expect(after.stderr).toContain('没有搬动任何内容');
    expect(await countIn(target.url, 'cases')).toBe(5);
  }, 600_000);

  it('refuses a source of an older schema, a target holding other cases under the same numbers, and a target on SQLite', async () => {
    // Older: the source's registry file at step 25.
    const old = await makeWorkspace();
    const office = await officeAt(old, { background: 'none' });
    await office.cases.register(who, { channel: '来访', matter: '旧档案的一封来信。', fields: { name: '李四' } });
    await office.close();
    const db = new Database(path.join(old, 'archive', 'registry.sqlite'));
    db.pragma('user_version = 25');
    db.close();
    const t1 = await freshTarget();
    const older = cli(t1.root, 'migrate', '--from', old);
    expect(older.status).toBe(1);
    expect(older.stderr).toContain('登记簿是旧版程序的');
    expect(older.stderr).toContain('请先用本版程序打开它一次');
    // Refused before the target was opened: the database is as it was, without even the tables.
    expect(await countIn(t1.url, `information_schema.tables WHERE table_schema = 'public'`)).toBe(0);

    // Conflicting: the target registered its own case 1.
    const t2 = await freshTarget();
    expect(cli(t2.root, 'register', '--channel', '来访', '--name', '赵六', '--matter', '别的社区的来信。', '--by', '刘芳').status).toBe(0);
    const clash = cli(t2.root, 'migrate', '--from', source);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toContain('数据库里已有同样编号而内容不同的案件：八宝信〔2026〕1号');
    expect(await countIn(t2.url, 'cases')).toBe(1);
    expect(yearFiles(t2.root).filter((f) => f.includes('.tmp'))).toEqual([]);

    const onSqlite = await makeWorkspace();
    const notPg = cli(onSqlite, 'migrate', '--from', source);
    expect(notPg.status).toBe(1);
    expect(notPg.stderr).toContain('的登记簿不在 PostgreSQL 数据库里');
    expect(existsSync(path.join(onSqlite, 'archive', 'registry.sqlite'))).toBe(false);

    const nowhere = cli(t1.root, 'migrate', '--from', path.join(onSqlite, 'inbox'));
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toContain('不是信访工作区');
  }, 600_000);

  it('a copy stopped inside its transaction leaves the target as it was, and the next run completes', async () => {
    const target = await freshTarget();
    const stop = new Error('stopped for the test');
    await expect(
      migrateArchive({ root: target.root, from: source, log: silentLog(), progress: { copied: (table) => { if (table === 'history') throw stop; } } }),
    ).rejects.toBe(stop);
    for (const table of ['cases', 'history', 'users', 'counters', 'case_search', 'file_journal']) expect(await countIn(target.url, table)).toBe(0);
    expect(yearFiles(target.root).filter((f) => !f.endsWith('/') && path.extname(f))).toEqual([]);
    const verified = cli(target.root, 'verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);

    const report = await migrateArchive({ root: target.root, from: source, log: silentLog() });
    expect(report.outcome).toBe('moved');
    expect(report.ok).toBe(true);
    expect(report.counters.find((c) => c.name === 'case' && c.year === 2026)).toEqual({ name: 'case', year: 2026, source: 5, target: 5 });
  }, 600_000);

  it('moves a workspace’s own registry into the database its settings now name, the files left where they are', async () => {
    const root = await makeWorkspace();
    const office = await officeAt(root, { background: 'none' });
    await office.cases.register(who, { channel: '来访', matter: '小区健身器材损坏。', fields: { name: '钱七' } });
    await office.close();
    const shown = show(root, '1');
    const { name, url } = await createTestDatabase();
    databases.push(name);
    const file = path.join(root, 'pipeline', 'settings.yaml');
    const settings = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, stringifyYaml({ ...settings, store: { postgres: url } }));

    const r = cli(root, '--json', 'migrate', '--from', root);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.outcome, report.ok, report.files.sameFolder, report.files.copied]).toEqual(['moved', true, true, 0]);
    expect(await countIn(url, 'cases')).toBe(1);
    expect(show(root, '1')).toEqual(shown);
    expect(cli(root, 'search', '健身').stdout).toContain('八宝信〔2026〕1号');
  }, 600_000);

  it('a migrate killed (kill -9) inside its copy leaves the target as it was, and the next run completes', async () => {
    const target = await freshTarget();
    expect(cli(target.root, 'cases').status).toBe(0); // the target's tables made
    // The copy is held at the duty links (a lock of the test's), then killed there: no timing involved.
    const holder = openPool(target.url, 1);
    const client = await holder.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE duty_links IN EXCLUSIVE MODE');
    const child = startCli(['--root', target.root, 'migrate', '--from', source]);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Read outside the lock's transaction: inside one, pg_stat_activity stays as first read.
    const watcher = openPool(target.url, 1);
    const waiting = async () => (await watcher.query(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n as number;
    let ended = false;
    void exited.then(() => (ended = true));
    while ((await waiting()) === 0) {
      expect(ended, 'migrate ended before it reached the copy').toBe(false);
      await new Promise((r) => setImmediate(r));
    }
    child.kill('SIGKILL');
    await exited;
    await client.query('COMMIT');
    // The server ends the killed program's session once it finds the connection gone.
    client.release();
    await holder.end();
    const others = async () => (await watcher.query(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows[0].n as number;
    while ((await others()) > 0) await new Promise((r) => setImmediate(r));
    await watcher.end();
    for (const table of ['cases', 'history', 'users', 'duty_links', 'case_search']) expect(await countIn(target.url, table)).toBe(0);

    // The killed run had copied the files beside their names and noted them; opening the target takes them back.
    expect(await countIn(target.url, 'file_journal')).toBeGreaterThan(0);
    const verified = cli(target.root, 'verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(await countIn(target.url, 'file_journal')).toBe(0);
    expect(yearFiles(target.root).filter((f) => path.extname(f))).toEqual([]);

    const moved = cli(target.root, 'migrate', '--from', source);
    expect(moved.status, moved.stdout + moved.stderr).toBe(0);
    expect(moved.stdout).toContain('全部一致');
  }, 600_000);
});
