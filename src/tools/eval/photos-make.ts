/**
 * Writes the photo evaluation set: `npm run eval:photos:make [-- out-folder]`, by default into
 * test/fixtures/photos/. Every photo is made from a recipe and a seed (see adapters/pdfjs/canvas-letter.ts) from the
 * sample scans (test/fixtures/samples) and from letters written here whose text is known (the demo
 * letters, typeset and "handwritten"), so running it again writes the same files. Beside the
 * photos, truth.json: for each photo its text and what was done to it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../adapters/files/workspace.js';
import { encodePhoto, type PhotoEncoding } from '../../adapters/sharp/photo.js';
import { decodeScan } from '../../services/intake/decode.js';
import { demoLetters } from '../demo/letters.js';
import { foldPage, pageFromScan, photograph, stampPage, stripPixels, wrap, writePage, type PagePixels, type PhotoRecipe, type Writing } from '../../adapters/pdfjs/canvas-letter.js';

export interface PhotoTruth {
  file: string;
  /** The page's text, line by line. */
  text: string;
  source: string;
  /** What was done to the page, in words. */
  damage: string[];
  /** Clockwise quarter turns of the picture as seen (after any EXIF tag is honoured). */
  quarterTurns: number;
}

const root = packageRoot();
const out = process.argv[2] ?? path.join(root, 'test', 'fixtures', 'photos');
const samples = path.join(root, 'test', 'fixtures', 'samples');

interface Source {
  name: string;
  text: string;
  page: () => Promise<PagePixels>;
}

async function sampleSource(file: string, id: string, pageNo: number): Promise<Source> {
  const truth = JSON.parse(readFileSync(path.join(samples, 'truth', `${id}.json`), 'utf8')) as { pages: string[] };
  return {
    name: `${id}${truth.pages.length > 1 ? `p${pageNo + 1}` : ''}`,
    text: truth.pages[pageNo]!,
    page: async () => {
      const scan = await decodeScan(readFileSync(path.join(samples, 'scans', file)), { maxPages: 10, maxPixelsPerPage: 1e8, readLongSide: 1754, keepLongSide: 1754, keepJpegQuality: 80 });
      return pageFromScan(scan.pages[pageNo]!.image);
    },
  };
}

/** A demo letter's text, set as a resident would lay it out. */
function letterLines(i: number, perLine: number): string[] {
  const letter = demoLetters(8, new Date(Date.UTC(2026, 10, 20)))[i]!;
  const body = wrap(letter.body, perLine, true);
  return [
    '尊敬的社区领导：',
    ...body.lines.map((l, k) => (body.indents[k] ? `　　${l}` : l)),
    '　　此致',
    '敬礼！',
    `来信人：${letter.name}`,
    `住址：${letter.address}`,
    `联系电话：${letter.phone}`,
    letter.date,
  ];
}

function writtenSource(name: string, writing: Writing, seed: number): Source {
  return { name, text: writing.lines.map((l) => l.replace(/^　+/, '')).join('\n'), page: async () => writePage(writing, seed) };
}

const PORTRAIT = { width: 960, height: 1280 };
const LARGE = { width: 1200, height: 1600 };
const SMALL = { width: 720, height: 960 };

const base: Omit<PhotoRecipe, 'seed'> = {
  frame: PORTRAIT,
  surround: 'wood',
  pageShare: 0.8,
  tilt: 0,
  keystone: 0,
  farEdge: 'top',
  shadow: 'none',
  shadowDepth: 0,
  lightFalloff: 0.15,
  folds: 0,
  stamp: false,
};

interface Shot {
  file: string;
  source: Source;
  recipe: Partial<PhotoRecipe>;
  encoding: Partial<PhotoEncoding>;
}

