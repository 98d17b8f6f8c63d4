/**
 * The district's work across processes on one PostgreSQL database (issue 18), the compiled CLI
 * with the real OCR and the real pg-boss queue: 2 `xinfang intake` and 3 `xinfang worker`
 * processes take 200 short letters (a part of a sample scan, each with its own mark, so every
 * SHA-256 differs and the OCR really reads each) dropped into the inboxes of 3 communities while
 * they run; one worker is killed with kill -9 in the middle of a job and another started. At the
 * end every letter is one case in its own community, numbered 1..N there, none twice; verify
 * across is clean; no job is left waiting, running or dead; SIGTERM stops every process with
 * exit code 0 and none is left.
 *
 * Two web servers (`xinfang start --no-intake` at the district's root, each serving every
 * community under /c/<code>/) run beside them; each community's administrator reads the queue
 * page on one of them during the run.
 * XINFANG_QUEUE_LETTERS sets the number of letters (default 200).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDistrict, type District } from '../../src/district.js';
import { openDistrictQueue } from '../../src/interfaces/worker/district-work.js';
import type { JobQueue } from '../../src/ports/queue.js';
import { track } from '../helpers/children.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { runCli } from '../helpers/run-cli.js';
import { freePort } from '../helpers/web-app.js';
import { cliPath, makeWorkspace, scan } from '../helpers/workspace.js';

const LETTERS = Number(process.env.XINFANG_QUEUE_LETTERS ?? 200);
const COMMUNITIES = [['babao', '八宝社区'], ['xinhua', '新华社区'], ['dongfeng', '东风社区']] as const;
const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';
const databases: string[] = [];
let root: string;
let district: District;
let queue: JobQueue;
const children: (ChildProcess & { out: string[] })[] = [];

function start(...args: string[]): ChildProcess & { out: string[] } {
  const child = track(spawn(process.execPath, [cliPath, '--root', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })) as ChildProcess & { out: string[] };
  child.out = [];
  child.stdout!.on('data', (d: Buffer) => child.out.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => child.out.push(d.toString()));
  children.push(child);
  return child;
}
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (!alive(child) ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

async function until<T>(what: () => Promise<T | undefined | false>, ms: number, label: string, state: () => Promise<string> = async () => ''): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await what();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out: ${label} ${await state()}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A running `xinfang start --no-intake` at the district's root, once it says it is up. */
async function startWeb(): Promise<{ child: ChildProcess & { out: string[] }; base: string }> {
  const port = await freePort();
  const child = start('start', '--no-intake', '--port', String(port));
  await until(async () => child.out.join('').includes('网页已启动') || !alive(child), 60_000, 'web up');
  expect(alive(child), child.out.join('')).toBe(true);
  return { child, base: `http://localhost:${port}` };
}

/** Signs in at a community's sign-in page over real HTTP (the form's anti-forgery token, the session cookie) and reads a page. */
async function pageAs(base: string, code: string, name: string, url: string): Promise<{ status: number; body: string }> {
  const login = await fetch(`${base}/c/${code}/login`);
  let cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const signed = await fetch(`${base}/c/${code}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, community: code, username: name, password: PASSWORD, next: '/' }).toString(),
  });
  expect(signed.status).toBe(303);
  cookie = (signed.headers.getSetCookie()[0] ?? cookie).split(';')[0]!;
  const page = await fetch(`${base}${url}`, { headers: { cookie }, redirect: 'manual' });
  return { status: page.status, body: await page.text() };
}

/** Short letters: the head of a sample letter (its salutation and first lines), with a mark of its own in the margin. */
async function letters(count: number): Promise<Buffer[]> {
  const heads = await Promise.all(
    ['S01.jpg', 'S02.jpg'].map(async (file) => {
      const m = await sharp(scan(file)).metadata();
      return sharp(scan(file)).extract({ left: 0, top: 0, width: m.width!, height: Math.round(m.height! * 0.22) }).resize({ width: Math.round(m.width! * 0.5) }).png().toBuffer();
    }),
  );
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const head = heads[i % heads.length]!;
    const bars = Array.from({ length: 10 }, (_, bit) => ((i >> bit) & 1 ? `<rect x="${4 + bit * 8}" y="4" width="5" height="8" fill="#333"/>` : '')).join('');
    const mark = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="96" height="16">${bars}</svg>`);
    out.push(await sharp(head).composite([{ input: mark, left: 0, top: 0 }]).jpeg({ quality: 85 }).toBuffer());
  }
  return out;
}

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_dq');
  databases.push(db.name);
  root = await makeWorkspace({
    store: { postgres: db.url },
    district: { communities: [] },
    office: { name: '朝阳街道办事处', shortName: '朝阳' },
    workflow: { blankSheets: false },
    intake: { stableSeconds: 0.5, pollIntervalSeconds: 0.5 },
    queue: { tries: 3, backoffSeconds: 1, expireSeconds: 20, checkSeconds: 1, concurrency: 1 },
  });
  district = await openDistrict({ root, background: 'none' });
  for (const [code, name] of COMMUNITIES) await district.addCommunity(terminal, { code, name });
  for (const [code] of COMMUNITIES) await (await district.officeFor(code)).users.add(terminal, { name: '管理', role: '管理员', password: PASSWORD });
  queue = await openDistrictQueue(district);
});

