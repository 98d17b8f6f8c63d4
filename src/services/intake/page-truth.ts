/**
 * Whether a page's reading can be trusted, judged by more than the recogniser's own scores: the
 * recogniser is sure of each line it read, and knows nothing of the lines it never found. So the
 * ink on the page is set against the lines read: how much of it the read lines cover, how many of
 * the page's rows of ink were read at all, and whether the text read looks like a letter.
 */
import { INK_RATIO } from '../../adapters/sharp/image.js';
import type { GrayImage } from '../../ports/image.js';
import type { OcrLine } from '../../ports/ocr.js';

/** Why a page is sent to review although the recogniser was sure of what it read. */
export type PageDoubt = 'low-confidence' | 'text-unread';

export interface PageCheck {
  /** Share of the page's ink inside the lines read (0–1). */
  inkCovered: number;
  /** Rows of ink on the page, and how many of them a read line lies on. */
  inkRows: number;
  rowsRead: number;
  /** Share of the characters read that belong in a Chinese letter (0–1). */
  language: number;
  /** The highest confidence the page may claim after these checks: 1 when they all pass. */
  cap: number;
  unread: boolean;
}

/** Below these the page's text is taken to be partly missing or wrong. */
export const MIN_INK_COVERED = 0.6;
export const MIN_ROWS_READ = 0.7;
export const MIN_LANGUAGE = 0.85;
/** A page failing a check claims at most this, whatever its lines' scores. */
const FAILED_CAP = 0.8;

/** Every second pixel each way: strokes are wider than that. */
const STRIDE = 2;
/** Scanner edges, a sliver of table left by the crop: not writing. */
const EDGE_BAND = 0.02;
/** A straight run of ink longer than this share of the page is a rule, a fold or an edge, not writing. */
const RULE_SHARE = 0.15;
const RULE_GAP = 3;

/**
 * Checks the lines read off `page` (upright, in its pixels) against its ink. `lines` are the lines
 * kept for the register; a line the recogniser found but read as noise counts as not read.
 */
export function checkPage(page: GrayImage, lines: readonly OcrLine[]): PageCheck {
  const ink = inkMask(page);
  const { width: w, height: h, mask } = ink;
  let total = 0;
  let covered = 0;
  const inLine = new Uint8Array(w * h);
  for (const line of lines) {
    const [l, t, r, b] = line.box;
    const pad = (b - t) * 0.25;
    const x0 = Math.max(0, Math.floor((l - pad) / STRIDE));
    const x1 = Math.min(w, Math.ceil((r + pad) / STRIDE));
    const y0 = Math.max(0, Math.floor((t - pad) / STRIDE));
    const y1 = Math.min(h, Math.ceil((b + pad) / STRIDE));
    for (let y = y0; y < y1; y++) inLine.fill(1, y * w + x0, y * w + x1);
  }
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    total++;
    if (inLine[i]) covered++;
  }
  // A page with hardly any ink has nothing to miss.
  const inkCovered = total < 150 ? 1 : covered / total;
  const rows = inkRows(ink);
  const rowsRead = rows.filter(([top, bottom]) => lines.some((line) => overlap(top * STRIDE, bottom * STRIDE, line.box[1], line.box[3]) >= 0.5 * (bottom - top) * STRIDE)).length;
  const language = languageScore(lines.map((l) => l.text).join(''));
  const failures: number[] = [];
  if (inkCovered < MIN_INK_COVERED) failures.push(inkCovered);
  if (rows.length >= 2 && rowsRead / rows.length < MIN_ROWS_READ) failures.push(rowsRead / rows.length);
  if (rows.length === 1 && rowsRead === 0) failures.push(0);
  if (language < MIN_LANGUAGE) failures.push(language);
  const cap = failures.length ? Math.min(FAILED_CAP, ...failures) : 1;
  return { inkCovered, inkRows: rows.length, rowsRead, language, cap, unread: failures.length > 0 };
}

interface InkMask {
  mask: Uint8Array;
  width: number;
  height: number;
}

/**
 * Ink at every second pixel, rules, folds and edges taken out. Ink is judged against the paper
 * around it (the lightest of the blocks nearby), not one level for the page: a shadow the light
 * evening left behind, or a surround not cut away, is not ink.
 */
function inkMask(page: GrayImage): InkMask {
  const w = Math.floor(page.width / STRIDE);
  const h = Math.floor(page.height / STRIDE);
  const mask = new Uint8Array(w * h);
  const paper = localPaper(page);
  const mx = Math.round(w * EDGE_BAND);
  const my = Math.round(h * EDGE_BAND);
  for (let y = my; y < h - my; y++) {
    const py = y * STRIDE;
    const row = py * page.width;
    const prow = Math.floor(py / BLOCK) * paper.width;
    for (let x = mx; x < w - mx; x++) {
      const px = x * STRIDE;
      if (page.data[row + px]! < paper.data[prow + Math.floor(px / BLOCK)]! * INK_RATIO) mask[y * w + x] = 1;
    }
  }
  clearLongRuns(mask, w, h, Math.max(8, Math.round(w * RULE_SHARE)), 1, w);
  clearLongRuns(mask, h, w, Math.max(8, Math.round(h * RULE_SHARE)), w, 1);
  return { mask, width: w, height: h };
}

