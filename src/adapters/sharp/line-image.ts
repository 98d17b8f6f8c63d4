/** A line of a scanned page as a picture of its own, for a clerk to read beside its text. */
import sharp from 'sharp';

/** A rectangle of a page picture (a JPEG) as a grayscale PNG: lossless, so thin strokes stay sharp. */
export async function cropPng(jpeg: Buffer, rect: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  return sharp(jpeg).extract(rect).toColourspace('b-w').png().toBuffer();
}

/** Width and height of an encoded picture, in pixels. */
export async function imageSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  const { width, height } = await sharp(bytes).metadata();
  if (!width || !height) throw new Error('picture without a size');
  return { width, height };
}
