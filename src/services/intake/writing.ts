import { INK_RATIO } from '../../adapters/sharp/image.js';
import type { GrayImage } from '../../ports/image.js';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Scanner edges and their shadows lie in this outer band of the page: not writing. Narrow, so a
 * page number printed near the edge still counts; a wider shadow only makes the box larger.
 */
const EDGE_BAND = 0.015;
/** Room left around the writing found on a page, as a share of its long side. */
export const WRITING_MARGIN = 0.04;
/** Every second row and column: strokes are wider than that, and the margin below covers the rest. */
const STRIDE = 2;

/**
 * The part of an upright page that holds writing, with a margin of `marginFraction` of the long
 * side around it; null when the page shows no ink at all. Errs on the side of more: any dark mark
 * inside the edge band counts, however far from the text, and the margin reaches past the band,
 * so writing that runs into the edge band is kept.
 */
export function writingBox(image: GrayImage, marginFraction: number): Rect | null {
  const threshold = paperLevel(image) * INK_RATIO;
  const mx = Math.round(image.width * EDGE_BAND);
  const my = Math.round(image.height * EDGE_BAND);
  let left = image.width;
  let right = -1;
  let top = image.height;
  let bottom = -1;
  for (let y = my; y < image.height - my; y += STRIDE) {
    const row = y * image.width;
    let first = -1;
    let last = -1;
    for (let x = mx; x < image.width - mx; x += STRIDE) {
      if (image.data[row + x]! < threshold) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (first < left) left = first;
    if (last > right) right = last;
    if (y < top) top = y;
    bottom = y;
  }
  if (right < 0) return null;
  const margin = Math.round(Math.max(image.width, image.height) * marginFraction) + STRIDE;
  const x0 = Math.max(0, left - margin);
  const y0 = Math.max(0, top - margin);
  const x1 = Math.min(image.width, right + 1 + margin);
  const y1 = Math.min(image.height, bottom + 1 + margin);
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
}

/** The paper's brightness: the 90th percentile of the page, which is mostly paper. */
function paperLevel(image: GrayImage): number {
  const counts = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < image.data.length; i += 7) {
    counts[image.data[i]!]!++;
    n++;
  }
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v]!;
    if (seen >= n * 0.9) return v;
  }
  return 255;
}

export function intersect(a: Rect, b: Rect): Rect | null {
  const left = Math.max(a.left, b.left);
  const top = Math.max(a.top, b.top);
  const right = Math.min(a.left + a.width, b.left + b.width);
  const bottom = Math.min(a.top + a.height, b.top + b.height);
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}
