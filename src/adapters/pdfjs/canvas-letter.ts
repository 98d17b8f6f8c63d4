/**
 * (In this folder because @napi-rs/canvas, which it draws with, lives here: pdf.js renders on it.)
 *
 * Made-up phone photos of letters: a page (a sample scan, or a letter typeset or "handwritten"
 * here so its text is known), with stamps and folds, laid on a table or cloth, seen at an angle,
 * lit unevenly, shadowed by a hand, blurred, turned and compressed. Everything is drawn from a
 * seed, so the same recipe always makes the same photo.
 */
import { createCanvas, GlobalFonts, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import { defaultFaces, defaultSansFont } from '../fonts/font-files.js';
import type { GrayImage } from '../../ports/image.js';
import { applyHomography, homography, type Point } from '../sharp/homography.js';

export type Surround = 'wood' | 'dark' | 'cloth' | 'gray' | 'floral';
export type Shadow = 'none' | 'hand' | 'side' | 'corner';

export interface PhotoRecipe {
  /** Frame of the picture as taken upright (portrait), before any turn. */
  frame: { width: number; height: number };
  surround: Surround;
  /** Page height as a share of the frame height. */
  pageShare: number;
  /** Degrees the page lies turned on the table (small). */
  tilt: number;
  /** Perspective: how much narrower the far edge looks (0–0.3), and which edge is far. */
  keystone: number;
  farEdge: 'top' | 'bottom' | 'left' | 'right';
  shadow: Shadow;
  /** How strong the shadow is: the share of light it takes (0–0.7). */
  shadowDepth: number;
  /** Light falling off from one side, 0 for even light. */
  lightFalloff: number;
  folds: number;
  stamp: boolean;
  seed: number;
}

const FONT_SERIF = 'EvalSerif';
const FONT_SANS = 'EvalSans';
let fontsReady = false;
function registerFonts(): void {
  if (fontsReady) return;
  GlobalFonts.registerFromPath(defaultFaces().body, FONT_SERIF);
  GlobalFonts.registerFromPath(defaultSansFont(), FONT_SANS);
  fontsReady = true;
}

/** A small deterministic random source (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A page as RGBA pixels. */
export interface PagePixels {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface Writing {
  lines: string[];
  style: 'typed' | 'hand';
  /** Ruled letter paper (信纸) with red lines. */
  ruled?: boolean;
  /** Page size in pixels (about 150 dpi for A4 by default). */
  size?: { width: number; height: number };
  fontSize?: number;
  /** Line height as a multiple of the font size. */
  spacing?: number;
  margin?: number;
}

/** Lines of a letter wrapped to `perLine` characters; the first line of each paragraph indented by two. */
export function wrap(paragraphs: string[], perLine: number, indent: boolean): { lines: string[]; indents: boolean[] } {
  const lines: string[] = [];
  const indents: boolean[] = [];
  for (const p of paragraphs) {
    const chars = [...p];
    let first = true;
    while (chars.length) {
      const room = first && indent ? perLine - 2 : perLine;
      lines.push(chars.splice(0, room).join(''));
      indents.push(first && indent);
      first = false;
    }
  }
  return { lines, indents };
}

/** Draws lines of writing on white paper: typeset, or each character jittered as a hand writes. */
export function writePage(writing: Writing, seed: number): PagePixels {
  registerFonts();
  const width = writing.size?.width ?? 1240;
  const height = writing.size?.height ?? 1754;
  const fontSize = writing.fontSize ?? 34;
  const spacing = writing.spacing ?? 1.8;
  const margin = writing.margin ?? 150;
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  const rnd = random(seed);
  g.fillStyle = '#fbfaf6';
  g.fillRect(0, 0, width, height);
  const lineHeight = fontSize * spacing;
  if (writing.ruled) {
    g.strokeStyle = 'rgba(205, 60, 50, 0.55)';
    g.lineWidth = 2;
    for (let y = margin + lineHeight * 0.25; y < height - margin * 0.6; y += lineHeight) {
      g.beginPath();
      g.moveTo(margin * 0.6, y);
      g.lineTo(width - margin * 0.6, y);
      g.stroke();
    }
  }
  const hand = writing.style === 'hand';
  g.fillStyle = hand ? '#1d2a5a' : '#161616';
  g.textBaseline = 'alphabetic';
  let y = margin;
  for (const line of writing.lines) {
    const indent = line.startsWith('　　');
    const text = line.replace(/^　+/, '');
    let x = margin + (indent ? fontSize * 2 : 0);
    if (!hand) {
      g.font = `${fontSize}px ${FONT_SERIF}`;
      g.fillText(text, x, y);
    } else {
      // A hand: sizes, slants and spacing wander; the line drifts off the level a little.
      let drift = 0;
      const slope = (rnd() - 0.5) * 0.02;
      for (const ch of text) {
        const size = fontSize * (0.9 + rnd() * 0.22);
        drift += (rnd() - 0.5) * 1.2;
        g.save();
        g.translate(x, y + drift + slope * (x - margin) + (rnd() - 0.5) * fontSize * 0.08);
        g.rotate(((rnd() - 0.5) * 7 * Math.PI) / 180);
        g.transform(1, 0, -0.08 - rnd() * 0.08, 1, 0, 0);
        g.font = `${Math.round(size)}px ${rnd() < 0.5 ? FONT_SANS : FONT_SERIF}`;
        g.fillText(ch, 0, 0);
        const advance = g.measureText(ch).width;
        g.restore();
        x += (advance || size * 0.5) * (0.92 + rnd() * 0.14);
      }
    }
    y += lineHeight;
  }
  const data = g.getImageData(0, 0, width, height);
  return { rgba: data.data, width, height };
}

/** A scanned page (gray) as paper-coloured RGBA. */
export function pageFromScan(scan: GrayImage): PagePixels {
  const rgba = new Uint8ClampedArray(scan.width * scan.height * 4);
  for (let i = 0; i < scan.data.length; i++) {
    const v = scan.data[i]!;
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = (v * 0.985) | 0;
    rgba[i * 4 + 2] = (v * 0.955) | 0;
    rgba[i * 4 + 3] = 255;
  }
  return { rgba, width: scan.width, height: scan.height };
}

/** A red round seal pressed over the lower part of the writing. */
export async function stampPage(page: PagePixels, seed: number, text = '八宝社区居民委员会'): Promise<void> {
  registerFonts();
  const rnd = random(seed + 17);
  const canvas = createCanvas(page.width, page.height);
  const g = canvas.getContext('2d');
  g.drawImage(await loadImage(await encodePngRgba(page)), 0, 0);
  const r = page.width * 0.11;
  const cx = page.width * (0.55 + rnd() * 0.15);
  const cy = page.height * (0.5 + rnd() * 0.15);
  g.globalCompositeOperation = 'multiply';
  g.strokeStyle = 'rgba(214, 38, 38, 0.85)';
  g.fillStyle = 'rgba(214, 38, 38, 0.85)';
  g.lineWidth = r * 0.07;
  g.beginPath();
  g.arc(cx, cy, r, 0, Math.PI * 2);
  g.stroke();
  drawStar(g, cx, cy, r * 0.28);
  g.font = `${Math.round(r * 0.24)}px ${FONT_SANS}`;
  const chars = [...text];
  const span = Math.PI * 1.25;
  chars.forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    g.save();
    g.translate(cx + Math.cos(a) * r * 0.72, cy + Math.sin(a) * r * 0.72);
    g.rotate(a + Math.PI / 2);
    g.fillText(ch, -r * 0.12, r * 0.09);
    g.restore();
  });
  page.rgba.set(g.getImageData(0, 0, page.width, page.height).data);
}