async function shots(): Promise<Shot[]> {
  const s01 = await sampleSource('S01.jpg', 'S01', 0);
  const s03a = await sampleSource('S03.pdf', 'S03', 0);
  const s03b = await sampleSource('S03.pdf', 'S03', 1);
  const s04 = await sampleSource('S04.png', 'S04', 0);
  const typed = (i: number) => writtenSource(`letter${i + 1}-typed`, { lines: letterLines(i, 26), style: 'typed' }, 100 + i);
  const hand = (i: number, ruled = false) => writtenSource(`letter${i + 1}-hand`, { lines: letterLines(i, 22), style: 'hand', ruled, fontSize: 40, spacing: 1.9 }, 200 + i);
  const note = (lines: string[], name: string) => writtenSource(name, { lines, style: 'hand', fontSize: 52, spacing: 2.2, margin: 170 }, 300 + name.length);
  const strip = (line: string, name: string) => writtenSource(name, { lines: [line], style: 'hand', size: { width: 200 + [...line].length * 66, height: 150 }, fontSize: 62, margin: 100, spacing: 1 }, 400 + name.length);
  return [
    // The sample letters.
    { file: 'P01-S01-dark-90.jpg', source: s01, recipe: { surround: 'dark', tilt: -2 }, encoding: { quarterTurns: 1 } },
    { file: 'P02-S01-hand-shadow.jpg', source: s01, recipe: { surround: 'wood', shadow: 'hand', shadowDepth: 0.55, tilt: 2 }, encoding: {} },
    { file: 'P03-S01-wood-90-angle.jpg', source: s01, recipe: { keystone: 0.12, farEdge: 'top', tilt: 4 }, encoding: { quarterTurns: 1 } },
    { file: 'P04-S01-cloth-corner-blur.jpg', source: s01, recipe: { surround: 'cloth', shadow: 'corner', shadowDepth: 0.45 }, encoding: { blur: 1.1 } },
    { file: 'P05-S01-exif-6.jpg', source: s01, recipe: { surround: 'gray', tilt: -3, lightFalloff: 0.3 }, encoding: { exifOrientation: 6 } },
    { file: 'P06-S03p1-cloth-180-angle.jpg', source: s03a, recipe: { surround: 'cloth', keystone: 0.15, farEdge: 'bottom' }, encoding: { quarterTurns: 2, quality: 75 } },
    { file: 'P07-S03p2-floral-270.jpg', source: s03b, recipe: { surround: 'floral', tilt: 5 }, encoding: { quarterTurns: 3 } },
    { file: 'P08-S03p1-dark-small-wechat.jpg', source: s03a, recipe: { surround: 'dark', pageShare: 0.85 }, encoding: { recompress: { longSide: 800, quality: 60 } } },
    { file: 'P09-S04-gray-side-shadow.jpg', source: s04, recipe: { surround: 'gray', shadow: 'side', shadowDepth: 0.4 }, encoding: {} },
    { file: 'P10-S04-wood-90-folds-angle.jpg', source: s04, recipe: { keystone: 0.2, farEdge: 'left', folds: 2 }, encoding: { quarterTurns: 1 } },
    { file: 'P11-S04-dark-exif-8-stamp.jpg', source: s04, recipe: { surround: 'dark', stamp: true, tilt: 3 }, encoding: { exifOrientation: 8 } },
    { file: 'P12-S03p2-wood-large-hand-shadow.jpg', source: s03b, recipe: { frame: LARGE, shadow: 'hand', shadowDepth: 0.6, keystone: 0.08 }, encoding: { quality: 85 } },
    // Typeset letters.
    { file: 'P13-letter1-dark-90.jpg', source: typed(0), recipe: { surround: 'dark', tilt: 6 }, encoding: { quarterTurns: 1 } },
    { file: 'P14-letter2-wood-stamp-fold.jpg', source: typed(1), recipe: { stamp: true, folds: 2, keystone: 0.1 }, encoding: {} },
    { file: 'P15-letter3-cloth-180-shadow.jpg', source: typed(2), recipe: { surround: 'cloth', shadow: 'hand', shadowDepth: 0.5 }, encoding: { quarterTurns: 2 } },
    { file: 'P16-letter4-floral-angle-blur.jpg', source: typed(3), recipe: { surround: 'floral', keystone: 0.25, farEdge: 'top' }, encoding: { blur: 1.4 } },
    { file: 'P17-letter5-gray-270-uneven.jpg', source: typed(4), recipe: { surround: 'gray', lightFalloff: 0.45, tilt: -5 }, encoding: { quarterTurns: 3 } },
    { file: 'P18-letter6-dark-small-wechat.jpg', source: typed(5), recipe: { frame: SMALL, surround: 'dark', pageShare: 0.9 }, encoding: { recompress: { longSide: 720, quality: 55 } } },
    { file: 'P19-letter7-wood-corner-stamp.jpg', source: typed(6), recipe: { shadow: 'corner', shadowDepth: 0.5, stamp: true }, encoding: { quarterTurns: 0 } },
    { file: 'P20-letter8-cloth-exif-6-folds.jpg', source: typed(7), recipe: { surround: 'cloth', folds: 1, tilt: 2 }, encoding: { exifOrientation: 6, quarterTurns: 1 } },
    { file: 'P21-letter1-wood-far-small.jpg', source: typed(0), recipe: { pageShare: 0.55, tilt: -8 }, encoding: {} },
    // Letters written by hand.
    { file: 'P22-hand1-wood.jpg', source: hand(0), recipe: {}, encoding: {} },
    { file: 'P23-hand2-ruled-dark-90.jpg', source: hand(1, true), recipe: { surround: 'dark', tilt: 3 }, encoding: { quarterTurns: 1 } },
    { file: 'P24-hand3-ruled-hand-shadow.jpg', source: hand(2, true), recipe: { shadow: 'hand', shadowDepth: 0.5, keystone: 0.1 }, encoding: {} },
    { file: 'P25-hand4-cloth-180.jpg', source: hand(3), recipe: { surround: 'cloth' }, encoding: { quarterTurns: 2 } },
    { file: 'P26-hand5-gray-270-blur.jpg', source: hand(4, true), recipe: { surround: 'gray', lightFalloff: 0.35 }, encoding: { quarterTurns: 3, blur: 1 } },
    { file: 'P27-hand6-floral-angle-folds.jpg', source: hand(5), recipe: { surround: 'floral', keystone: 0.18, farEdge: 'right', folds: 2 }, encoding: {} },
    // Short notes and strips: one or two lines of writing.
    { file: 'P28-note2-dark-90.jpg', source: note(['请尽快修好小区路灯。', '王秀兰 13900001001'], 'note-two-lines'), recipe: { surround: 'dark' }, encoding: { quarterTurns: 1 } },
    { file: 'P29-note1-wood-270.jpg', source: note(['电梯坏了一个多月没人修'], 'note-one-line'), recipe: { tilt: 4 }, encoding: { quarterTurns: 3 } },
    { file: 'P30-note2-cloth-180.jpg', source: note(['楼下烧烤店噪音太大', '李建国 东风里7号楼'], 'note-two-lines-b'), recipe: { surround: 'cloth' }, encoding: { quarterTurns: 2 } },
    { file: 'P31-strip-90.jpg', source: strip('小区东门外的人行道被工棚占用', 'strip-a'), recipe: {}, encoding: { quarterTurns: 1 } },
    { file: 'P32-strip-upright.jpg', source: strip('请社区督促物业公司尽快修好电梯', 'strip-b'), recipe: {}, encoding: {} },
    { file: 'P33-strip-270.jpg', source: strip('联系电话：13900001004', 'strip-c'), recipe: {}, encoding: { quarterTurns: 3 } },
    { file: 'P34-strip-180.jpg', source: strip('我母亲申请高龄津贴半年没有批下来', 'strip-d'), recipe: {}, encoding: { quarterTurns: 2 } },
  ];
}

