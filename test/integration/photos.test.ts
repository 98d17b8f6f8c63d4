import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdfPage } from '../../src/adapters/pdfjs/render-pages.js';
import type { Case, PageRecord } from '../../src/domain/case.js';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import type { PhotoTruth } from '../../src/tools/eval/photos-make.js';
import { characterErrorRate } from '../helpers/cer.js';
import { ingestInbox, makeWorkspace, repoRoot, type IngestedWorkspace } from '../helpers/workspace.js';

const photos = path.join(repoRoot, 'test', 'fixtures', 'photos');
const truth = JSON.parse(readFileSync(path.join(photos, 'truth.json'), 'utf8')) as PhotoTruth[];
const textOf = (file: string) => truth.find((t) => t.file === file)!.text;

/** Photos from the evaluation set: the two (turned on a dark table; a hand's shadow), an EXIF-tagged one, a strip on its side. */
const FILES = ['P01-S01-dark-90.jpg', 'P02-S01-hand-shadow.jpg', 'P05-S01-exif-6.jpg', 'P31-strip-90.jpg'];

describe('phone photos of letters, through the real intake and OCR', () => {
  let root: string;
  let ingested: IngestedWorkspace;
  const cases = new Map<string, { case: Case; pages: PageRecord[]; pdf: Buffer }>();

  beforeAll(async () => {
    root = await makeWorkspace({ workflow: { blankSheets: false } });
    for (const f of FILES) copyFileSync(path.join(photos, f), path.join(root, 'inbox', f));
    ingested = await ingestInbox(root);
    for (const r of ingested.results as IntakeResult[]) {
      if (r.kind !== 'registered') continue;
      const detail = (await ingested.registry.findCase(r.case.number))!;
      const doc = detail.documents.find((d) => d.role === 'searchable')!;
      cases.set(r.item, { case: r.case, pages: detail.pages, pdf: readFileSync(path.join(root, doc.path)) });
    }
  });

  afterAll(async () => {
    await ingested?.close();
  });

  it('registers every photo', () => {
    expect([...cases.keys()].sort()).toEqual([...FILES].sort());
  });

  it.each(FILES)('%s is read to under 2 %% CER, or sent to review', (file) => {
    const c = cases.get(file)!;
    const page = c.pages[0]!;
    const cer = characterErrorRate(textOf(file), page.text);
    if (cer >= 0.02) {
      expect(page.lowConfidence).toBe(true);
      expect(c.case.flags).toContain('low-confidence');
      expect(page.confidence).toBeLessThan(0.85);
    }
    // These four are read well (measured by npm run eval:photos): hold them to it.
    expect(cer).toBeLessThan(0.02);
  });

  it('keeps the photo turned on a dark table as its sheet alone, upright and cropped, in the searchable PDF', async () => {
    const c = cases.get('P01-S01-dark-90.jpg')!;
    expect(c.pages[0]!.rotation).toBe(270);
    const page = (await renderPdfPage(c.pdf, 1, 800))!;
    // Upright: an A4 letter is taller than wide (S01 is 2512 × 3530).
    expect(page.height / page.width).toBeGreaterThan(1.3);
    expect(page.height / page.width).toBeLessThan(1.5);
    // Cropped to the paper: its edges are paper, not the dark table (the photo's surround is ~40).
    const band = (x0: number, y0: number, w: number, h: number) => {
      let sum = 0;
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) sum += page.data[y * page.width + x]!;
      return sum / (w * h);
    };
    const edge = Math.round(page.width * 0.03);
    for (const mean of [band(0, 0, page.width, edge), band(0, page.height - edge, page.width, edge), band(0, 0, edge, page.height), band(page.width - edge, 0, edge, page.height)]) {
      expect(mean).toBeGreaterThan(150);
    }
  });

  it('honours the EXIF orientation of a phone JPEG, and then finds nothing left to turn', async () => {
    const bytes = readFileSync(path.join(photos, 'P05-S01-exif-6.jpg'));
    const meta = await sharp(bytes).metadata();
    expect(meta.orientation).toBe(6);
    // The pixels lie on their side; the tag turns them upright.
    expect(meta.width).toBeGreaterThan(meta.height!);
    const c = cases.get('P05-S01-exif-6.jpg')!;
    expect(c.pages[0]!.rotation).toBe(0);
  });

  it('turns a one-line strip lying on its side the right way and reads it', () => {
    const c = cases.get('P31-strip-90.jpg')!;
    expect(c.pages[0]!.rotation).toBe(270);
    expect(c.pages[0]!.text.replace(/\s/g, '')).toBe(textOf('P31-strip-90.jpg'));
  });
});
