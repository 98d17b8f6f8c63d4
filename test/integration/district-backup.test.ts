/**
 * Backup and restore of a district, exactly as the README's "运维：多台电脑部署" tells an office's IT
 * person (issue 18): `pg_dump -Fc` of the database first, then a copy of the district's folder (the
 * file store: every community's archive/, with the settings and templates); the original database
 * dropped; the dump restored into a fresh database with pg_restore, the copy's settings pointed at
 * it; `xinfang verify` at the district root clean, the same cases, numbers and file hashes in every
 * community; and a new letter takes the next number (the numbering restored with the registry).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '../../src/adapters/postgres/sql.js';
import { openDistrict } from '../../src/district.js';
import type { District } from '../../src/district.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

const NOW = '2026-11-20T02:00:00.000Z';
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const cli = (root: string, ...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: NOW });

const LETTERS: Record<string, { name: string; matter: string; channel: string }[]> = {
  babao: [
    { name: '王秀兰', channel: '来访', matter: '楼下烧烤店每天晚上油烟扰民，请求责令整改。' },
    { name: '黄振国', channel: '电话', matter: '物业公司不再清运垃圾，楼道里堆满了杂物。' },
    { name: '李桂芝', channel: '来访', matter: '小区电梯经常停运，老人上下楼困难。' },
  ],
  xinhua: [
    { name: '赵建华', channel: '电话', matter: '工厂拖欠三个月工资，请求帮助讨薪。' },
    { name: '孙丽', channel: '网上', matter: '邻居在公共楼道堆放杂物，影响通行和消防安全。' },
  ],
};

/** What must survive a backup: each community's cases with numbers, fields and every document's hash. */
interface Snapshot {
  [community: string]: { number: string; text: string; name: unknown; documents: [string, string][]; history: string[] }[];
}

async function snapshot(district: District): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const c of district.communities()) {
    const office = await district.officeFor(c.code);
    const cases = [];
    for (const listed of await office.cases.list()) {
      const full = await office.cases.find(listed.number);
      cases.push({
        number: full.number,
        text: full.ocrText,
        name: full.fields.name,
        documents: full.documents.map((d) => [d.path, d.sha256] as [string, string]).sort(),
        history: full.history.map((h) => h.hash),
      });
    }
    out[c.code] = cases.sort((a, b) => a.number.localeCompare(b.number));
  }
  return out;
}

