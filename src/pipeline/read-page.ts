import type { Settings } from '../config/settings.js';
import type { ArchivalImage, ScanPage } from '../decode/decode.js';
import { flattenBackground, rotate } from '../decode/image.js';
import { appliedSkew, applyGeometry, findGeometry } from '../decode/orient.js';
import { assemblePage, type AssembledPage } from '../ocr/assemble.js';
import type { OcrPool } from '../ocr/pool.js';

export interface ReadPage extends AssembledPage {
  /** Clockwise degrees the page was turned by to be upright (0, 90, 180, 270). */
  rotation: number;
  /** Further clockwise degrees that levelled it. */
  skew: number;
  lowConfidence: boolean;
  /** The scan as kept, in its own orientation. */
  archival: ArchivalImage;
  /** Size of the read image before turning, and of the upright frame the line boxes are in. */
  readSize: { width: number; height: number };
  uprightSize: { width: number; height: number };
}

/** Below this page confidence the page is read again turned over: it may be upside down. */
const FLIP_CHECK_CONFIDENCE = 0.9;

/** Levels a page, reads it, and settles upside-down pages by reading them both ways. */
export async function readPage(page: ScanPage, ocr: OcrPool, settings: Settings): Promise<ReadPage> {
  const geometry = await findGeometry(page.image, settings.decode.deskew ? settings.decode.maxSkewDegrees : 0);
  const levelled = await applyGeometry(page.image, geometry);
  let upright = geometry.evenlyLit ? levelled : await flattenBackground(levelled);
  let result = assemblePage(await ocr.recognize(upright));
  let rotation = geometry.quarterTurns * 90;
  if (result.confidence < FLIP_CHECK_CONFIDENCE) {
    const turnedOver = await rotate(upright, 2, 0);
    const second = assemblePage(await ocr.recognize(turnedOver));
    if (score(second) > score(result)) {
      result = second;
      upright = turnedOver;
      rotation = (rotation + 180) % 360;
    }
  }
  return {
    ...result,
    rotation,
    skew: appliedSkew(geometry),
    lowConfidence: result.confidence < settings.ocr.lowConfidence,
    archival: page.archival,
    readSize: { width: page.image.width, height: page.image.height },
    uprightSize: { width: upright.width, height: upright.height },
  };
}

function score(page: AssembledPage): number {
  const chars = page.text.replace(/\s/g, '').length;
  return page.confidence * chars;
}
