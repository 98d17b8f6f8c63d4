import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import type { Store } from '../../src/ports/store.js';
import { characterErrorRate } from '../helpers/cer.js';
import { ingestInbox, makeWorkspace, scan, truth, type IngestedWorkspace } from '../helpers/workspace.js';

// The second engine, chosen in the settings: fully offline tesseract.js with chi_sim from npm.
// It reads these letters less well than PP-OCRv4 (DESIGN.md measured 2.5–3% errors), so the bar is lower.
describe('the tesseract engine', () => {
  let ingested: IngestedWorkspace;
  let registry: Store;
  let results: IntakeResult[];

  beforeAll(async () => {
    const root = await makeWorkspace({ ocr: { engine: 'tesseract' } });
    copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'a.jpg'));
    writeFileSync(path.join(root, 'inbox', 'b-upside-down.jpg'), await sharp(scan('S02.jpg')).rotate(180).jpeg().toBuffer());
    ingested = await ingestInbox(root);
    ({ results, registry } = ingested);
  });

  afterAll(async () => {
    await ingested?.close();
  });

  it('reads letters, upside-down ones included, with few errors', async () => {
    const pages = await Promise.all(results.map(async (r) => (r.kind === 'registered' ? (await registry.findCase(r.case.number))! : undefined)));
    expect(pages.every(Boolean)).toBe(true);
    expect(pages[0]!.ocrEngine).toBe('tesseract-lstm');
    expect(characterErrorRate(truth('S01').pages[0]!, pages[0]!.ocrText)).toBeLessThan(0.04);
    expect(pages[1]!.pages[0]!.rotation).toBe(180);
    expect(characterErrorRate(truth('S02').pages[0]!, pages[1]!.ocrText), pages[1]!.ocrText).toBeLessThan(0.04);
  });
});

