import type { Settings } from '../config/settings.js';
import { encodeJpeg, flattenBackground, resizeLongSide, rotate, type GrayImage } from '../decode/image.js';
import { applyGeometry, findGeometry } from '../decode/orient.js';
import { assemblePage, type AssembledPage } from '../ocr/assemble.js';
import type { OcrLine } from '../ocr/engine.js';
import type { OcrPool } from '../ocr/pool.js';

export interface ReadPage extends AssembledPage {
  /** Clockwise degrees the page was turned by (0, 90, 180, 270). */
  rotation: number;
  skew: number;
  lowConfidence: boolean;
  /** Upright page image as kept in the archive, and the line boxes in its pixels. */
  jpeg: Buffer;
  width: number;
  height: number;
  archiveLines: OcrLine[];
}

/** Below this page confidence the page is read again turned over: it may be upside down. */
const FLIP_CHECK_CONFIDENCE = 0.9;

/** Levels a page, reads it, and settles upside-down pages by reading them both ways. */
export async function readPage(page: GrayImage, ocr: OcrPool, settings: Settings): Promise<ReadPage> {
  const geometry = await findGeometry(page, settings.decode.deskew ? settings.decode.maxSkewDegrees : 0);
  let upright = await applyGeometry(page, geometry);
  let small = await flattenBackground(await resizeLongSide(upright, settings.ocr.longSide));
  let result = assemblePage(await ocr.recognize(small));
  let rotation = geometry.quarterTurns * 90;
  if (result.confidence < FLIP_CHECK_CONFIDENCE) {
    const turnedSmall = await rotate(small, 2, 0);
    const turned = assemblePage(await ocr.recognize(turnedSmall));
    if (score(turned) > score(result)) {
      result = turned;
      small = turnedSmall;
      upright = await rotate(upright, 2, 0);
      rotation = (rotation + 180) % 360;
    }
  }
  const scale = upright.width / small.width;
  const archiveLines = result.lines.map((l) => ({ ...l, box: l.box.map((v) => v * scale) as OcrLine['box'] }));
  return {
    ...result,
    rotation,
    skew: geometry.deskew,
    lowConfidence: result.confidence < settings.ocr.lowConfidence,
    jpeg: await encodeJpeg(upright, settings.decode.archiveJpegQuality),
    width: upright.width,
    height: upright.height,
    archiveLines,
  };
}

function score(page: AssembledPage): number {
  const chars = page.text.replace(/\s/g, '').length;
  return page.confidence * chars;
}