/** Blocks of the page this many pixels wide: characters are larger, shadows change slower. */
const BLOCK = 8;

/** The paper's brightness by block: each block's mean, then the lightest within one block of it. */
function localPaper(page: GrayImage): { data: Float32Array; width: number } {
  const bw = Math.ceil(page.width / BLOCK);
  const bh = Math.ceil(page.height / BLOCK);
  const sums = new Float32Array(bw * bh);
  const counts = new Uint16Array(bw * bh);
  for (let y = 0; y < page.height; y += 2) {
    const row = y * page.width;
    const brow = Math.floor(y / BLOCK) * bw;
    for (let x = 0; x < page.width; x += 2) {
      const b = brow + Math.floor(x / BLOCK);
      sums[b]! += page.data[row + x]!;
      counts[b]!++;
    }
  }
  const mean = sums.map((s, i) => s / Math.max(1, counts[i]!));
  const light = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= bh) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= bw) continue;
          const v = mean[yy * bw + xx]!;
          if (v > m) m = v;
        }
      }
      light[y * bw + x] = m;
    }
  }
  return { data: light, width: bw };
}

/** Clears straight runs of ink longer than `longest` along one direction (step `along`, lines `across` apart). */
function clearLongRuns(mask: Uint8Array, length: number, count: number, longest: number, along: number, across: number): void {
  for (let line = 0; line < count; line++) {
    const base = line * across;
    // A rule drawn faintly or broken by compression has small gaps: bridge gaps of up to RULE_GAP.
    let start = -1;
    let last = -1;
    for (let i = 0; i <= length; i++) {
      const on = i < length && mask[base + i * along] === 1;
      if (on) {
        if (start < 0) start = i;
        last = i;
      } else if (start >= 0 && (i - last > RULE_GAP || i === length)) {
        if (last + 1 - start > longest) for (let k = start; k <= last; k++) mask[base + k * along] = 0;
        start = -1;
      }
    }
  }
}

/** Bands of rows holding ink (in mask rows), as [top, bottom): the lines of writing on the page. */
function inkRows({ mask, width, height }: InkMask): [number, number][] {
  const counts = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    for (let x = 0; x < width; x++) n += mask[y * width + x]!;
    counts[y] = n;
  }
  const least = Math.max(2, Math.round(width * 0.004));
  let runs: [number, number][] = [];
  let start = -1;
  for (let y = 0; y <= height; y++) {
    const on = y < height && counts[y]! >= least;
    if (on && start < 0) start = y;
    if (!on && start >= 0) {
      runs.push([start, y]);
      start = -1;
    }
  }
  if (runs.length === 0) return [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const tall = runs.filter(([a, b]) => b - a >= 3);
  const lineHeight = tall.length ? median(tall.map(([a, b]) => b - a)) : 3;
  // Characters with gaps inside (二, 三) split a row: join runs closer than a third of a line.
  const joined: [number, number][] = [];
  for (const run of runs) {
    const last = joined[joined.length - 1];
    if (last && run[0] - last[1] < lineHeight * 0.3) last[1] = run[1];
    else joined.push([run[0], run[1]]);
  }
  runs = joined;
  const inkOf = ([a, b]: [number, number]) => {
    let s = 0;
    for (let y = a; y < b; y++) s += counts[y]!;
    return s;
  };
  // The height of a row of writing: taken high in the order, as letter paper's rules (thin rows of
  // their own, when faint or slanting) may be as many as the rows of writing.
  const sorted = runs.map(([a, b]) => b - a).sort((a, b) => a - b);
  const rowHeight = sorted[Math.floor(sorted.length * 0.75)]!;
  const inks = median(runs.map(inkOf));
  // Specks, a crease's shadow, a rule, a thin underline: not rows of writing.
  return runs.filter((r) => r[1] - r[0] >= Math.max(2, rowHeight * 0.35) && inkOf(r) >= inks * 0.15);
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

const HAN = /\p{Script=Han}/u;
const DIGIT = /[0-9０-９]/u;
const LETTER_PUNCTUATION = new Set([...'，。：；！？、（）《》“”‘’—…·〔〕【】「」-.:/()%,Xx ']);

/**
 * Share of the characters that belong in a Chinese letter: Chinese characters, digits, the
 * punctuation letters use. What an engine makes of a shadow, a fold or text read the wrong way
 * up is full of stray Latin letters and marks.
 */
export function languageScore(text: string): number {
  const chars = [...text.replace(/\s+/g, '')];
  if (chars.length === 0) return 1;
  let good = 0;
  for (const c of chars) if (HAN.test(c) || DIGIT.test(c) || LETTER_PUNCTUATION.has(c)) good++;
  return good / chars.length;
}
