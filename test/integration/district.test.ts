/**
 * Several communities in one PostgreSQL database (issue 18): a district's root whose settings
 * list its communities, each a folder under communities/<code>/ with its registry in its own
 * schema. Each community numbers 1..N on its own under its own short name, keeps its own office
 * name and fonds code (its settings over the district's) and its own templates (over the
 * district's, file by file); a clerk of one community is refused another's case through the
 * services and the compiled CLI ('other-community'), a district user sees both; the district's
 * statistics are the sum of the communities' case lists; verify across is clean, then dirty when
 * one community's file is altered; a SQLite archive moves into one community.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/adapters/log/log.js';
import { openPool } from '../../src/adapters/postgres/sql.js';
import { openPostgresStore } from '../../src/adapters/postgres/postgres-store.js';
import type { Case } from '../../src/domain/case.js';
import { monthPeriod } from '../../src/domain/reports/periods.js';
import { openDistrict } from '../../src/district.js';
import type { DistrictActor } from '../../src/ports/district.js';
import type { District } from '../../src/district.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt, repoRoot } from '../helpers/workspace.js';

const PASSWORD = 'xinfang-2026';
const NOW = '2026-11-20T02:00:00.000Z';
const terminal = { name: '管理员（终端）' };
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const squeeze = (s: string) => s.replace(/\s+/g, '');
const cli = (root: string, ...args: string[]) => runCli(['--root', root, ...args], { XINFANG_NOW: NOW });
/** The CLI with a password on standard input, as `--password-stdin` reads it. */
const cliWithPassword = (root: string, password: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], { encoding: 'utf8', input: `${password}\n`, env: { ...process.env, XINFANG_NOW: NOW }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

const databases: string[] = [];
let root: string;
let url: string;
let district: District;
let now = at('2026-11-03');

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
  dongfeng: [{ name: '周强', channel: '来访', matter: '道路施工噪音扰民，夜间十一点后仍在施工。' }],
};

beforeAll(async () => {
  const db = await createTestDatabase();
  databases.push(db.name);
  url = db.url;
  root = await makeWorkspace({ store: { postgres: url }, district: { communities: [] }, office: { name: '朝阳街道办事处', shortName: '朝阳' }, workflow: { blankSheets: false } });
  // The district's templates: the acceptance notice with a line of its own.
  const notice = readFileSync(path.join(repoRoot, 'templates', '受理告知书.hbs'), 'utf8');
  writeFileSync(path.join(root, 'templates', '受理告知书.hbs'), notice.replace('特此告知。', '本告知书由街道统一格式制作。\n\n特此告知。'));

  // Two communities through the compiled CLI, one through the service.
  for (const [code, name] of [['babao', '八宝社区'], ['xinhua', '新华社区']] as const) {
    const added = cli(root, 'community', 'add', code, name);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toContain(`已添加社区：${name}（${code}）`);
  }
  // 新华社区's own fonds code and office name over the district's; 八宝社区's own acceptance notice.
  appendFileSync(path.join(root, 'communities', 'xinhua', 'pipeline', 'settings.yaml'), 'archive:\n  fondsCode: Z209\n');
  const xinhuaSettings = path.join(root, 'communities', 'xinhua', 'pipeline', 'settings.yaml');
  writeFileSync(xinhuaSettings, readFileSync(xinhuaSettings, 'utf8').replace('name: "新华社区"', 'name: "新华社区居民委员会"'));
  writeFileSync(path.join(root, 'communities', 'babao', 'templates', '受理告知书.hbs'), notice.replace('特此告知。', '八宝社区专用告知书。\n\n特此告知。'));

  district = await openDistrict({ root, clock: () => now, background: 'none' });
  await district.addCommunity(terminal, { code: 'dongfeng', name: '东风社区' });

  for (const [code, letters] of Object.entries(LETTERS)) {
    const office = await district.officeFor(code);
    for (const [i, l] of letters.entries()) {
      now = at(`2026-11-0${i + 3}`);
      await office.cases.register({ name: '值班员' }, { channel: l.channel, matter: l.matter, fields: { name: l.name } });
    }
  }
  await (await district.officeFor('babao')).users.add(terminal, { name: '刘芳', role: '登记员', password: PASSWORD });
  await (await district.officeFor('xinhua')).users.add(terminal, { name: '陈静', role: '登记员', password: PASSWORD });
  await district.users.add(terminal, { name: '王科长', role: '领导', password: PASSWORD });
  now = at('2026-11-10');
}, 300_000);

