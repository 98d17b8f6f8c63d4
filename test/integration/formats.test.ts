import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import bmp from 'bmp-js';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeResult } from '../../src/services/intake/ingest.js';
import type { Store } from '../../src/ports/store.js';
import { characterErrorRate } from '../helpers/cer.js';
import { ingestInbox, makeWorkspace, scan, truth, type IngestedWorkspace } from '../helpers/workspace.js';

const white = { r: 255, g: 255, b: 255 };

/** A page as a phone or scanner might deliver it: turned, skewed, in another format. */
async function page(file: string, turn: number, skew = 0): Promise<Sharp> {
  let image = sharp(await sharp(scan(file)).resize({ width: 1700 }).png().toBuffer());
  if (turn) image = sharp(await image.rotate(turn).png().toBuffer());
  if (skew) image = sharp(await image.rotate(skew, { background: white }).png().toBuffer());
  return image;
}

async function toBmp(image: Sharp): Promise<Buffer> {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const abgr = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i += 4) {
    abgr[i] = 255;
    abgr[i + 1] = data[i + 2]!;
    abgr[i + 2] = data[i + 1]!;
    abgr[i + 3] = data[i]!;
  }
  return bmp.encode({ data: abgr, width: info.width, height: info.height }).data;
}

describe('every scan format, turned and skewed pages, and folders of pages', () => {
  let root: string;
  let ingested: IngestedWorkspace;
  let results: IntakeResult[];
  let registry: Store;
  const expected: Record<string, string[]> = {};

  beforeAll(async () => {
    root = await makeWorkspace();
    const inbox = path.join(root, 'inbox');
    // EXIF orientation 6 says "turn 90° clockwise to view": the pixels lie a quarter-turn back.
    writeFileSync(path.join(inbox, 'a-exif.jpg'), await (await page('S01.jpg', 270)).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    expected['a-exif.jpg'] = truth('S01').pages;
    writeFileSync(path.join(inbox, 'b-upside-down.webp'), await (await page('S02.jpg', 180)).webp({ quality: 90 }).toBuffer());
    expected['b-upside-down.webp'] = truth('S02').pages;
    writeFileSync(path.join(inbox, 'c-quarter-turn.bmp'), await toBmp(await page('S04.png', 90)));
    expected['c-quarter-turn.bmp'] = truth('S04').pages;
    const first = await (await page('S01.jpg', 0, 4)).resize(1700, 2400, { fit: 'fill' }).png().toBuffer();
    const second = await (await page('S04.png', 270, -3)).resize(1700, 2400, { fit: 'fill' }).png().toBuffer();
    writeFileSync(path.join(inbox, 'd-two-pages.tif'), await sharp([first, second], { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer());
    expected['d-two-pages.tif'] = [...truth('S01').pages, ...truth('S04').pages];
    // A folder is one letter; its files are pages in name order (2 before 10).
    const folder = path.join(inbox, 'e-王秀兰来信');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'page-10.png'), await (await page('S02.jpg', 0)).png().toBuffer());
    writeFileSync(path.join(folder, 'page-2.jpg'), await (await page('S01.jpg', 0, -2)).jpeg().toBuffer());
    writeFileSync(path.join(folder, 'Thumbs.db'), 'not a page');
    expected['e-王秀兰来信'] = [...truth('S01').pages, ...truth('S02').pages];

    ingested = await ingestInbox(root);
    ({ results, registry } = ingested);
  });

  afterAll(async () => {
    await ingested?.close();
  });

  it('registers each item as one letter', () => {
    expect(results.map((r) => [r.item, r.kind])).toEqual(Object.keys(expected).map((k) => [k, 'registered']));
    expect(readdirSync(path.join(root, 'inbox'))).toEqual([]);
  });

  it('reads every page upright and in order, under 0.5% character errors', async () => {
    for (const r of results) {
      if (r.kind !== 'registered') continue;
      const found = (await registry.findCase(r.case.number))!;
      const pages = expected[r.item]!;
      expect(found.pages.map((p) => p.text).length, r.item).toBe(pages.length);
      pages.forEach((text, i) => expect(characterErrorRate(text, found.pages[i]!.text), `${r.item} page ${i + 1}: ${found.pages[i]!.text}`).toBeLessThan(0.005));
    }
  });

  it('records how each page was turned and levelled', async () => {
    const rotations = async (item: string) => {
      const r = results.find((x) => x.item === item);
      return r?.kind === 'registered' ? (await registry.findCase(r.case.number))!.pages.map((p) => p.rotation) : [];
    };
    expect(await rotations('a-exif.jpg')).toEqual([0]); // EXIF already set it upright
    expect(await rotations('b-upside-down.webp')).toEqual([180]);
    expect(await rotations('c-quarter-turn.bmp')).toEqual([270]);
    expect(await rotations('d-two-pages.tif')).toEqual([0, 90]);
    const tiff = results.find((x) => x.item === 'd-two-pages.tif');
    const skews = tiff?.kind === 'registered' ? (await registry.findCase(tiff.case.number))!.pages.map((p) => p.skew) : [];
    expect(Math.abs(skews[0]! + 4)).toBeLessThan(1.2); // turned back by about the 4° it was skewed
    expect(Math.abs(skews[1]! - 3)).toBeLessThan(1.2);
  });

  it('keeps each page file of a folder letter as an original', async () => {
    const r = results.find((x) => x.item === 'e-王秀兰来信');
    const docs = r?.kind === 'registered' ? (await registry.findCase(r.case.number))!.documents : [];
    expect(docs.filter((d) => d.role === 'original').map((d) => path.basename(d.path))).toEqual(['原件_01_page-2.jpg', '原件_02_page-10.png']);
  });

  it('keeps re-encoded pages (BMP, TIFF, PNG) as one-channel gray in the searchable PDF', async () => {
    for (const item of ['c-quarter-turn.bmp', 'd-two-pages.tif']) {
      const r = results.find((x) => x.item === item);
      const doc = r?.kind === 'registered' ? (await registry.findCase(r.case.number))!.documents.find((d) => d.role === 'searchable') : undefined;
      const pdf = readFileSync(path.join(root, doc!.path)).toString('latin1');
      const images = pdf.match(/\/Subtype\s*\/Image[^>]*?\/ColorSpace\s*\/(\w+)|\/ColorSpace\s*\/(\w+)[^>]*?\/Subtype\s*\/Image/g) ?? [];
      expect(images.length, item).toBeGreaterThan(0);
      for (const image of images) expect(image, item).toContain('DeviceGray');
    }
  });
});
