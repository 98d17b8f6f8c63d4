import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import { Registry } from '../../src/adapters/sqlite/registry.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { makeWorkspace, scan } from '../helpers/workspace.js';

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
function expectWholeArchive(root: string, letters: Map<string, Buffer>): void {
  const registry = new Registry(path.join(root, 'archive', 'registry.sqlite'), { format: '{short}信〔{year}〕{seq}号', short: '八宝' });
  try {
    const cases = registry.listCases();
    expect(cases.map((c) => c.seq)).toEqual(Array.from({ length: letters.size }, (_, i) => i + 1));
    expect(cases.map((c) => c.sourceName).sort()).toEqual([...letters.keys()].sort());
    expect(cases.every((c) => c.intakeState === 'done')).toBe(true);
    for (const c of cases) {
      const detail = registry.findCase(c.number)!;
      for (const doc of detail.documents) expect(sha256(readFileSync(path.join(root, doc.path)))).toBe(doc.sha256);
      const original = detail.documents.find((d) => d.role === 'original')!;
      expect(readFileSync(path.join(root, original.path)).equals(letters.get(c.sourceName!)!)).toBe(true);
    }
  } finally {
    registry.close();
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
    expectWholeArchive(root, letters);
  });

  it('shares one archive between two processes without doubling or skipping a number', async () => {
    const root = await makeWorkspace();
    const letters = await dropLetters(root, 6);
    const a = finish(startCli(['--root', root, 'ingest']));
    const b = finish(startCli(['--root', root, 'ingest']));
    const [endA, endB] = await Promise.all([a, b]);
    expect([endA.code, endB.code], endA.said + endB.said + problemsLogged(root)).toEqual([0, 0]);
    expectWholeArchive(root, letters);
  });

  it('runs two watchers on one workspace: each letter registered once, in order, none left', async () => {
    const root = await makeWorkspace();
    const a = startCli(['--root', root, 'watch']);
    const b = startCli(['--root', root, 'watch']);
    const letters = await dropLetters(root, 6);
    const registry = new Registry(path.join(root, 'archive', 'registry.sqlite'), { format: '{short}信〔{year}〕{seq}号', short: '八宝' });
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && (registry.listCases().filter((c) => c.intakeState === 'done').length < 6 || readdirSync(path.join(root, 'inbox')).length > 0)) {
      await new Promise((r) => setTimeout(r, 500));
    }
    registry.close();
    const exits = [waitForExit(a), waitForExit(b)];
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
    expectWholeArchive(root, letters);
  }, 300_000);
});
