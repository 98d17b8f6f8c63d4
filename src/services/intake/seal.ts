/**
 * What is left of a red seal after red dropout. JPEG keeps colour at half resolution, so a seal's
 * ring characters keep gray fringes that the recogniser reads as short extra lines of high
 * confidence ("区居民", "宝"). A line lying on the seal's red with none of the dark strokes of
 * writing is that residue, not the letter: a date or signature under the seal keeps its black
 * strokes and stays.
 */
import type { GrayImage } from '../../ports/image.js';
import type { OcrLine } from '../../ports/ocr.js';

/** How much lighter the dropout made a pixel for it to count as seal ink. */
const RED_LIFT = 24;

/**
 * The page's seal ink as a picture: 0 where dropout lifted a pixel (red ink), paper-white
 * elsewhere, so it can be turned and levelled with the page (the padding is white: no seal).
 */
export function sealInk(gray: GrayImage, redDropped: GrayImage): GrayImage {
  const out = Buffer.allocUnsafe(gray.data.length);
  for (let i = 0; i < out.length; i++) out[i] = redDropped.data[i]! - gray.data[i]! >= RED_LIFT ? 0 : 255;
  return { data: out, width: gray.width, height: gray.height };
}

export interface LineInk {
  /** Share of the line's box that is seal ink. */
  seal: number;
  /** Share of the line's box in strokes as dark as written or printed ink. */
  dark: number;
}

/** Darker than this in the page read (after dropout) is ink of writing, not a seal's fringe. */
const DARK_INK = 110;

export function lineInk(line: OcrLine, upright: GrayImage, seal: GrayImage): LineInk {
  const [l, t, r, b] = line.box;
  const x0 = Math.max(0, Math.floor(l));
  const y0 = Math.max(0, Math.floor(t));
  const x1 = Math.min(upright.width, Math.ceil(r));
  const y1 = Math.min(upright.height, Math.ceil(b));
  let area = 0;
  let sealed = 0;
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * upright.width + x;
      area++;
      if (seal.data[i]! < 128) sealed++;
      if (upright.data[i]! < DARK_INK) dark++;
    }
  }
  return area === 0 ? { seal: 0, dark: 0 } : { seal: sealed / area, dark: dark / area };
}

/**
 * Residue lies on the seal (a fifth of its box or more is red ink; the ring's characters measured
 * 34–45 %) and has no dark stroke at all (writing measured 6–28 % of its box, residue 0).
 */
export function isSealResidue(ink: LineInk): boolean {
  return ink.seal >= 0.2 && ink.dark < 0.005;
}
