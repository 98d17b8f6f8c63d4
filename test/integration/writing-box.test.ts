import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import type { Settings } from '../../src/domain/settings.js';
import { decodeScan } from '../../src/services/intake/decode.js';
import { crop, encodePng } from '../../src/adapters/sharp/image.js';
import type { GrayImage } from '../../src/ports/image.js';
import { limitsFrom } from '../../src/services/intake/limits.js';
import { writingBox } from '../../src/services/intake/writing.js';
import { OcrPool } from '../../src/adapters/ocr/pool.js';
import { readPage } from '../../src/services/intake/read-page.js';
import { repoRoot, scan } from '../helpers/workspace.js';

function blankPage(width: number, height: number, paper = 235): GrayImage {
  return { data: Buffer.alloc(width * height, paper), width, height };
}

function paint(page: GrayImage, left: number, top: number, width: number, height: number, value = 30): void {
  for (let y = top; y < top + height; y++) page.data.fill(value, y * page.width + left, y * page.width + left + width);
}

function paste(page: GrayImage, part: GrayImage, left: number, top: number): void {
  for (let y = 0; y < part.height; y++) part.data.copy(page.data, (top + y) * page.width + left, y * part.width, (y + 1) * part.width);
}

describe('the part of a page that holds writing', () => {
  it('is nothing on a blank page, the writing and its margin on a written one, and keeps a mark near the edge', () => {
    const page = blankPage(1131, 1600);
    expect(writingBox(page, 0.04)).toBeNull();
    paint(page, 300, 400, 500, 200);
    const margin = Math.round(1600 * 0.04);
    const box = writingBox(page, 0.04)!;
    expect(box.left).toBeLessThanOrEqual(300 - margin);
    expect(box.top).toBeLessThanOrEqual(400 - margin);
    expect(box.left + box.width).toBeGreaterThanOrEqual(800 + margin);
    expect(box.top + box.height).toBeGreaterThanOrEqual(600 + margin);
    expect(box.width * box.height).toBeLessThan(0.25 * 1131 * 1600);
    // A page number 30 px above the bottom edge (inside 2 % of it) is writing too.
    paint(page, 540, 1560, 50, 12);
    expect(writingBox(page, 0.04)!.top + writingBox(page, 0.04)!.height).toBe(1600);
    // The scanner's dark edge along the border is not.
    const edged = blankPage(1131, 1600);
    paint(edged, 300, 400, 500, 200);
    paint(edged, 0, 0, 12, 1600, 0);
    expect(writingBox(edged, 0.04)).toEqual(box);
  });
});

describe('reading only the writing, with the real OCR', () => {
  let pool: OcrPool;
  let settings: Settings;
  beforeAll(async () => {
    settings = loadSettings(path.join(repoRoot, 'pipeline', 'settings.yaml'));
    pool = await OcrPool.create(settings.ocr);
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('reads the same text as the whole page, including lines moved to the page corners, with boxes in the page frame', async () => {
    expect(settings.ocr.skipBlankMargins).toBe(true);
    const [original] = (await decodeScan(readFileSync(scan('S01.jpg')), limitsFrom(settings))).pages;
    const { image } = original!;
    // A real line of the letter, copied into the top-left and bottom-right corners, 2 % from the edges.
    const lines = await pool.recognize(image);
    const line = lines.find((l) => l.text.length >= 8)!;
    const [x0, y0, x1, y1] = line.box.map(Math.round) as [number, number, number, number];
    const part = crop(image, x0, y0, x1 - x0, y1 - y0);
    const page: GrayImage = { data: Buffer.from(image.data), width: image.width, height: image.height };
    const inset = Math.round(image.height * 0.02);
    paint(page, 0, 0, page.width, Math.round(page.height * 0.06), 235);
    paint(page, 0, page.height - Math.round(page.height * 0.06), page.width, Math.round(page.height * 0.06), 235);
    paste(page, part, inset, inset);
    paste(page, part, page.width - part.width - inset, page.height - part.height - inset);
    const [moved] = (await decodeScan(await encodePng(page), limitsFrom(settings))).pages;

    const skipping = await readPage(moved!, pool, settings);
    const whole = await readPage(moved!, pool, { ...settings, ocr: { ...settings.ocr, skipBlankMargins: false } });
    expect(skipping.text).toBe(whole.text);
    const copies = skipping.text.split(line.text).length - 1;
    expect(copies).toBeGreaterThanOrEqual(3);
    // The corner copies' boxes are where they were pasted, in the page's own frame.
    const bottomRight = skipping.lines.filter((l) => l.text === line.text).at(-1)!;
    expect(bottomRight.box[2]).toBeGreaterThan(page.width - inset - 40);
    expect(bottomRight.box[3]).toBeGreaterThan(page.height - inset - 40);
  });
});
