import sharp, { type Sharp } from 'sharp';
import type { GrayImage, KeptImage } from '../../ports/image.js';

/** The project's narrow wrapper around sharp: every image operation we need and nothing else. */
export function fromGray(image: GrayImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

/** An encoded image as a grayscale JPEG no larger than `longSide`, for printing and keeping. */
export async function compactGrayJpeg(bytes: Buffer, longSide: number, quality: number): Promise<KeptImage> {
  // grayscale() alone still writes three channels; the colour space makes it one, as DeviceGray says.
  const { data, info } = await sharp(bytes)
    .grayscale()
    .toColourspace('b-w')
    .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality, chromaSubsampling: '4:4:4', mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected a one-channel JPEG, got ${info.channels}`);
  return { jpeg: data, width: info.width, height: info.height };
}

/** An encoded image (JPEG, PNG…) as grayscale pixels. */
export function grayFromEncoded(bytes: Buffer): Promise<GrayImage> {
  return toGray(sharp(bytes));
}

export async function toGray(pipeline: Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.grayscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

export async function resizeLongSide(image: GrayImage, longSide: number): Promise<GrayImage> {
  if (Math.max(image.width, image.height) <= longSide) return image;
  return toGray(fromGray(image).resize({ width: longSide, height: longSide, fit: 'inside', kernel: 'linear' }));
}

/** Lines leaning less than this are read just as well; turning would only cost time and sharpness. */
export const MIN_TURN_DEGREES = 1;

/** Turns a page: first by a quarter-turn multiple, then by a small angle (degrees, clockwise). */
export async function rotate(image: GrayImage, quarterTurns: number, degrees: number): Promise<GrayImage> {
  let result = image;
  const turn = ((quarterTurns % 4) + 4) % 4;
  if (turn !== 0) result = await toGray(fromGray(result).rotate(turn * 90));
  if (Math.abs(degrees) >= MIN_TURN_DEGREES) {
    result = await toGray(fromGray(result).rotate(degrees, { background: { r: 255, g: 255, b: 255 } }));
  }
  return result;
}

/** A rectangle of a page, in its pixels. */
export function crop(image: GrayImage, left: number, top: number, width: number, height: number): GrayImage {
  const out = Buffer.allocUnsafe(width * height);
  for (let y = 0; y < height; y++) image.data.copy(out, y * width, (top + y) * image.width + left, (top + y) * image.width + left + width);
  return { data: out, width, height };
}

export async function encodeJpeg(image: GrayImage, quality: number): Promise<Buffer> {
  // Plain libjpeg: mozjpeg saves a few per cent of bytes at three times the time. The colour space
  // makes it a one-channel JPEG (sharp writes three otherwise): a quarter smaller, encoded in a
  // third of the time, and DeviceGray in the PDF.
  return fromGray(image).toColourspace('b-w').jpeg({ quality, chromaSubsampling: '4:4:4' }).toBuffer();
}

export async function encodePng(image: GrayImage): Promise<Buffer> {
  return fromGray(image).png().toBuffer();
}

/**
 * Evens out the light on a page (phone photos are bright in the middle, dark at the edges):
 * each pixel is divided by the paper's brightness around it, found by removing the ink
 * (sharp's erode grows the light, so it wipes out dark ink) and blurring.
 */
export async function flattenBackground(image: GrayImage): Promise<GrayImage> {
  // The paper's light changes slowly: estimate it on a small copy, then scale it back up.
  const paperSmall = await paperLight(await resizeLongSide(image, 400));
  const paper = await toGray(fromGray(paperSmall).resize(image.width, image.height, { kernel: 'linear' }));
  const out = Buffer.alloc(image.data.length);
  for (let i = 0; i < out.length; i++) {
    const background = Math.max(paper.data[i]!, 1);
    out[i] = Math.min(255, Math.round((image.data[i]! * 255) / background));
  }
  return { data: out, width: image.width, height: image.height };
}

/** A pixel is ink when it is this much darker than the paper around it. */
export const INK_RATIO = 0.7;

/** The brightness of the paper alone, ink wiped out; for a small image (a few hundred pixels). */
export async function paperLight(small: GrayImage): Promise<GrayImage> {
  const radius = Math.max(2, Math.round(Math.max(small.width, small.height) / 160));
  return toGray(fromGray(small).erode(radius).blur(radius * 2));
}

/** Paper within a tenth of its brightest everywhere but the outer margin: nothing to even out. */
export function isEvenlyLit(paper: GrayImage): boolean {
  const mx = Math.round(paper.width * 0.05);
  const my = Math.round(paper.height * 0.05);
  let min = 255;
  let max = 0;
  for (let y = my; y < paper.height - my; y++) {
    for (let x = mx; x < paper.width - mx; x++) {
      const v = paper.data[y * paper.width + x]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min >= max * 0.9;
}

/**
 * A clean page made to look scanned, for the demo and tests: turned by up to a degree and a half,
 * grey paper, speckle noise, a slight blur, saved as a scanner's JPEG. The seed picks the turn.
 */
export async function degradeLikeScan(image: GrayImage, seed: number): Promise<Buffer> {
  const turn = ((seed * 7919) % 300) / 100 - 1.5;
  const noise = Buffer.alloc(image.width * image.height);
  let x = seed * 2654435761;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = 128 + ((x >> 16) % 40) - 20;
  }
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .linear(0.9, 12)
    .composite([{ input: noise, raw: { width: image.width, height: image.height, channels: 1 }, blend: 'overlay' }])
    .blur(0.6)
    .rotate(turn, { background: { r: 235, g: 235, b: 235 } })
    .jpeg({ quality: 78 })
    .toBuffer();
}
