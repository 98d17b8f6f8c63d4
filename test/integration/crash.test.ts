import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt, repoRoot, scan } from '../helpers/workspace.js';

/** Distinct letters (different bytes, same kind of content) so none is a duplicate of another. */
async function dropLetters(root: string, count: number): Promise<Map<string, Buffer>> {
  const sources = ['S01.jpg', 'S02.jpg', 'S04.png'];
  const made = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const bytes = await sharp(scan(sources[i % sources.length]!)).resize({ width: 1600 }).jpeg({ quality: 80 + i }).toBuffer();
    const name = `letter-${String(i + 1).padStart(2, '0')}.jpg`;
    writeFileSync(path.join(root, 'inbox', name), bytes);
    made.set(name, bytes);
  }
  return made;
}

function waitForExit(child: ReturnType<typeof startCli>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** The exit code and what the process said, so a failure names its cause. */
function finish(child: ReturnType<typeof startCli>): Promise<{ code: number | null; said: string }> {
  let said = '';
  child.stdout!.on('data', (d: Buffer) => (said += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (said += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, said })));
}

/** The engineers' log lines at warning level or above, so a failure shows its cause. */
function problemsLogged(root: string): string {
  const log = path.join(root, 'archive', 'logs', 'xinfang.log');
  if (!existsSync(log)) return '';
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => /"level":(40|50|60)/.test(line))
    .join('\n');
}

/** Every letter is exactly one case, numbers run 1..n, and every recorded file is intact. */
async function expectWholeArchive(root: string, letters: Map<string, Buffer>): Promise<void> {
  const registry = openSqliteStore(path.join(root, 'archive', 'registry.sqlite'), { format: '{short}信〔{year}〕{seq}号', short: '八宝' });
  try {
    const cases = await registry.listCases();
    expect(cases.map((c) => c.seq)).toEqual(Array.from({ length: letters.size }, (_, i) => i + 1));
    expect(cases.map((c) => c.sourceName).sort()).toEqual([...letters.keys()].sort());
    expect(cases.every((c) => c.intakeState === 'done')).toBe(true);
    for (const c of cases) {
      const detail = (await registry.findCase(c.number))!;
      for (const doc of detail.documents) expect(sha256(readFileSync(path.join(root, doc.path)))).toBe(doc.sha256);
      const original = detail.documents.find((d) => d.role === 'original')!;
      expect(readFileSync(path.join(root, original.path)).equals(letters.get(c.sourceName!)!)).toBe(true);
    }
  } finally {
    await registry.close();
  }
  expect(readdirSync(path.join(root, 'inbox'))).toEqual([]);
  const staging = path.join(root, 'archive', '.staging');
  expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
  // And the archive checks out: every file as recorded, no stray file, every history whole.
  const verify = runCli(['--root', root, 'verify']);
  expect(verify.status, verify.stdout).toBe(0);
}