/** A program from Debian's postgresql-client, as the IT person runs it; its failure fails the test with its words. */
function run(program: string, ...args: string[]) {
  const r = spawnSync(program, args, { encoding: 'utf8', timeout: 120_000 });
  expect(r.error, `${program} not runnable`).toBeUndefined();
  expect(r.status, `${program} ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

const databases: string[] = [];
const folders: string[] = [];
let root: string;
let before: Snapshot;
let restoredRoot: string;
let restoredUrl: string;

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_backup');
  databases.push(db.name);
  root = await makeWorkspace({ store: { postgres: db.url }, district: { communities: [] }, office: { name: '朝阳街道办事处', shortName: '朝阳' }, workflow: { blankSheets: false } });
  folders.push(root);
  for (const [code, name] of [['babao', '八宝社区'], ['xinhua', '新华社区']] as const) {
    const added = cli(root, 'community', 'add', code, name);
    expect(added.status, added.stderr).toBe(0);
  }
  let now = at('2026-11-03');
  const district = await openDistrict({ root, clock: () => now, background: 'none' });
  try {
    for (const [code, letters] of Object.entries(LETTERS)) {
      const office = await district.officeFor(code);
      for (const [i, l] of letters.entries()) {
        now = at(`2026-11-0${i + 3}`);
        await office.cases.register({ name: '值班员' }, { channel: l.channel, matter: l.matter, fields: { name: l.name } });
      }
    }
    before = await snapshot(district);
  } finally {
    await district.close();
  }
  // Blank instruction sheets for every case through the CLI: real files in each community's archive/.
  for (const code of Object.keys(LETTERS)) {
    const sheets = cli(path.join(root, 'communities', code), 'sheets');
    expect(sheets.status, sheets.stdout + sheets.stderr).toBe(0);
  }
  const again = await openDistrict({ root, clock: () => now, background: 'none' });
  try {
    before = await snapshot(again);
  } finally {
    await again.close();
  }
}, 300_000);

afterAll(async () => {
  await dropTestDatabases(databases);
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('backup and restore of a district (README 运维)', () => {
  it('dumps the database, then copies the folder; restored into a fresh database the copy verifies clean with the same cases, and numbering goes on', async () => {
    expect(before.babao!.map((c) => c.number)).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号']);
    expect(before.xinhua!.map((c) => c.number)).toEqual(['新华信〔2026〕1号', '新华信〔2026〕2号']);
    expect(before.babao!.every((c) => c.documents.length > 0)).toBe(true);

    // 1. The database first (files are written before the database commits, so a dump never names a file the copy lacks).
    const backup = mkdtempSync(path.join(os.tmpdir(), 'xinfang-backup-'));
    folders.push(backup);
    const dumpFile = path.join(backup, 'xinfang.dump');
    run('pg_dump', '-Fc', '-f', dumpFile, '-d', withUser(urlOf(root)));
    // 2. Then the district's folder: every community's archive/, settings and templates.
    const copied = path.join(backup, '街道文件夹');
    cpSync(root, copied, { recursive: true });

    // The original database is lost.
    await dropTestDatabases([databases[0]!]);

    // 3. Restore into a fresh database; point the copy's settings at it.
    const fresh = await createTestDatabase('xinfang_restored');
    databases.push(fresh.name);
    restoredUrl = fresh.url;
    run('pg_restore', '--no-owner', '-d', withUser(fresh.url), dumpFile);
    const settingsFile = path.join(copied, 'pipeline', 'settings.yaml');
    const settings = readFileSync(settingsFile, 'utf8');
    expect(settings).toContain(urlOf(root));
    writeFileSync(settingsFile, settings.replace(urlOf(root), fresh.url));
    restoredRoot = copied;

    // 4. verify at the district root.
    const verified = cli(restoredRoot, 'verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('全街道（区）2 个社区核验完毕，没有问题');

    let now = at('2026-11-12');
    const district = await openDistrict({ root: restoredRoot, clock: () => now, background: 'none' });
    try {
      expect(await snapshot(district)).toEqual(before);
      // Every file the registry names is in the copy, under the copy's root.
      const babao = await district.officeFor('babao');
      for (const c of before.babao!) for (const [p] of c.documents) expect(readdirSync(path.dirname(babao.paths.absolute(p)))).toContain(path.basename(p));

      // 5. A new letter takes the next number in its community.
      now = at('2026-11-13');
      const next = await babao.cases.register({ name: '值班员' }, { channel: '来访', matter: '小区路灯坏了一个月没人修。', fields: { name: '钱明' } });
      expect(next.number).toBe('八宝信〔2026〕4号');
      const xinhua = await district.officeFor('xinhua');
      const nextX = await xinhua.cases.register({ name: '值班员' }, { channel: '电话', matter: '楼顶漏水，请求维修。', fields: { name: '吴敏' } });
      expect(nextX.number).toBe('新华信〔2026〕3号');
    } finally {
      await district.close();
    }
    const listed = cli(path.join(restoredRoot, 'communities', 'babao'), '--json', 'cases');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('八宝信〔2026〕4号');
    expect(restoredUrl).not.toBe(urlOf(root));
  }, 300_000);
});

/** The connection string a district's settings name (store.postgres). */
function urlOf(districtRoot: string): string {
  const m = /postgres:\s*(\S+)/.exec(readFileSync(path.join(districtRoot, 'pipeline', 'settings.yaml'), 'utf8').replace(/^#.*$/gm, ''));
  if (!m) throw new Error('no store.postgres in the settings');
  return m[1]!.replace(/^["']|["']$/g, '');
}
