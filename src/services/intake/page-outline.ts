/**
 * Finding the sheet of paper in a phone photo (the table, cloth or floor around it left out) and
 * flattening it: the page's four corners are found on a small copy with the ink wiped out, and the
 * quadrilateral they make is warped onto an upright rectangle, so a page photographed at an angle
 * reads and keeps like a flat scan. A scan whose paper fills the picture is left as it is.
 */
import { resizeLongSide } from '../../adapters/sharp/image.js';
import type { GrayImage } from '../../ports/image.js';
import { warpQuad, type Point } from '../../adapters/sharp/homography.js';

const OUTLINE_LONG_SIDE = 320;
/** Ink strokes at the small size are a pixel or two wide: a max filter of this radius wipes them (sharp's erode works on masks, not gray). */
const WIPE_RADIUS = 2;
/**
 * The paper's edge is a step in brightness of a fifth or more over a pixel or two; a soft shadow, a
 * fold or uneven light changes it by a few per cent between neighbours. A sharp shadow stops the
 * growing too, but the sheet's outline is taken from the hull of what was reached, so a shadow
 * inside the sheet costs nothing unless it covers a corner.
 */
const EDGE_STEP = 0.05;

export interface PageOutline {
  /** Top left, top right, bottom right, bottom left, in the pixels of the image searched. */
  corners: Point[];
  /** Size of the flattened page, in those pixels. */
  width: number;
  height: number;
}

/**
 * The outline of the paper in a photo, or null when there is nothing to cut away (the paper fills
 * the picture, as on a scanner) or no clear sheet was found (then the picture is read whole, as before).
 */
export async function findPageOutline(image: GrayImage): Promise<PageOutline | null> {
  const small = maxFilter(await resizeLongSide(image, OUTLINE_LONG_SIDE), WIPE_RADIUS);
  const region = paperRegion(small);
  if (!region) return null;
  const quad = quadrilateral(region.hull);
  if (!quad) return null;
  const quadArea = polygonArea(quad);
  // The region must be the quadrilateral, filled: not a blob that leaked into the table.
  if (quadArea < small.width * small.height * 0.12 || region.area / quadArea < 0.88 || region.area / quadArea > 1.12) return null;
  if (!isConvex(quad) || !isPageShaped(quad)) return null;
  // The max filter grew the paper by its radius: step back inside by as much.
  const inner = shrink(quad, WIPE_RADIUS + 0.5);
  const sx = image.width / small.width;
  const sy = image.height / small.height;
  const corners = inner.map((p) => ({ x: p.x * sx, y: p.y * sy }));
  const top = distance(corners[0]!, corners[1]!);
  const bottom = distance(corners[3]!, corners[2]!);
  const left = distance(corners[0]!, corners[3]!);
  const right = distance(corners[1]!, corners[2]!);
  const width = Math.round((top + bottom) / 2);
  const height = Math.round((left + right) / 2);
  if (width < 32 || height < 32) return null;
  return { corners, width, height };
}

/** The page inside `outline`, flattened, at `scale` times the size the outline was found at. */
export function flattenPage(image: GrayImage, outline: PageOutline, scale = 1): GrayImage {
  const corners = outline.corners.map((p) => ({ x: p.x * scale, y: p.y * scale }));
  return warpQuad(image, corners, Math.max(1, Math.round(outline.width * scale)), Math.max(1, Math.round(outline.height * scale)));
}

/** Each pixel the brightest within `radius` of it (rows, then columns): dark strokes thinner than the window vanish. */
function maxFilter(image: GrayImage, radius: number): GrayImage {
  const { width: w, height: h } = image;
  const pass = (src: Buffer, along: number, lineStep: number, length: number, lines: number) => {
    const out = Buffer.allocUnsafe(src.length);
    for (let line = 0; line < lines; line++) {
      const base = line * lineStep;
      for (let i = 0; i < length; i++) {
        let m = 0;
        const from = Math.max(0, i - radius);
        const to = Math.min(length - 1, i + radius);
        for (let k = from; k <= to; k++) {
          const v = src[base + k * along]!;
          if (v > m) m = v;
        }
        out[base + i * along] = m;
      }
    }
    return out;
  };
  const rows = pass(image.data, 1, w, w, h);
  return { data: pass(rows, w, 1, h, w), width: w, height: h };
}

interface Region {
  area: number;
  hull: Point[];
}

/**
 * The paper: grown from the bright middle of the picture over neighbours that differ from each
 * other by less than an edge step. Null when it reaches the picture's edges all round (the paper
 * fills the picture) or stays small.
 */
