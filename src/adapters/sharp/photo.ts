/** Writing made-up phone photos as a phone or WeChat would: for the photo evaluation set and tests. */
import sharp, { type Sharp } from 'sharp';

export interface PhotoEncoding {
  /** Gaussian blur (sigma in pixels) before encoding: focus or shake; 0 for none. */
  blur: number;
  /** Clockwise quarter turns of the picture as seen (the phone held sideways or upside down). */
  quarterTurns: number;
  /**
   * When set, the pixels are stored as the camera's sensor lay and this EXIF orientation tag says
   * how to show them (6: turn 90° clockwise, 8: 90° anticlockwise, 3: 180°); the picture as seen
   * is the same as without it.
   */
  exifOrientation?: 3 | 6 | 8;
  quality: number;
  /** Forwarded through a chat app: scaled so its long side is at most this, and encoded again. */
  recompress?: { longSide: number; quality: number };
}

/** Quarter turns clockwise that each EXIF orientation asks a viewer to make. */
const EXIF_TURN = { 3: 2, 6: 1, 8: 3 } as const;

/** Raw RGB pixels as a JPEG photo. */
export async function encodePhoto(rgb: Buffer, width: number, height: number, how: PhotoEncoding): Promise<Buffer> {
  let pixels = rgb;
  if (how.blur > 0.3) pixels = await sharp(rgb, { raw: { width, height, channels: 3 } }).blur(how.blur).raw().toBuffer();
  let turn = ((how.quarterTurns % 4) + 4) % 4;
  // The sensor's pixels are the picture turned back by what the tag will turn it by.
  if (how.exifOrientation) turn = (turn - EXIF_TURN[how.exifOrientation] + 4) % 4;
  const tagged = (img: Sharp) => (how.exifOrientation ? img.withMetadata({ orientation: how.exifOrientation }) : img);
  let img = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (turn) img = img.rotate(turn * 90);
  if (!how.recompress) return tagged(img).jpeg({ quality: how.quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const first = await img.jpeg({ quality: how.quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const { longSide, quality } = how.recompress;
  return tagged(sharp(first).resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
}
