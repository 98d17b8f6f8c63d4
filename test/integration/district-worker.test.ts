/**
 * A district's work as jobs (issue 18), the compiled CLI on a real PostgreSQL database with the
 * real OCR: `xinfang intake` takes the scans of two communities' inboxes into the shared file
 * store and the queue (each out of its inbox only after the commit); a `xinfang worker` is killed
 * with kill -9 in the middle of a job, another started: the job it held lapses and is taken up,
 * and every letter becomes exactly one case in its own community, numbered 1..N there; the copy
 * of a letter is set aside as a duplicate and a truncated scan with its reason, as the single
 * office does; no job is left running, none dead; verify across is clean; SIGTERM stops the
 * worker and the intake with exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDistrict, type District } from '../../src/district.js';
import type { JobQueue } from '../../src/ports/queue.js';
import { openDistrictQueue, fileStoreOf } from '../../src/interfaces/worker/district-work.js';
import { track } from '../helpers/children.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { runCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, scan } from '../helpers/workspace.js';

const databases: string[] = [];
let root: string;
let district: District;
let queue: JobQueue;
const children: ChildProcess[] = [];

function start(...args: string[]): ChildProcess & { out: string[] } {
  const child = track(spawn(process.execPath, [cliPath, '--root', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })) as ChildProcess & { out: string[] };
  child.out = [];
  child.stdout!.on('data', (d: Buffer) => child.out.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => child.out.push(d.toString()));
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

async function until<T>(what: () => Promise<T | undefined | false>, ms: number, label: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await what();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_dqueue');
  databases.push(db.name);
  root = await makeWorkspace({
    store: { postgres: db.url },
    district: { communities: [] },
    office: { name: '朝阳街道办事处', shortName: '朝阳' },
    workflow: { blankSheets: false },
    intake: { stableSeconds: 0.5, pollIntervalSeconds: 0.5 },
    // Short lapses for the test: a silent worker's job is taken up 25 s after it started.
    queue: { tries: 3, backoffSeconds: 1, expireSeconds: 25, checkSeconds: 1, concurrency: 1 },
  });
  for (const [code, name] of [['babao', '八宝社区'], ['xinhua', '新华社区']] as const) {
    const added = runCli(['--root', root, 'community', 'add', code, name]);
    expect(added.status, added.stderr).toBe(0);
  }
  district = await openDistrict({ root, background: 'none' });
  queue = await openDistrictQueue(district);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await queue?.stop({ graceful: false });
  await district?.close();
  await dropTestDatabases(databases);
});

describe('the district queue with workers on one database', () => {
  it('takes every letter in once, through a worker killed mid-job and another', async () => {
    const inbox = (code: string) => path.join(root, 'communities', code, 'inbox');
    copyFileSync(scan('S01.jpg'), path.join(inbox('babao'), '郑丽华来信.jpg'));
    copyFileSync(scan('S02.jpg'), path.join(inbox('babao'), 'S02.jpg'));
    copyFileSync(scan('S05-copy-of-S01.jpg'), path.join(inbox('babao'), '又一份.jpg'));
    copyFileSync(scan('S04.png'), path.join(inbox('xinhua'), 'S04.png'));
    copyFileSync(scan('S06-truncated.jpg'), path.join(inbox('xinhua'), '坏了.jpg'));
    // A letter of two pages, scanned as a folder of page files (made beside, then renamed in).
    mkdirSync(path.join(inbox('xinhua'), '.两页来信'));
    copyFileSync(scan('S01.jpg'), path.join(inbox('xinhua'), '.两页来信', '第1页.jpg'));
    copyFileSync(scan('S02.jpg'), path.join(inbox('xinhua'), '.两页来信', '第2页.jpg'));
    renameSync(path.join(inbox('xinhua'), '.两页来信'), path.join(inbox('xinhua'), '两页来信'));

    const intake = start('intake');
    // Every scan leaves its inbox once it is stored and its job committed.
    await until(async () => ['babao', 'xinhua'].every((c) => readdirSync(inbox(c)).filter((n) => n !== '未能登记' && !n.startsWith('.')).length === 0) && true, 60_000, 'inboxes emptied');
    expect(readdirSync(path.join(fileStoreOf(district))).length).toBeGreaterThan(0);
    expect((await queue.jobs()).filter((j) => j.name === 'read-letter')).toHaveLength(6);

    const first = start('worker');
    const running = await until(async () => (await queue.jobs({ states: ['running'] }))[0], 120_000, 'a job running');
    first.kill('SIGKILL');
    expect(await exited(first)).toBeNull();
    const second = start('worker');

    await until(async () => {
      const c = await queue.counts();
      return c.waiting + c.running + c.failed === 0 && c.done === 6;
    }, 240_000, 'all jobs done');
    const counts = await queue.counts();
    expect(counts).toMatchObject({ waiting: 0, running: 0, failed: 0, dead: 0, done: 6 });
    // The job the killed worker held was taken up again after its lapse.
    const taken = (await queue.jobs({ states: ['done'] })).find((j) => j.id === running.id)!;
    expect(taken.retries).toBeGreaterThanOrEqual(1);

    const cases = async (code: string) => (await (await district.officeFor(code)).cases.list()).sort((a, b) => a.number.localeCompare(b.number));
    const babao = await cases('babao');
    const xinhua = await cases('xinhua');
    expect(babao.map((c) => c.sourceName).sort()).toEqual(['S02.jpg', '郑丽华来信.jpg'].sort());
    expect(xinhua.map((c) => c.sourceName).sort()).toEqual(['S04.png', '两页来信'].sort());
    expect(babao.map((c) => c.number.match(/(\d+)号$/)?.[1])).toEqual(['1', '2']);
    expect(xinhua.map((c) => c.number.match(/(\d+)号$/)?.[1])).toEqual(['1', '2']);
    // The folder is one case of two pages, each page's original kept under its own name.
    const folder = await (await district.officeFor('xinhua')).cases.find(xinhua.find((c) => c.sourceName === '两页来信')!.number);
    expect(folder.documents.filter((d) => d.role === 'original').map((d) => path.basename(d.path))).toEqual(['原件_01_第1页.jpg', '原件_02_第2页.jpg']);
    expect(folder.ocrText.replace(/\s+/g, '')).toContain('郑丽华');
    // The OCR really ran: the petitioner's name read from the scan.
    const zheng = babao.find((c) => c.sourceName === '郑丽华来信.jpg')!;
    expect((await (await district.officeFor('babao')).cases.find(zheng.number)).ocrText.replace(/\s+/g, '')).toContain('郑丽华');
    // The copy and the truncated scan set aside in their community's inbox, as a single office does.
    const aside = (code: string) => readdirSync(path.join(inbox(code), '未能登记'));
    expect(aside('babao').some((n) => n.includes('又一份'))).toBe(true);
    expect(aside('xinhua').some((n) => n.includes('坏了'))).toBe(true);

    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);

    second.kill('SIGTERM');
    intake.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(await exited(intake)).toBe(0);
    // No copy left in the workers' folders, the killed worker's included.
    for (const code of ['babao', 'xinhua']) {
      const works = path.join(root, 'communities', code, 'pipeline', 'queue-work');
      expect(existsSync(works) ? readdirSync(works) : []).toEqual([]);
    }
  });
});