describe('nothing lost, nothing doubled', () => {
  it('survives kill -9 at random moments of ingest', async () => {
    const root = await makeWorkspace();
    const letters = await dropLetters(root, 10);
    let kills = 0;
    for (let round = 0; round < 12; round++) {
      const child = startCli(['--root', root, 'ingest']);
      const exited = waitForExit(child);
      const delay = 800 + Math.random() * 4000;
      const outcome = await Promise.race([exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('timer'), delay))]);
      if (outcome === 'exited') break;
      child.kill('SIGKILL');
      await exited;
      kills++;
    }
    expect(kills).toBeGreaterThan(0);
    const last = runCli(['--root', root, 'ingest']);
    expect(last.status, last.stderr).toBe(0);
    await expectWholeArchive(root, letters);
  });

  it('shares one archive between two processes without doubling or skipping a number', async () => {
    const root = await makeWorkspace();
    const letters = await dropLetters(root, 6);
    const a = finish(startCli(['--root', root, 'ingest']));
    const b = finish(startCli(['--root', root, 'ingest']));
    const [endA, endB] = await Promise.all([a, b]);
    expect([endA.code, endB.code], endA.said + endB.said + problemsLogged(root)).toEqual([0, 0]);
    await expectWholeArchive(root, letters);
  });

  it('runs two watchers on one workspace: each letter registered once, in order, none left', async () => {
    const root = await makeWorkspace();
    const a = startCli(['--root', root, 'watch']);
    const b = startCli(['--root', root, 'watch']);
    const letters = await dropLetters(root, 6);
    const registry = openSqliteStore(path.join(root, 'archive', 'registry.sqlite'), { format: '{short}信〔{year}〕{seq}号', short: '八宝' });
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && ((await registry.listCases()).filter((c) => c.intakeState === 'done').length < 6 || readdirSync(path.join(root, 'inbox')).length > 0)) {
      await new Promise((r) => setTimeout(r, 500));
    }
    await registry.close();
    const exits = [waitForExit(a), waitForExit(b)];
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
    await expectWholeArchive(root, letters);
  }, 300_000);
});

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the background worker', () => {
  it('never outlives the intake that started it, and what it was writing is finished or undone', async () => {
    const root = await makeWorkspace();
    const letters = await dropLetters(root, 3);
    const watch = startCli(['--root', root, 'watch']);
    const exited = waitForExit(watch);
    // Wait for the worker that makes the blank sheets to be started beside the intake.
    let workers: number[] = [];
    for (const deadline = Date.now() + 120_000; workers.length === 0 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      workers = childrenOf(watch.pid!);
    }
    expect(workers.length).toBeGreaterThan(0);
    watch.kill('SIGKILL');
    await exited;
    // At once, not after a last round of sheets: within two seconds even on a busy machine.
    for (const deadline = Date.now() + 2_000; workers.some(alive) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(workers.filter(alive)).toEqual([]);
    // The next run takes what is left and makes the missing sheets; nothing is unknown to the registry.
    const again = runCli(['--root', root, 'ingest']);
    expect(again.status, again.stderr).toBe(0);
    await expectWholeArchive(root, letters);
  }, 300_000);
});

describe('a document issued when the program stops', () => {
  const stopAt = (root: string, point: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'fixtures', 'scripts', 'stop-while-issuing.ts'), root, point], { encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
  };
  const workspaceWithCase = async () => {
    const root = await makeWorkspace({ workflow: { blankSheets: false } });
    expect(runCli(['--root', root, 'register', '--channel', '来访', '--name', '王秀兰', '--matter', '楼下烧烤店油烟扰民。', '--by', '刘芳']).status).toBe(0);
    return root;
  };
  const folderFiles = (root: string) => readdirSync(path.join(root, 'archive', '2026', '八宝信〔2026〕1号')).sort();

  it('stopped before it was recorded: the next start removes what was written, and verify finds nothing unknown', async () => {
    const root = await workspaceWithCase();
    stopAt(root, 'before-commit');
    expect(folderFiles(root).some((f) => f.endsWith('.tmp'))).toBe(true);
    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout).toBe(0);
    expect(folderFiles(root)).toEqual([]);
    const office = await officeAt(root);
    expect(await office.store.notes()).toEqual([]);
    expect((await office.cases.find('1')).documents).toEqual([]);
    await office.close();
  });

  it('stopped after it was recorded: the next start puts the files in place, matching their record', async () => {
    const root = await workspaceWithCase();
    stopAt(root, 'after-commit');
    expect(folderFiles(root).every((f) => f.endsWith('.tmp'))).toBe(true);
    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout).toBe(0);
    expect(folderFiles(root)).toEqual(['受理告知书.docx', '受理告知书.pdf']);
    const office = await officeAt(root);
    for (const d of (await office.cases.find('1')).documents) expect(sha256(readFileSync(path.join(root, d.path)))).toBe(d.sha256);
    expect(await office.store.notes()).toEqual([]);
    await office.close();
  });

  it('killed at random moments while issuing letters: every letter whole or absent, verify clean', async () => {
    const root = await workspaceWithCase();
    const issue = ['--root', root, 'letter', '1', '--type', '受理告知书', '--set', '经办人=李文'];
    for (let round = 0; round < 8; round++) {
      const child = startCli(issue);
      const exited = waitForExit(child);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      child.kill('SIGKILL');
      await exited;
    }
    execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'interfaces', 'cli', 'main.js'), ...issue]);
    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout).toBe(0);
    const office = await officeAt(root);
    const docs = (await office.cases.find('1')).documents;
    expect(docs.length).toBeGreaterThanOrEqual(2);
    expect(folderFiles(root)).toEqual(docs.map((d) => path.basename(d.path)).sort());
    await office.close();
  }, 120_000);
});