const EXIF_TURN = { 3: 2, 6: 1, 8: 3 } as const;

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const truth: PhotoTruth[] = [];
  let bytes = 0;
  for (const [n, shot] of (await shots()).entries()) {
    const seed = 1000 + n * 37;
    const recipe: PhotoRecipe = { ...base, ...shot.recipe, seed };
    const encoding: PhotoEncoding = { blur: 0, quarterTurns: 0, quality: 80, ...shot.encoding };
    const page = await shot.source.page();
    const isStrip = shot.file.includes('strip');
    if (recipe.stamp) await stampPage(page, seed);
    if (recipe.folds) foldPage(page, recipe.folds, seed);
    const photo = isStrip ? stripPixels(page, seed) : photograph(page, recipe);
    const jpeg = await encodePhoto(photo.rgb, photo.width, photo.height, encoding);
    writeFileSync(path.join(out, shot.file), jpeg);
    bytes += jpeg.length;
    const damage = describe(recipe, encoding, isStrip);
    const turns = encoding.quarterTurns % 4;
    truth.push({ file: shot.file, text: shot.source.text, source: shot.source.name, damage, quarterTurns: turns });
    console.log(`${shot.file}: ${(jpeg.length / 1024).toFixed(0)} KB, ${damage.join(', ')}`);
  }
  writeFileSync(path.join(out, 'truth.json'), `${JSON.stringify(truth, null, 1)}\n`);
  console.log(`${truth.length} photos, ${(bytes / 1048576).toFixed(2)} MB`);
}

function describe(r: PhotoRecipe, e: PhotoEncoding, strip: boolean): string[] {
  const d: string[] = [];
  if (strip) d.push('strip');
  else {
    d.push(`${r.surround} surround`, `page ${Math.round(r.pageShare * 100)}% of frame ${r.frame.width}x${r.frame.height}`);
    if (r.tilt) d.push(`tilted ${r.tilt}°`);
    if (r.keystone) d.push(`perspective ${r.keystone} (${r.farEdge} far)`);
    if (r.shadow !== 'none') d.push(`${r.shadow} shadow ${r.shadowDepth}`);
    if (r.lightFalloff >= 0.3) d.push(`uneven light ${r.lightFalloff}`);
    if (r.folds) d.push(`${r.folds} fold${r.folds > 1 ? 's' : ''}`);
    if (r.stamp) d.push('red stamp');
  }
  if (e.quarterTurns % 4) d.push(`turned ${(e.quarterTurns % 4) * 90}°`);
  if (e.exifOrientation) d.push(`EXIF orientation ${e.exifOrientation} (sensor pixels turned ${((4 - EXIF_TURN[e.exifOrientation]) % 4) * 90}°)`);
  if (e.blur) d.push(`blur ${e.blur}`);
  d.push(`JPEG q${e.quality}`);
  if (e.recompress) d.push(`recompressed to ${e.recompress.longSide}px q${e.recompress.quality}`);
  return d;
}

await main();