function drawStar(g: SKRSContext2D, cx: number, cy: number, r: number): void {
  g.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.4;
    g[i === 0 ? 'moveTo' : 'lineTo'](cx + Math.cos(a) * rr, cy + Math.sin(a) * rr);
  }
  g.closePath();
  g.fill();
}

async function encodePngRgba(page: PagePixels): Promise<Buffer> {
  const canvas = createCanvas(page.width, page.height);
  const g = canvas.getContext('2d');
  const data = g.createImageData(page.width, page.height);
  data.data.set(page.rgba);
  g.putImageData(data, 0, 0);
  return canvas.toBuffer('image/png');
}

/** Folds of a letter folded in three (or two): a crease line, and each panel lit a little differently. */
export function foldPage(page: PagePixels, folds: number, seed: number): void {
  const rnd = random(seed + 29);
  const cuts = Array.from({ length: folds }, (_, i) => Math.round((page.height * (i + 1)) / (folds + 1) + (rnd() - 0.5) * page.height * 0.03));
  const lean = (rnd() - 0.5) * 0.02;
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++) {
      let panel = 0;
      let near = Infinity;
      for (const c of cuts) {
        const at = c + lean * (x - page.width / 2);
        if (y > at) panel++;
        near = Math.min(near, Math.abs(y - at));
      }
      let f = panel % 2 === 1 ? 0.93 : 1;
      if (near < 6) f *= 0.78 + 0.22 * (near / 6);
      else if (near < 10) f *= 1.03;
      if (f === 1) continue;
      const i = (y * page.width + x) * 4;
      page.rgba[i] = page.rgba[i]! * f;
      page.rgba[i + 1] = page.rgba[i + 1]! * f;
      page.rgba[i + 2] = page.rgba[i + 2]! * f;
    }
  }
}

