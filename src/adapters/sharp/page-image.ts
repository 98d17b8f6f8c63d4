/** A page of a scan as a picture to look at: upright, at a width a screen asks for. */
import sharp, { type OutputInfo, type Sharp } from 'sharp';

const WHITE = { r: 255, g: 255, b: 255 };

/**
 * The page's JPEG turned as the searchable PDF shows it: first the quarter turns, then the skew
 * (clockwise degrees, white corners), then scaled down to `width` (never up), as a JPEG.
 */
export async function uprightJpeg(jpeg: Buffer, rotation: number, skew: number, width: number): Promise<Buffer> {
  const quarterTurns = ((Math.round(rotation / 90) % 4) + 4) % 4;
  // A gray scan stays one channel throughout (sharp makes three otherwise): less to turn and send.
  const gray = (await sharp(jpeg).metadata()).channels === 1;
  const keep = (image: Sharp) => (gray ? image.toColourspace('b-w') : image);
  // sharp keeps only the last rotate() of a pipeline, so each turn is its own pass over raw pixels.
  // No rotate() without an angle: the embedded JPEG is placed in the PDF as stored, EXIF ignored.
  let pixels = await keep(sharp(jpeg).rotate(quarterTurns * 90)).raw().toBuffer({ resolveWithObject: true });
  if (skew % 360 !== 0) pixels = await keep(fromRaw(pixels).rotate(skew, { background: WHITE })).raw().toBuffer({ resolveWithObject: true });
  const out = keep(fromRaw(pixels).resize({ width, withoutEnlargement: true }));
  return out.jpeg({ quality: 80 }).toBuffer();
}

function fromRaw({ data, info }: { data: Buffer; info: OutputInfo }) {
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}
