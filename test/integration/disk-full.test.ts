import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { listInbox } from '../../src/services/intake/inbox.js';
import { OcrPool } from '../../src/adapters/ocr/pool.js';
import { createReporter, describeResult } from '../../src/interfaces/cli/progress.js';
import { FailureLedger, ingestBatch } from '../../src/services/intake/batch.js';
import { workspaceAt } from '../../src/adapters/files/workspace.js';
import { contextFor, makeWorkspace, scan } from '../helpers/workspace.js';

const disk = vi.hoisted(() => ({ full: true }));

// The disk fills up: every atomic write fails as the kernel says when there is no space left.
vi.mock('../../src/adapters/files/fs-safe.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/adapters/files/fs-safe.js')>();
  return {
    ...real,
    writeFileAtomic: async (target: string, data: Buffer | string) => {
      if (disk.full) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${target}'`), { code: 'ENOSPC' });
      return real.writeFileAtomic(target, data);
    },
  };
});

describe('a full disk', () => {
  it('makes no half case: the letter waits in the inbox with a clear message, and is taken once there is room', async () => {
    const root = await makeWorkspace();
    copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'S01.jpg'));
    const ocr = await OcrPool.create(loadSettings(workspaceAt(root).settingsFile).ocr);
    const ctx = contextFor(root, ocr);
    const ledger = new FailureLedger();
    const quiet = createReporter({ tty: false, quiet: true });
    try {
      const [failed] = await ingestBatch(ctx, await listInbox(ctx.paths.inbox, '未能登记'), quiet, ledger);
      expect(failed).toMatchObject({ kind: 'failed', reason: 'disk-full' });
      expect(describeResult(failed!)).toContain('磁盘空间不足');
      expect(await ctx.store.listCases()).toEqual([]);
      expect(readFileSync(path.join(root, 'inbox', 'S01.jpg')).equals(readFileSync(scan('S01.jpg')))).toBe(true);
      const staging = path.join(root, 'archive', '.staging');
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
      expect(existsSync(path.join(root, 'archive', '2026')) ? readdirSync(path.join(root, 'archive', '2026')) : []).toEqual([]);

      disk.full = false;
      const [taken] = await ingestBatch(ctx, await listInbox(ctx.paths.inbox, '未能登记'), quiet, ledger);
      expect(taken).toMatchObject({ kind: 'registered' });
      expect((await ctx.store.listCases()).map((c) => c.seq)).toEqual([1]);
      expect(readdirSync(path.join(root, 'inbox'))).toEqual([]);
    } finally {
      await ctx.close();
      await ocr.close();
    }
  }, 120_000);
});
