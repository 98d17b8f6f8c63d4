/**
 * Plane-to-plane perspective maps (homographies) and a warp of our GrayImage by one: what
 * flattens a page photographed at an angle. Plain arithmetic, no image library (sharp has no
 * perspective warp); beside crop(), the other hand-made operation on our GrayImage.
 */
import type { GrayImage } from '../../ports/image.js';

export interface Point {
  x: number;
  y: number;
}

/** A 3×3 matrix, row by row, mapping (x, y, 1) to (X, Y, W); the point is (X/W, Y/W). */
export type Homography = [number, number, number, number, number, number, number, number, number];

/** The homography taking each of four points `from` onto the matching point of `to`. */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  if (from.length !== 4 || to.length !== 4) throw new Error('a homography needs four point pairs');
  // Eight equations in h0..h7 (h8 = 1), solved by Gaussian elimination with partial pivoting.
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new Error('degenerate quadrilateral');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const row = a[col]!;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / row[col]!;
      if (f === 0) continue;
      for (let c = col; c < 9; c++) a[r]![c]! -= f * row[c]!;
    }
  }
  const h = a.map((row, i) => row[8]! / row[i]!);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

/**
 * The quadrilateral `corners` of `image` (top left, top right, bottom right, bottom left) drawn
 * onto an upright rectangle of `width` × `height`: each output pixel looks up where it falls in
 * the image and samples it bilinearly. Outside the image is white.
 */
export function warpQuad(image: GrayImage, corners: readonly Point[], width: number, height: number): GrayImage {
  const toImage = homography(
    [
      { x: 0, y: 0 },
      { x: width, y: 0 },
      { x: width, y: height },
      { x: 0, y: height },
    ],
    corners,
  );
  const out = Buffer.allocUnsafe(width * height);
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = toImage;
  const src = image.data;
  const iw = image.width;
  const ih = image.height;
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    // Along a row the numerators and the denominator change linearly.
    let X = h0 * 0.5 + h1 * cy + h2;
    let Y = h3 * 0.5 + h4 * cy + h5;
    let W = h6 * 0.5 + h7 * cy + h8;
    let at = y * width;
    for (let x = 0; x < width; x++, at++) {
      const fx = X / W - 0.5;
      const fy = Y / W - 0.5;
      X += h0;
      Y += h3;
      W += h6;
      if (fx < -0.5 || fy < -0.5 || fx > iw - 0.5 || fy > ih - 0.5) {
        out[at] = 255;
        continue;
      }
      const x0 = fx <= 0 ? 0 : Math.floor(fx);
      const y0 = fy <= 0 ? 0 : Math.floor(fy);
      const x1 = x0 + 1 < iw ? x0 + 1 : x0;
      const y1 = y0 + 1 < ih ? y0 + 1 : y0;
      const ax = fx <= 0 ? 0 : fx - x0 > 1 ? 1 : fx - x0;
      const ay = fy <= 0 ? 0 : fy - y0 > 1 ? 1 : fy - y0;
      const r0 = y0 * iw;
      const r1 = y1 * iw;
      const top = src[r0 + x0]! + (src[r0 + x1]! - src[r0 + x0]!) * ax;
      const bottom = src[r1 + x0]! + (src[r1 + x1]! - src[r1 + x0]!) * ax;
      out[at] = Math.round(top + (bottom - top) * ay);
    }
  }
  return { data: out, width, height };
}
