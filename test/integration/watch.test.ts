import { copyFileSync, mkdirSync, openSync, readFileSync, writeSync, closeSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, runCli } from '../helpers/run-cli.js';
import { makeWorkspace, scan } from '../helpers/workspace.js';

function collect(child: ReturnType<typeof startCli>) {
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return {
    text: () => out,
    waitFor: async (pattern: RegExp, timeoutMs = 60_000) => {
      const start = Date.now();
      while (!pattern.test(out)) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watching the inbox', () => {
  it('takes files already there, waits for a slow copy to finish, ignores system files, stops cleanly', async () => {
    const root = await makeWorkspace({ intake: { stableSeconds: 1.5, rescanSeconds: 2 } });
    copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'before-start.jpg'));
    const child = startCli(['--root', root, 'watch']);
    const output = collect(child);
    await output.waitFor(/已登记 八宝信〔2026〕1号 ← before-start\.jpg/);

    // A scan arriving over a slow network share: written in pieces over about 9 seconds, each pause
    // shorter than the settle time, so only the finished file may be taken.
    const bytes = readFileSync(scan('S04.png'));
    const fd = openSync(path.join(root, 'inbox', 'slow.png'), 'w');
    const pieces = 9;
    for (let i = 0; i < pieces; i++) {
      writeSync(fd, bytes, Math.floor((i * bytes.length) / pieces), Math.floor(((i + 1) * bytes.length) / pieces) - Math.floor((i * bytes.length) / pieces));
      await sleep(1000);
    }
    closeSync(fd);
    writeFileSync(path.join(root, 'inbox', 'Thumbs.db'), 'x');
    await output.waitFor(/已登记 八宝信〔2026〕2号 ← slow\.png/);
    expect(output.text()).not.toMatch(/未能登记 slow/);

    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(output.text()).toContain('正在停止');
    expect(readdirSync(path.join(root, 'inbox'))).toEqual(['Thumbs.db']);
    const shown = JSON.parse(runCli(['--root', root, '--json', 'show', '2']).stdout);
    expect(shown.ocr.text).toContain('西坝河小区');
  });

  it('polls a network share and takes a folder of pages as one letter', async () => {
    const root = await makeWorkspace({ intake: { watchMode: 'polling', pollIntervalSeconds: 0.5, stableSeconds: 1, rescanSeconds: 60 } });
    const child = startCli(['--root', root, 'watch']);
    const output = collect(child);
    await output.waitFor(/轮询方式/);
    const folder = path.join(root, 'inbox', '何春燕来信');
    mkdirSync(folder);
    copyFileSync(scan('S01.jpg'), path.join(folder, '1.jpg'));
    await sleep(400);
    copyFileSync(scan('S02.jpg'), path.join(folder, '2.jpg'));
    await output.waitFor(/已登记 八宝信〔2026〕1号 ← 何春燕来信（2 页/);
    child.kill('SIGINT');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  });
});
