import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { track } from '../helpers/children.js';
import { runCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt, scan } from '../helpers/workspace.js';

const openRegistry = async (root: string) => (await officeAt(root, { background: 'none' })).store;

/** A small page of its own: the seed's bits as short strokes, so no two are the same bytes. */
function smallPage(seed: number): Promise<Buffer> {
  const bars = Array.from({ length: 10 }, (_, bit) => ((seed >> bit) & 1 ? `<rect x="${20 + bit * 20}" y="70" width="12" height="20" fill="#222"/>` : '')).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160"><rect width="240" height="160" fill="#fff"/>${bars}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('odd inputs and floods', () => {
  it('takes files with spaces, Chinese, very long names, dots and leading dashes, keeping their names', async () => {
    const root = await makeWorkspace();
    const names = ['带 空 格 的来信.jpg', '-rf 来信.jpg', '--help.jpg', '第..2封.jpg', `${'很长的名字'.repeat(15)}.jpg`, '李四(副本) [2].jpg'];
    for (const [i, name] of names.entries()) writeFileSync(path.join(root, 'inbox', name), await sharp(scan('S01.jpg')).jpeg({ quality: 70 + i }).toBuffer());
    const r = runCli(['--root', root, '--json', 'ingest']);
    expect(r.status, r.stderr).toBe(0);
    const registry = await openRegistry(root);
    try {
      expect((await registry.listCases()).map((c) => c.sourceName).sort()).toEqual([...names].sort());
      for (const c of await registry.listCases()) expect(existsSync(path.join(root, (await registry.findCase(c.number))!.documents[0]!.path))).toBe(true);
    } finally {
      await registry.close();
    }
    expect(readdirSync(path.join(root, 'inbox'))).toEqual([]);
  }, 300_000);

  it('makes one case of the same file dropped twice at once and sets the copy aside naming it', async () => {
    const root = await makeWorkspace();
    const bytes = readFileSync(scan('S02.jpg'));
    writeFileSync(path.join(root, 'inbox', '来信.jpg'), bytes);
    writeFileSync(path.join(root, 'inbox', '来信 - 副本.jpg'), bytes);
    const r = runCli(['--root', root, '--json', 'ingest']);
    const results = JSON.parse(r.stdout) as { kind: string; number?: string; duplicateOf?: string }[];
    expect(results.map((x) => x.kind).sort()).toEqual(['duplicate', 'registered']);
    expect(results.find((x) => x.kind === 'duplicate')!.duplicateOf).toBe('八宝信〔2026〕1号');
    // Letters are numbered in inbox order, so the first in that order is the case and the other the copy.
    expect(readdirSync(path.join(root, 'inbox', '未能登记')).sort()).toEqual(['来信.jpg', '来信.jpg.原因.txt']);
    expect(readFileSync(path.join(root, 'inbox', '未能登记', '来信.jpg.原因.txt'), 'utf8')).toContain('与已登记的 八宝信〔2026〕1号（原文件“来信 - 副本.jpg”）内容完全相同');
  }, 300_000);

  it('takes 500 files dropped at once: each one case, numbered 1 to 500, the inbox empty', async () => {
    const root = await makeWorkspace();
    for (let i = 0; i < 500; i++) writeFileSync(path.join(root, 'inbox', `扫描_${String(i).padStart(3, '0')}.png`), await smallPage(i));
    const r = runCli(['--root', root, '--json', 'ingest']);
    expect(r.status, r.stderr).toBe(0);
    const registry = await openRegistry(root);
    try {
      const cases = await registry.listCases();
      expect(cases.map((c) => c.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      expect(new Set(cases.map((c) => c.sourceName)).size).toBe(500);
    } finally {
      await registry.close();
    }
    expect(readdirSync(path.join(root, 'inbox'))).toEqual([]);
  }, 900_000);
});

describe('binding killed at random moments', () => {
  it('ends, once run again, with every case bound once, references without gaps, and an archive that verifies', async () => {
    const root = await makeWorkspace();
    let now = new Date('2026-11-03T02:00:00Z');
    const office = await officeAt(root, { clock: () => now, background: 'none' });
    const on = (day: string) => {
      now = new Date(`${day}T10:00:00+08:00`);
      return office.workflow;
    };
    const who = { name: '刘芳' };
    for (let i = 0; i < 6; i++) {
      const c = await office.cases.register({ name: '系统' }, { channel: '来访', matter: `第${i + 1}件：小区路灯损坏，请维修。`, fields: { name: `居民${i}` }, receivedAt: new Date('2026-11-03T02:00:00Z') });
      await on('2026-11-04').instruct(who, await office.cases.find(c.number), { leader: '张主任', text: '请维修', handler: '李文' });
      await on('2026-11-05').accept(who, await office.cases.find(c.number));
      await on('2026-11-10').reply(who, await office.cases.find(c.number), { outcome: '予以支持', facts: '已修复。' });
      await on('2026-11-11').close(who, await office.cases.find(c.number));
    }
    await office.close();
    for (const delay of [700, 1500, 2500]) {
      const child = track(spawn(process.execPath, [cliPath, '--root', root, 'bind', '--year', '2026'], { stdio: 'ignore' }));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
    }
    const last = spawnSync(process.execPath, [cliPath, '--root', root, '--json', 'bind', '--year', '2026'], { encoding: 'utf8' });
    expect(last.status, last.stderr).toBe(0);
    const check = await openRegistry(root);
    try {
      const cases = await check.listCases();
      expect(cases.map((c) => c.binding?.item).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      for (const c of cases) expect((await check.findCase(c.number))!.documents.filter((d) => d.role === 'volume')).toHaveLength(1);
    } finally {
      await check.close();
    }
    const verify = runCli(['--root', root, 'verify']);
    expect(verify.status, verify.stdout).toBe(0);
  }, 300_000);
});

describe('fuzzed scans', () => {
  it('sets aside or registers every mutated image and PDF, never crashing or hanging', async () => {
    const root = await makeWorkspace();
    const sources = [readFileSync(scan('S01.jpg')), readFileSync(scan('S04.png')), readFileSync(scan('S03.pdf'))];
    let x = 12345;
    const random = (n: number) => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x % n;
    };
    const names: string[] = [];
    for (let i = 0; i < 30; i++) {
      const source = Buffer.from(sources[i % 3]!);
      const kind = i % 5;
      let bytes: Buffer;
      if (kind === 0) bytes = source.subarray(0, 16 + random(source.length / 2)); // cut short
      else if (kind === 1) bytes = Buffer.concat([source.subarray(0, 8), Buffer.from(Array.from({ length: 4096 }, () => random(256)))]); // right magic, garbage after
      else {
        bytes = Buffer.from(source);
        const flips = kind === 2 ? 5 : kind === 3 ? 200 : 5000;
        for (let k = 0; k < flips; k++) bytes[64 + random(bytes.length - 64)] = random(256);
      }
      const name = `fuzz_${String(i).padStart(2, '0')}${['.jpg', '.png', '.pdf'][i % 3]}`;
      writeFileSync(path.join(root, 'inbox', name), bytes);
      names.push(name);
    }
    const r = spawnSync(process.execPath, [cliPath, '--root', root, '--json', 'ingest'], { encoding: 'utf8', timeout: 600_000 });
    expect(r.signal).toBeNull();
    expect([0, 1]).toContain(r.status);
    const results = JSON.parse(r.stdout) as { kind: string; item: string }[];
    expect(results.map((x) => x.item).sort()).toEqual(names);
    expect(results.every((x) => ['registered', 'set-aside', 'duplicate'].includes(x.kind))).toBe(true);
    const aside = readdirSync(path.join(root, 'inbox', '未能登记'));
    for (const x of results.filter((y) => y.kind === 'set-aside')) expect(aside).toContain(`${x.item}.原因.txt`);
    expect(readdirSync(path.join(root, 'inbox'))).toEqual(['未能登记']);
  }, 900_000);
});