/** Smooth value noise in [0, 1]. */
function noise2(seed: number): (x: number, y: number) => number {
  const hash = (x: number, y: number) => {
    let h = (x * 374761393 + y * 668265263 + seed * 2147483647) | 0;
    h = Math.imul(h ^ (h >>> 13), 1274126177);
    return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  };
  return (x, y) => {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const sx = fx * fx * (3 - 2 * fx);
    const sy = fy * fy * (3 - 2 * fy);
    const a = hash(x0, y0) + (hash(x0 + 1, y0) - hash(x0, y0)) * sx;
    const b = hash(x0, y0 + 1) + (hash(x0 + 1, y0 + 1) - hash(x0, y0 + 1)) * sx;
    return a + (b - a) * sy;
  };
}

/** The table or cloth under the page, at one pixel. */
function surroundAt(kind: Surround, seed: number): (x: number, y: number) => [number, number, number] {
  const n = noise2(seed);
  const fine = noise2(seed + 1);
  switch (kind) {
    case 'wood':
      return (x, y) => {
        const plank = Math.floor(x / 260);
        const t = y * 0.045 + 4 * n(x / 120 + plank * 7, y / 400) + plank * 3.1;
        const grain = 0.5 + 0.5 * Math.sin(t + 2 * Math.sin(t * 0.31));
        const seam = x % 260 < 3 ? 0.55 : 1;
        const k = (0.72 + 0.3 * grain + 0.08 * fine(x / 3, y / 3)) * seam;
        return [168 * k, 112 * k, 66 * k];
      };
    case 'dark':
      return (x, y) => {
        const k = 0.85 + 0.15 * n(x / 300, y / 300) + 0.05 * fine(x / 2, y / 2);
        return [44 * k, 40 * k, 38 * k];
      };
    case 'gray':
      return (x, y) => {
        const k = 0.9 + 0.1 * n(x / 200, y / 200) + 0.04 * fine(x / 2, y / 2);
        return [176 * k, 174 * k, 168 * k];
      };
    case 'cloth':
      return (x, y) => {
        // Gingham: red and white bands each way, their crossings darkest, a fine weave over all.
        const bx = Math.floor(x / 34) % 2;
        const by = Math.floor(y / 34) % 2;
        const red = bx + by;
        const weave = 0.92 + 0.08 * ((x + y) % 3 === 0 ? 1 : 0) + 0.04 * fine(x / 2, y / 2);
        const c: [number, number, number] = red === 0 ? [236, 232, 226] : red === 1 ? [214, 120, 118] : [178, 48, 52];
        return [c[0] * weave, c[1] * weave, c[2] * weave];
      };
    case 'floral':
      return (x, y) => {
        const u = Math.sin(x / 23) * Math.cos(y / 19) + 0.6 * Math.sin((x + y) / 41);
        const petal = u > 0.7 ? 1 : 0;
        const k = 0.9 + 0.1 * fine(x / 2, y / 2);
        return petal ? [60 * k, 90 * k, 160 * k] : [205 * k, 196 * k, 160 * k];
      };
  }
}