function paperRegion(img: GrayImage): Region | null {
  const { width: w, height: h, data } = img;
  const seed = brightCentre(img);
  if (seed < 0) return null;
  const inside = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let top = 0;
  stack[top++] = seed;
  inside[seed] = 1;
  let area = 0;
  while (top > 0) {
    const at = stack[--top]!;
    area++;
    const x = at % w;
    const v = data[at]!;
    // A neighbour joins when it and the pixel beyond it are both near this one: an edge blurred
    // over two pixels is still an edge, while light and shadow change far more slowly.
    const tryAdd = (n: number, beyond: number) => {
      if (inside[n]) return;
      const u = data[n]!;
      if (Math.abs(u - v) > EDGE_STEP * Math.max(u, v, 24)) return;
      if (beyond >= 0) {
        const b = data[beyond]!;
        if (Math.abs(b - v) > EDGE_STEP * 1.4 * Math.max(b, v, 24)) return;
      }
      inside[n] = 1;
      stack[top++] = n;
    };
    if (x > 0) tryAdd(at - 1, x > 1 ? at - 2 : -1);
    if (x < w - 1) tryAdd(at + 1, x < w - 2 ? at + 2 : -1);
    if (at >= w) tryAdd(at - w, at >= 2 * w ? at - 2 * w : -1);
    if (at < w * (h - 1)) tryAdd(at + w, at < w * (h - 2) ? at + 2 * w : -1);
  }
  if (area < w * h * 0.12) return null;
  // Paper reaching most of the picture's border: a scan, or a photo taken too close to cut anything.
  let border = 0;
  for (let x = 0; x < w; x++) border += inside[x]! + inside[(h - 1) * w + x]!;
  for (let y = 1; y < h - 1; y++) border += inside[y * w]! + inside[y * w + w - 1]!;
  if (border > (2 * (w + h) - 4) * 0.6) return null;
  // A sheet on a table stands out from it: a region no lighter than what lies around it is a part
  // of the page itself (a band of another shade on a scan), and there is nothing to cut away.
  let inSum = 0;
  let outSum = 0;
  for (let i = 0; i < w * h; i++) {
    if (inside[i]) inSum += data[i]!;
    else outSum += data[i]!;
  }
  if (outSum / (w * h - area) > (inSum / area) * 0.88) return null;
  const points: Point[] = [];
  for (let y = 0; y < h; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (inside[y * w + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) {
      points.push({ x: first, y: y + 0.5 }, { x: last + 1, y: y + 0.5 });
    }
  }
  // Rows count from pixel edges: add the top and bottom edges of the first and last rows.
  const hull = convexHull(points.flatMap((p, i) => (i < 2 || i >= points.length - 2 ? [{ x: p.x, y: p.y - 0.5 }, { x: p.x, y: p.y + 0.5 }] : [p])));
  return { area, hull };
}

/** The brightest spot near the middle, where the paper almost always is; -1 when the middle is dark. */
function brightCentre(img: GrayImage): number {
  const { width: w, height: h, data } = img;
  let best = -1;
  let bestV = -1;
  for (let y = Math.floor(h * 0.35); y < Math.ceil(h * 0.65); y++) {
    for (let x = Math.floor(w * 0.35); x < Math.ceil(w * 0.65); x++) {
      const v = data[y * w + x]!;
      if (v > bestV) {
        bestV = v;
        best = y * w + x;
      }
    }
  }
  return bestV < 40 ? -1 : best;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Andrew's monotone chain; the hull clockwise in image coordinates (y down) from the top left. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Four corners from the hull: vertices are dropped one at a time, the one whose triangle with its
 * neighbours is smallest first, until four remain; they are then put in order from the top left.
 */
function quadrilateral(hull: Point[]): Point[] | null {
  if (hull.length < 4) return null;
  const poly = [...hull];
  while (poly.length > 4) {
    let smallest = 0;
    let smallestArea = Infinity;
    for (let i = 0; i < poly.length; i++) {
      const a = poly[(i + poly.length - 1) % poly.length]!;
      const b = poly[i]!;
      const c = poly[(i + 1) % poly.length]!;
      const area = Math.abs(cross(a, b, c));
      if (area < smallestArea) {
        smallestArea = area;
        smallest = i;
      }
    }
    poly.splice(smallest, 1);
  }
  // In image coordinates: the corner with the smallest x + y is the top left; then clockwise on screen.
  const cx = poly.reduce((s, p) => s + p.x, 0) / 4;
  const cy = poly.reduce((s, p) => s + p.y, 0) / 4;
  poly.sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  let start = 0;
  for (let i = 1; i < 4; i++) if (poly[i]!.x + poly[i]!.y < poly[start]!.x + poly[start]!.y) start = i;
  return [0, 1, 2, 3].map((k) => poly[(start + k) % 4]!);
}

function polygonArea(poly: Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    s += a.x * b.y - b.x * a.y;
  }
  return Math.abs(s) / 2;
}

function isConvex(poly: Point[]): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const c = cross(poly[i]!, poly[(i + 1) % poly.length]!, poly[(i + 2) % poly.length]!);
    if (c === 0) return false;
    if (sign === 0) sign = Math.sign(c);
    else if (Math.sign(c) !== sign) return false;
  }
  return true;
}

/** A sheet seen at an angle: corners between 55° and 125°, opposite sides within a factor of 1.6. */
function isPageShaped(quad: Point[]): boolean {
  for (let i = 0; i < 4; i++) {
    const a = quad[(i + 3) % 4]!;
    const b = quad[i]!;
    const c = quad[(i + 1) % 4]!;
    const cos = ((a.x - b.x) * (c.x - b.x) + (a.y - b.y) * (c.y - b.y)) / (distance(a, b) * distance(c, b));
    if (Math.abs(cos) > Math.cos((55 * Math.PI) / 180)) return false;
  }
  const sides = [0, 1, 2, 3].map((i) => distance(quad[i]!, quad[(i + 1) % 4]!));
  return Math.max(sides[0]!, sides[2]!) / Math.min(sides[0]!, sides[2]!) < 1.6 && Math.max(sides[1]!, sides[3]!) / Math.min(sides[1]!, sides[3]!) < 1.6;
}

/** Each corner moved inwards so every side moves in by `by`. */
function shrink(quad: Point[], by: number): Point[] {
  const cx = quad.reduce((s, p) => s + p.x, 0) / 4;
  const cy = quad.reduce((s, p) => s + p.y, 0) / 4;
  return quad.map((p) => {
    const d = Math.hypot(p.x - cx, p.y - cy);
    const k = d > 0 ? Math.max(0, d - by * Math.SQRT2) / d : 1;
    return { x: cx + (p.x - cx) * k, y: cy + (p.y - cy) * k };
  });
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