afterAll(async () => {
  await district?.close();
  await dropTestDatabases(databases);
});

async function signedIn(community: string | null, name: string): Promise<DistrictActor> {
  const user = await district.signIn(community, name, PASSWORD);
  return { name: user.name, role: user.role, community: user.community };
}

describe('communities in one database', () => {
  it('lists the communities, each with its schema, and numbers each 1..N under its own short name', async () => {
    expect(district.communities().map((c) => [c.code, c.name])).toEqual([
      ['babao', '八宝社区'],
      ['xinhua', '新华社区'],
      ['dongfeng', '东风社区'],
    ]);
    const numbers = async (code: string) => (await (await district.officeFor(code)).cases.list()).map((c) => c.number).sort();
    expect(await numbers('babao')).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号']);
    expect(await numbers('xinhua')).toEqual(['新华信〔2026〕1号', '新华信〔2026〕2号']);
    expect(await numbers('dongfeng')).toEqual(['东风信〔2026〕1号']);

    const pool = openPool(url, 1);
    try {
      const schemas = (await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('c_babao', 'c_xinhua', 'c_dongfeng', 'district') ORDER BY nspname`)).rows.map((r) => r.nspname);
      expect(schemas).toEqual(['c_babao', 'c_dongfeng', 'c_xinhua', 'district']);
      expect((await pool.query('SELECT COUNT(*)::int AS n FROM c_babao.cases')).rows[0].n).toBe(3);
      expect((await pool.query('SELECT code, schema_name FROM district.communities ORDER BY code')).rows).toEqual([
        { code: 'babao', schema_name: 'c_babao' },
        { code: 'dongfeng', schema_name: 'c_dongfeng' },
        { code: 'xinhua', schema_name: 'c_xinhua' },
      ]);
    } finally {
      await pool.end();
    }
  });

  it('makes a new schema once when three processes open it at the same moment, each migrated once', async () => {
    const options = { format: '{short}信〔{year}〕{seq}号', short: '测试', schema: 'c_race', poolSize: 2 };
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url, options)));
    await Promise.all(stores.map((s) => s.close()));
    const pool = openPool(url, 1);
    try {
      const steps = (await pool.query('SELECT COUNT(*)::int AS n, COUNT(DISTINCT step)::int AS d FROM c_race.schema_version')).rows[0];
      expect(steps.n).toBe(steps.d);
      expect(steps.n).toBeGreaterThan(20);
      await pool.query('DROP SCHEMA c_race CASCADE');
    } finally {
      await pool.end();
    }
  });

  it("keeps each community's settings over the district's and its templates over the district's, file by file", async () => {
    const babao = await district.officeFor('babao');
    const xinhua = await district.officeFor('xinhua');
    expect(xinhua.settings.archive.fondsCode).toBe('Z209');
    expect(babao.settings.archive.fondsCode).toBe(district.settings.archive.fondsCode);
    expect(district.settings.archive.fondsCode).not.toBe('Z209');
    expect(xinhua.settings.office.name).toBe('新华社区居民委员会');
    expect(babao.settings.office.timezone).toBe(district.settings.office.timezone);

    const notice = async (code: string) => {
      const office = await district.officeFor(code);
      const c = await office.cases.find('1');
      now = at('2026-11-11');
      await office.workflow.instruct({ name: '张主任' }, c, { leader: '张主任', text: '请核实处理。', handler: '李文' });
      now = at('2026-11-12');
      const { documents } = await office.workflow.accept({ name: '张主任' }, await office.cases.find('1'));
      const pdf = documents.find((d) => d.endsWith('.pdf'))!;
      return squeeze((await readPdf(office.paths.absolute(pdf))).pages.map((p) => p.text).join(''));
    };
    const babaoText = await notice('babao');
    expect(babaoText).toContain('八宝社区专用告知书');
    expect(babaoText).not.toContain('街道统一格式');
    expect(babaoText).toContain('八宝社区');
    const xinhuaText = await notice('xinhua');
    expect(xinhuaText).toContain('本告知书由街道统一格式制作');
    expect(xinhuaText).toContain('新华社区居民委员会');
  });

  it("saves a community's settings from the browser's form into the community's own file, over the district's", async () => {
    const dongfeng = await district.officeFor('dongfeng');
    const form = dongfeng.officeSettings.form(terminal);
    const saved = await dongfeng.officeSettings.save(terminal, { ...form, handleDays: '45' });
    expect(saved.changed).toEqual(['handleDays']);
    expect(dongfeng.settings.workflow.handleDays).toBe(45);
    expect((await district.officeFor('babao')).settings.workflow.handleDays).toBe(district.settings.workflow.handleDays);
    const own = readFileSync(path.join(root, 'communities', 'dongfeng', 'pipeline', 'settings.yaml'), 'utf8');
    expect(own).toMatch(/workflow:\s+handleDays: 45/);
    expect(own).not.toContain('categories');
    expect(readFileSync(path.join(root, 'pipeline', 'settings.yaml'), 'utf8')).not.toContain('handleDays: 45');
  });

  it('refuses a code taken or not allowed, in Chinese, changing nothing', () => {
    const before = readFileSync(path.join(root, 'pipeline', 'settings.yaml'), 'utf8');
    const taken = cli(root, 'community', 'add', 'babao', '八宝二社区');
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain('社区代码“babao”已经有了（八宝社区），没有改动任何内容');
    const bad = cli(root, 'community', 'add', 'Ba-Bao', '八宝二社区');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('社区代码“Ba-Bao”不行');
    expect(readFileSync(path.join(root, 'pipeline', 'settings.yaml'), 'utf8')).toBe(before);
    const listed = cli(root, 'community', 'list');
    expect(listed.stdout).toContain('xinhua  新华社区');
  });

  it('refuses a district-only section in a community\'s settings, in Chinese', async () => {
    const file = path.join(root, 'communities', 'dongfeng', 'pipeline', 'settings.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}store:\n  postgres: postgresql:///other?host=/var/run/postgresql\n`);
    try {
      const r = cli(path.join(root, 'communities', 'dongfeng'), 'cases');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('store：这一项只能写在街道（区）的设置文件里');
    } finally {
      writeFileSync(file, before);
    }
  });
});

describe('isolation', () => {
  it("refuses a clerk of one community another's case through the services; a district user sees both", async () => {
    const liu = await signedIn('babao', '刘芳');
    expect(liu.community).toBe('babao');
    const babao = await district.officeFor('babao');
    const xinhua = await district.officeFor('xinhua');
    expect((await babao.cases.findFor(liu, '2')).fields.name).toBe('黄振国');
    await expect(xinhua.cases.findFor(liu, '1')).rejects.toMatchObject({ code: 'other-community' });
    await expect(xinhua.cases.findFor(liu, '1')).rejects.toThrow('您是八宝社区的用户，不能查看或办理新华社区的案件和资料');
    await expect(xinhua.cases.query(liu, { limit: 10, offset: 0 })).rejects.toMatchObject({ code: 'other-community' });
    await expect(xinhua.cases.register(liu, { channel: '来访', matter: '想在新华社区登记一件。', fields: { name: '某人' } })).rejects.toMatchObject({ code: 'other-community' });
    expect(() => xinhua.officeSettings.form(liu)).toThrow(/不能查看或办理新华社区/);
    expect(await xinhua.cases.list()).toHaveLength(2);
    await expect(district.officeAs(liu, 'xinhua')).rejects.toMatchObject({ code: 'other-community' });
    await expect(district.officeAs(liu, 'xinhua')).rejects.toThrow(/您是八宝社区的用户，不能查看或办理新华社区的案件/);
    await expect(district.stats(liu, monthPeriod('2026-11'))).rejects.toMatchObject({ code: 'district-only' });
    await expect(district.search(liu, '杂物', 10)).rejects.toMatchObject({ code: 'district-only' });
    // A community's own users sign in there only.
    await expect(district.signIn('xinhua', '刘芳', PASSWORD)).rejects.toMatchObject({ code: 'sign-in-failed' });
    await expect(district.signIn(null, '刘芳', PASSWORD)).rejects.toMatchObject({ code: 'sign-in-failed' });

    const wang = await signedIn(null, '王科长');
    expect(wang.community).toBeNull();
    expect((await (await district.officeAs(wang, 'babao')).cases.findFor(wang, '1')).fields.name).toBe('王秀兰');
    expect((await (await district.officeAs(wang, 'xinhua')).cases.findFor(wang, '1')).fields.name).toBe('赵建华');
    const hits = await district.search(wang, '杂物', 10);
    expect(hits.map((h) => [h.community, h.case.number]).sort()).toEqual([
      ['babao', '八宝信〔2026〕2号'],
      ['xinhua', '新华信〔2026〕2号'],
    ]);
  });

  it('refuses it through the compiled CLI: non-zero exit and the reason in Chinese', () => {
    const refused = cliWithPassword(root, PASSWORD, 'show', '1', '--community', 'xinhua', '--as', '刘芳@babao', '--password-stdin');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('您是八宝社区的用户，不能查看或办理新华社区的案件');
    expect(refused.stdout).not.toContain('赵建华');
    const own = cliWithPassword(root, PASSWORD, 'show', '1', '--community', 'babao', '--as', '刘芳@babao', '--password-stdin');
    expect(own.status, own.stderr).toBe(0);
    expect(own.stdout).toContain('王秀兰');
    const districtUser = cliWithPassword(root, PASSWORD, 'show', '1', '--community', 'xinhua', '--as', '王科长', '--password-stdin');
    expect(districtUser.status, districtUser.stderr).toBe(0);
    expect(districtUser.stdout).toContain('赵建华');

    // A community's folder is a workspace as any other; the district's root is not one community's.
    const cases = cli(path.join(root, 'communities', 'xinhua'), 'cases');
    expect(cases.status, cases.stderr).toBe(0);
    expect(cases.stdout).toContain('新华信〔2026〕2号');
    expect(cases.stdout).not.toContain('八宝信');
    const atDistrictRoot = cli(root, 'cases');
    expect(atDistrictRoot.status).not.toBe(0);
    expect(atDistrictRoot.stderr).toContain('是街道（区）的工作区');
    expect(atDistrictRoot.stderr).toContain('communities/babao');
    const unlisted = cli(path.join(root, 'communities', 'nosuch'), 'cases');
    expect(unlisted.status).not.toBe(0);
    expect(unlisted.stderr).toContain('没有代码为“nosuch”的社区。现有社区：babao（八宝社区）');
  });
});

describe('across the district', () => {
  it("counts the district as the sum of the communities' case lists", async () => {
    const period = monthPeriod('2026-11');
    const stats = await district.stats(terminal, period);
    const lists = new Map<string, Case[]>();
    for (const c of district.communities()) lists.set(c.code, await (await district.officeFor(c.code)).cases.list());
    const all = [...lists.values()].flat();
    expect(stats.total.total).toBe(all.length);
    expect(all).toHaveLength(6);
    for (const c of stats.communities) expect(c.figures.total).toBe(lists.get(c.code)!.length);
    const countBy = (cases: Case[], of: (c: Case) => string) => {
      const out: Record<string, number> = {};
      for (const c of cases) out[of(c)] = (out[of(c)] ?? 0) + 1;
      return out;
    };
    const nonZero = (counts: { name: string; count: number }[]) => Object.fromEntries(counts.filter((c) => c.count > 0).map((c) => [c.name, c.count]));
    expect(nonZero(stats.total.byChannel)).toEqual(countBy(all, (c) => c.channel));
    expect(nonZero(stats.total.byCategory)).toEqual(countBy(all, (c) => c.fields.category ?? '其他'));
    expect(nonZero(stats.total.byStatus)).toEqual(nonZero(sumByName(stats.communities.map((c) => c.stats.byStatus))));
    expect(stats.total.firstPetitions.total).toBe(stats.communities.reduce((n, c) => n + c.stats.firstPetitions.total, 0));

    const wang = await signedIn(null, '王科长');
    expect((await district.stats(wang, period)).total.total).toBe(6);
    const json = cli(root, '--json', 'stats', '--month', '2026-11');
    expect(json.status, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { total: { total: number } }).total.total).toBe(6);
    const text = cli(root, 'stats', '--month', '2026-11');
    expect(text.stdout).toContain('【合计】共 6 件');
    expect(text.stdout).toContain('【八宝社区】共 3 件');
  });

  it('verifies every community clean, then names the community whose file was altered', async () => {
    const clean = await district.verify(terminal);
    expect(clean.ok).toBe(true);
    expect(clean.communities.map((c) => [c.code, c.verification.cases])).toEqual([
      ['babao', 3],
      ['xinhua', 2],
      ['dongfeng', 1],
    ]);
    const ok = cli(root, 'verify');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('全街道（区）3 个社区核验完毕，没有问题');

    const xinhua = await district.officeFor('xinhua');
    const notice = (await xinhua.cases.find('1')).documents.find((d) => d.path.endsWith('.pdf') && d.role === 'issued')!;
    appendFileSync(xinhua.paths.absolute(notice.path), 'altered');
    const dirty = await district.verify(terminal);
    expect(dirty.ok).toBe(false);
    expect(dirty.communities.filter((c) => !c.verification.ok).map((c) => c.code)).toEqual(['xinhua']);
    const r = cli(root, 'verify');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('新华社区：发现 1 处问题');
    expect(r.stdout).toContain('八宝社区：');
  });

  it('moves a SQLite archive into one community of the district', async () => {
    const source = await makeWorkspace({ workflow: { blankSheets: false } });
    const office = await officeAt(source, { clock: () => at('2026-10-08'), background: 'none', log: silentLog() });
    try {
      await office.cases.register({ name: '刘芳' }, { channel: '来访', matter: '小区停车位被长期占用，请求协调。', fields: { name: '钱明' } });
      await office.cases.register({ name: '刘芳' }, { channel: '电话', matter: '供暖不热，屋里只有十五度。', fields: { name: '吴敏' } });
    } finally {
      await office.close();
    }
    await district.addCommunity(terminal, { code: 'hongqi', name: '红旗社区' });
    const target = path.join(root, 'communities', 'hongqi');
    const moved = cli(target, 'migrate', '--from', source);
    expect(moved.status, moved.stdout + moved.stderr).toBe(0);
    const listed = cli(target, '--json', 'cases');
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { number: string }[]).map((c) => c.number).sort()).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号']);
    const pool = openPool(url, 1);
    try {
      expect((await pool.query('SELECT COUNT(*)::int AS n FROM c_hongqi.cases')).rows[0].n).toBe(2);
      expect((await pool.query('SELECT COUNT(*)::int AS n FROM c_babao.cases')).rows[0].n).toBe(3);
    } finally {
      await pool.end();
    }
    // The moved cases are the community's: found across the district with it.
    const hits = await district.search(terminal, '供暖', 10);
    expect(hits.map((h) => h.community)).toEqual(['hongqi']);
  });
});

function sumByName(lists: { name: string; count: number }[][]): { name: string; count: number }[] {
  const out = new Map<string, number>();
  for (const l of lists) for (const c of l) out.set(c.name, (out.get(c.name) ?? 0) + c.count);
  return [...out].map(([name, count]) => ({ name, count }));
}
