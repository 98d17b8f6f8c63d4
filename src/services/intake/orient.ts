import { INK_RATIO, isEvenlyLit, MIN_TURN_DEGREES, paperLight, resizeLongSide, rotate } from '../../adapters/sharp/image.js';
import type { GrayImage } from '../../ports/image.js';

export interface PageGeometry {
  /** Quarter turns clockwise that make the text lines horizontal (0 or 1; 180° is settled by OCR). */
  quarterTurns: 0 | 1;
  /** Degrees clockwise to turn the page so its lines are level. */
  deskew: number;
  /** The paper is lit evenly (a flatbed scan), so its light need not be evened out before reading. */
  evenlyLit: boolean;
}

const ANALYSIS_LONG_SIDE = 640;

/**
 * Finds how a page lies from the shape of its ink: rows of text give a row profile with sharp
 * peaks and gaps when the page is level. Works for any script and costs a few milliseconds.
 */
export async function findGeometry(page: GrayImage, maxSkewDegrees: number, quarterTurns?: 0 | 1): Promise<PageGeometry> {
  const small = await resizeLongSide(page, ANALYSIS_LONG_SIDE);
  // Phone photos are shaded: compare each pixel with the paper around it, not with one threshold.
  const paper = await paperLight(small);
  const evenlyLit = isEvenlyLit(paper);
  const ink = inkPoints(small, paper);
  if (ink.xs.length < 200) return { quarterTurns: quarterTurns ?? 0, deskew: 0, evenlyLit };
  // Told which way the lines run (the text detector saw them), only the levelling is looked for.
  const level = quarterTurns === 1 ? { angle: 0, score: -Infinity } : bestAngle(ink.xs, ink.ys, maxSkewDegrees);
  const turned = quarterTurns === 0 ? { angle: 0, score: -Infinity } : bestAngle(ink.ys, ink.xs, maxSkewDegrees);
  // Characters on a grid also make columns; lines of text must win clearly before we turn a page.
  if (quarterTurns === 1 || (quarterTurns === undefined && turned.score > level.score * 1.3)) {
    // Transposing mirrors the page, so the angle found there keeps its sign after a quarter turn.
    return { quarterTurns: 1, deskew: turned.angle, evenlyLit };
  }
  return { quarterTurns: 0, deskew: -level.angle, evenlyLit };
}

export async function applyGeometry(page: GrayImage, geometry: PageGeometry): Promise<GrayImage> {
  return rotate(page, geometry.quarterTurns, geometry.deskew);
}

/** The levelling actually applied: angles too small to matter are left alone (see rotate). */
export function appliedSkew(geometry: PageGeometry): number {
  return Math.abs(geometry.deskew) >= MIN_TURN_DEGREES ? geometry.deskew : 0;
}

interface Ink {
  xs: Float32Array;
  ys: Float32Array;
}

function inkPoints(image: GrayImage, paper: GrayImage): Ink {
  const xs: number[] = [];
  const ys: number[] = [];
  // Ignore a margin: scanner edges and shadows are not text.
  const mx = Math.round(image.width * 0.03);
  const my = Math.round(image.height * 0.03);
  for (let y = my; y < image.height - my; y++) {
    const row = y * image.width;
    for (let x = mx; x < image.width - mx; x++) {
      if (image.data[row + x]! < paper.data[row + x]! * INK_RATIO) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  // A photo of a page can be mostly dark: keep at most ~50k points for speed.
  const stride = Math.max(1, Math.floor(xs.length / 50_000));
  const n = Math.floor(xs.length / stride);
  const sx = new Float32Array(n);
  const sy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    sx[i] = xs[i * stride]!;
    sy[i] = ys[i * stride]!;
  }
  return { xs: sx, ys: sy };
}

/** The angle (degrees) at which rows of ink are sharpest, and how sharp they are. */
function bestAngle(xs: Float32Array, ys: Float32Array, maxDegrees: number): { angle: number; score: number } {
  let best = { angle: 0, score: profileScore(xs, ys, 0) };
  const search = (from: number, to: number, step: number) => {
    for (let a = from; a <= to + 1e-9; a += step) {
      const score = profileScore(xs, ys, a);
      if (score > best.score) best = { angle: a, score };
    }
  };
  search(-maxDegrees, maxDegrees, 0.5);
  const coarse = best.angle;
  search(coarse - 0.5, coarse + 0.5, 0.1);
  return { angle: Math.round(best.angle * 10) / 10, score: best.score };
}

function profileScore(xs: Float32Array, ys: Float32Array, degrees: number): number {
  const rad = (degrees * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  let min = Infinity;
  let max = -Infinity;
  const proj = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = Math.round(ys[i]! * cos - xs[i]! * sin);
    proj[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const bins = new Float64Array(max - min + 1);
  for (let i = 0; i < proj.length; i++) bins[proj[i]! - min]! += 1;
  // Squared coefficient of variation: high when the ink falls in bands with empty gaps between,
  // comparable between rows and columns whatever the page's proportions.
  let squares = 0;
  for (let i = 0; i < bins.length; i++) squares += bins[i]! * bins[i]!;
  return (bins.length * squares) / (xs.length * xs.length) - 1;
}