afterAll(async () => {
  for (const c of children) if (alive(c)) c.kill('SIGKILL');
  await queue?.stop({ graceful: false });
  await district?.close();
  await dropTestDatabases(databases);
});

describe('the district queue across processes', () => {
  it(`takes ${LETTERS} letters of 3 communities in once each, with 2 intakes and 3 workers, one killed mid-job`, async () => {
    const started = Date.now();
    const inbox = (code: string) => path.join(root, 'communities', code, 'inbox');
    const pages = await letters(LETTERS);
    const sent: Record<string, string[]> = { babao: [], xinhua: [], dongfeng: [] };

    const intakes = [start('intake'), start('intake')];
    const workers = [start('worker'), start('worker'), start('worker')];
    const webs = [await startWeb(), await startWeb()];

    // Dropped while everything runs, as a scanner writes: beside, then renamed into the inbox.
    for (const [i, page] of pages.entries()) {
      const [code] = COMMUNITIES[i % COMMUNITIES.length]!;
      const name = `来信_${String(i).padStart(3, '0')}.jpg`;
      writeFileSync(path.join(inbox(code), `.${name}.part`), page);
      renameSync(path.join(inbox(code), `.${name}.part`), path.join(inbox(code), name));
      sent[code]!.push(name);
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 200));
    }

    // One worker killed with kill -9 while jobs run; another takes its place.
    await until(async () => (await queue.counts()).done >= 6 && (await queue.counts()).running > 0, 240_000, 'jobs running');
    workers[0]!.kill('SIGKILL');
    expect(await exited(workers[0]!)).toBeNull();
    workers.push(start('worker'));

    // The queue page on both web servers during the run, each for one community's administrator.
    for (const [i, web] of webs.entries()) {
      const code = (['babao', 'xinhua'] as const)[i]!;
      const page = await pageAs(web.base, code, '管理', `/c/${code}/admin/queue`);
      expect(page.status, code).toBe(200);
      expect(page.body).toContain('已完成');
    }

    await until(async () => {
      const c = await queue.counts();
      return c.done === LETTERS && c.waiting + c.running + c.failed === 0;
    }, 270_000, 'every job done', async () => JSON.stringify(await queue.counts()));
    expect(await queue.counts()).toEqual({ waiting: 0, running: 0, failed: 0, dead: 0, done: LETTERS });

    for (const [code] of COMMUNITIES) {
      const cases = await (await district.officeFor(code)).cases.list();
      expect(cases.map((c) => c.sourceName).sort(), code).toEqual([...sent[code]!].sort());
      expect(cases.map((c) => c.seq).sort((a, b) => a - b), code).toEqual(Array.from({ length: sent[code]!.length }, (_, i) => i + 1));
      expect(readdirSync(inbox(code)).filter((n) => !n.startsWith('.')), code).toEqual([]);
    }
    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);

    const rest = [...webs.map((w) => w.child), ...intakes, ...workers.slice(1)];
    for (const c of rest) c.kill('SIGTERM');
    for (const c of rest) expect(await exited(c), c.out.join('')).toBe(0);
    expect(children.filter(alive)).toEqual([]);
    const log = readFileSync(path.join(root, 'archive', 'logs', 'xinfang.log'), 'utf8');
    const took = log.split('\n').filter((l) => l.includes('"job done"')).length;
    console.log(`district queue: ${LETTERS} letters in ${Math.round((Date.now() - started) / 1000)} s, ${took} jobs done in the district's log`);
  }, 300_000);
});