/** Where the four corners of the page fall in the frame: top left, top right, bottom right, bottom left. */
export function pageCorners(recipe: PhotoRecipe, pageAspect: number, rnd: () => number): Point[] {
  const { width: W, height: H } = recipe.frame;
  const ph = recipe.pageShare * H;
  const pw = Math.min(ph / pageAspect, W * 0.97);
  const h = pw * pageAspect;
  const cx = W / 2 + (rnd() - 0.5) * (W - pw) * 0.4;
  const cy = H / 2 + (rnd() - 0.5) * (H - h) * 0.4;
  const k = recipe.keystone;
  let corners: Point[] = [
    { x: -pw / 2, y: -h / 2 },
    { x: pw / 2, y: -h / 2 },
    { x: pw / 2, y: h / 2 },
    { x: -pw / 2, y: h / 2 },
  ];
  // The far edge looks shorter and nearer the middle.
  corners = corners.map((p) => {
    const far = recipe.farEdge;
    if (far === 'top' && p.y < 0) return { x: p.x * (1 - k), y: p.y * (1 - k * 0.3) };
    if (far === 'bottom' && p.y > 0) return { x: p.x * (1 - k), y: p.y * (1 - k * 0.3) };
    if (far === 'left' && p.x < 0) return { x: p.x * (1 - k * 0.3), y: p.y * (1 - k) };
    if (far === 'right' && p.x > 0) return { x: p.x * (1 - k * 0.3), y: p.y * (1 - k) };
    return p;
  });
  const a = (recipe.tilt * Math.PI) / 180;
  return corners.map((p) => ({
    x: cx + p.x * Math.cos(a) - p.y * Math.sin(a) + (rnd() - 0.5) * pw * 0.015,
    y: cy + p.x * Math.sin(a) + p.y * Math.cos(a) + (rnd() - 0.5) * pw * 0.015,
  }));
}

/** How much light reaches each pixel of the frame: falloff, vignette, and the shadow. */
function lightAt(recipe: PhotoRecipe, rnd: () => number): (x: number, y: number) => number {
  const { width: W, height: H } = recipe.frame;
  const angle = rnd() * Math.PI * 2;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const diag = Math.hypot(W, H);
  const soft = diag * (0.02 + rnd() * 0.02);
  const depth = recipe.shadowDepth;
  // A hand and forearm: a round palm over the page and an arm reaching out past the frame's edge.
  const palm = { x: W * (0.3 + rnd() * 0.4), y: H * (0.35 + rnd() * 0.3), r: W * (0.16 + rnd() * 0.06) };
  const side = rnd() < 0.5 ? -1 : 1;
  const elbow = { x: palm.x + side * W * 0.9, y: palm.y + H * (0.3 + rnd() * 0.3) };
  const armR = palm.r * 0.7;
  const cornerAt = { x: rnd() < 0.5 ? 0 : W, y: rnd() < 0.5 ? 0 : H };
  const smooth = (d: number) => (d <= -soft ? 1 : d >= soft ? 0 : 0.5 - (0.5 * d) / soft);
  const distToSegment = (x: number, y: number, a: Point, b: Point) => {
    const vx = b.x - a.x;
    const vy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((x - a.x) * vx + (y - a.y) * vy) / (vx * vx + vy * vy)));
    return Math.hypot(x - a.x - t * vx, y - a.y - t * vy);
  };
  return (x, y) => {
    const along = ((x - W / 2) * dx + (y - H / 2) * dy) / diag + 0.5;
    let light = 1 - recipe.lightFalloff * along;
    const r = Math.hypot(x - W / 2, y - H / 2) / (diag / 2);
    light *= 1 - 0.18 * r * r;
    let shade = 0;
    if (recipe.shadow === 'hand') {
      shade = Math.max(smooth(Math.hypot(x - palm.x, y - palm.y) - palm.r), smooth(distToSegment(x, y, palm, elbow) - armR));
    } else if (recipe.shadow === 'side') {
      // The phone's own shadow over one side of the page.
      shade = smooth((side < 0 ? x - W * 0.38 : W * 0.62 - x) * 1);
    } else if (recipe.shadow === 'corner') {
      shade = smooth(Math.hypot(x - cornerAt.x, y - cornerAt.y) - diag * 0.35);
    }
    return light * (1 - depth * shade);
  };
}

