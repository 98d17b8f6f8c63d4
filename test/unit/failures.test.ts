import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listInbox } from '../../src/services/intake/inbox.js';
import type { PageReader } from '../../src/ports/ocr.js';
import { createReporter } from '../../src/interfaces/cli/progress.js';
import { FailureLedger, ingestBatch, MAX_ATTEMPTS } from '../../src/services/intake/batch.js';
import { contextFor, makeWorkspace, scan } from '../helpers/workspace.js';

/** An OCR engine that breaks in a way nobody foresaw. */
const brokenOcr = { size: 1, engineName: 'broken', recognize: async () => Promise.reject(new Error('onnxruntime: bad allocation')), close: async () => {} } as unknown as PageReader;

describe('an unforeseen error on one file', () => {
  it('leaves the file for another try, then sets it aside with a note, without stopping the others', async () => {
    const root = await makeWorkspace();
    copyFileSync(scan('S02.jpg'), path.join(root, 'inbox', 'letter.jpg'));
    copyFileSync(scan('S06-truncated.jpg'), path.join(root, 'inbox', 'truncated.jpg'));
    const ctx = contextFor(root, brokenOcr);
    const ledger = new FailureLedger();
    const quiet = createReporter({ tty: false, quiet: true });
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const results = await ingestBatch(ctx, await listInbox(ctx.paths.inbox, '未能登记'), quiet, ledger);
      expect(results.map((r) => r.kind)).toEqual(attempt === 1 ? ['failed', 'set-aside'] : ['failed']);
      expect(existsSync(path.join(root, 'inbox', 'letter.jpg'))).toBe(true);
    }
    const last = await ingestBatch(ctx, await listInbox(ctx.paths.inbox, '未能登记'), quiet, ledger);
    expect(last).toMatchObject([{ kind: 'set-aside', problem: { code: 'internal-error' } }]);
    expect(readFileSync(path.join(root, 'inbox', '未能登记', 'letter.jpg.原因.txt'), 'utf8')).toContain('交给技术人员');
    expect(readFileSync(path.join(root, 'inbox', '未能登记', 'letter.jpg')).equals(readFileSync(scan('S02.jpg')))).toBe(true);
    expect(await ctx.store.listCases()).toEqual([]);
    await ctx.close();
  });
});
