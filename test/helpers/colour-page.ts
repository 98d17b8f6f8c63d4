import { renderPdfPageColour } from '../../src/adapters/pdfjs/render-pages.js';

export interface ColourPage {
  width: number;
  height: number;
  /** Pixels per millimetre of the page. */
  scale: number;
  rgba: Uint8ClampedArray;
}

/** Page `n` (from 1) of a PDF in colour, `pxPerMm` pixels to the millimetre, as pdf.js draws it. */
export async function renderColour(pdf: Buffer, n: number, pxPerMm: number): Promise<ColourPage> {
  const { width, height, rgba } = await renderPdfPageColour(pdf, n, (pxPerMm * 25.4) / 72);
  return { width, height, scale: pxPerMm, rgba };
}

/** Red as printed ink (the issuer mark and rules), not black and not the paper. */
export const isRed = (p: ColourPage, x: number, y: number) => {
  const i = (y * p.width + x) * 4;
  return p.rgba[i]! > 150 && p.rgba[i + 1]! < 110 && p.rgba[i + 2]! < 110;
};

/** Dark ink of any colour: text, table rules, the QR code. */
export const isInk = (p: ColourPage, x: number, y: number) => {
  const i = (y * p.width + x) * 4;
  return p.rgba[i]! < 128 && p.rgba[i + 1]! < 128 && p.rgba[i + 2]! < 128;
};

/** Runs of consecutive rows [from, to] (inclusive, in pixels) for which `hit` holds. */
export function rowRuns(p: ColourPage, hit: (y: number) => boolean, from = 0, to = p.height - 1): [number, number][] {
  const runs: [number, number][] = [];
  for (let y = from; y <= to; y++) {
    if (!hit(y)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === y - 1) last[1] = y;
    else runs.push([y, y]);
  }
  return runs;
}

/** How many pixels of row y between columns x0 and x1 satisfy `test`, and the first and last of them. */
export function rowSpan(p: ColourPage, y: number, test: (p: ColourPage, x: number, y: number) => boolean, x0 = 0, x1 = p.width - 1): { count: number; first: number; last: number } {
  let count = 0;
  let first = -1;
  let last = -1;
  for (let x = x0; x <= x1; x++) {
    if (!test(p, x, y)) continue;
    count++;
    if (first < 0) first = x;
    last = x;
  }
  return { count, first, last };
}