/** The photo as raw RGB: the page seen in perspective on its surround, lit, with sensor noise. */
export function photograph(page: PagePixels, recipe: PhotoRecipe): { rgb: Buffer; width: number; height: number; corners: Point[] } {
  const rnd = random(recipe.seed);
  const { width: W, height: H } = recipe.frame;
  const corners = pageCorners(recipe, page.height / page.width, rnd);
  const toPage = homography(corners, [
    { x: 0, y: 0 },
    { x: page.width, y: 0 },
    { x: page.width, y: page.height },
    { x: 0, y: page.height },
  ]);
  const surround = surroundAt(recipe.surround, recipe.seed);
  const light = lightAt(recipe, rnd);
  const grain = random(recipe.seed + 3);
  const rgb = Buffer.alloc(W * H * 3);
  const src = page.rgba;
  const pw = page.width;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = applyHomography(toPage, { x: x + 0.5, y: y + 0.5 });
      let c: [number, number, number];
      if (p.x >= 0 && p.y >= 0 && p.x < page.width - 1 && p.y < page.height - 1) {
        const x0 = Math.floor(p.x);
        const y0 = Math.floor(p.y);
        const ax = p.x - x0;
        const ay = p.y - y0;
        const at = (y0 * pw + x0) * 4;
        const below = at + pw * 4;
        c = [0, 0, 0];
        for (let k = 0; k < 3; k++) {
          const top = src[at + k]! + (src[at + 4 + k]! - src[at + k]!) * ax;
          const bottom = src[below + k]! + (src[below + 4 + k]! - src[below + k]!) * ax;
          c[k] = top + (bottom - top) * ay;
        }
      } else {
        c = surround(x, y);
      }
      const l = light(x, y);
      const noise = (grain() - 0.5) * 8;
      const o = (y * W + x) * 3;
      rgb[o] = clamp(c[0] * l + noise);
      rgb[o + 1] = clamp(c[1] * l + noise);
      rgb[o + 2] = clamp(c[2] * l + noise);
    }
  }
  return { rgb, width: W, height: H, corners };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A strip cut from a page (one line of writing), as RGB with a little noise: a screenshot or a cut-out. */
export function stripPixels(page: PagePixels, seed: number): { rgb: Buffer; width: number; height: number } {
  const grain = random(seed);
  const rgb = Buffer.alloc(page.width * page.height * 3);
  for (let i = 0; i < page.width * page.height; i++) {
    const n = (grain() - 0.5) * 10;
    rgb[i * 3] = clamp(page.rgba[i * 4]! * 0.97 + n);
    rgb[i * 3 + 1] = clamp(page.rgba[i * 4 + 1]! * 0.96 + n);
    rgb[i * 3 + 2] = clamp(page.rgba[i * 4 + 2]! * 0.93 + n);
  }
  return { rgb, width: page.width, height: page.height };
}
