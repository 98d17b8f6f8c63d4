import sharp, { type Sharp } from 'sharp';

/** One page as 8-bit grayscale pixels, one byte a pixel, row by row. */
export interface GrayImage {
  data: Buffer;
  width: number;
  height: number;
}

/** The project's narrow wrapper around sharp: every image operation we need and nothing else. */
export function fromGray(image: GrayImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

export async function toGray(pipeline: Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.grayscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

export async function resizeLongSide(image: GrayImage, longSide: number): Promise<GrayImage> {
  if (Math.max(image.width, image.height) <= longSide) return image;
  return toGray(fromGray(image).resize({ width: longSide, height: longSide, fit: 'inside', kernel: 'lanczos3' }));
}

/** Turns a page: first by a quarter-turn multiple, then by a small angle (degrees, clockwise). */
export async function rotate(image: GrayImage, quarterTurns: number, degrees: number): Promise<GrayImage> {
  let result = image;
  const turn = ((quarterTurns % 4) + 4) % 4;
  if (turn !== 0) result = await toGray(fromGray(result).rotate(turn * 90));
  if (Math.abs(degrees) >= 0.05) {
    result = await toGray(fromGray(result).rotate(degrees, { background: { r: 255, g: 255, b: 255 } }));
  }
  return result;
}

export async function encodeJpeg(image: GrayImage, quality: number): Promise<Buffer> {
  return fromGray(image).jpeg({ quality, mozjpeg: true }).toBuffer();
}

export async function encodePng(image: GrayImage): Promise<Buffer> {
  return fromGray(image).png().toBuffer();
}
