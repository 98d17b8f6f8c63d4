import type { Settings } from '../../domain/settings.js';
import type { ScanPage } from './decode.js';
import type { KeptImage } from '../../ports/image.js';
import { crop, flattenBackground, rotate } from '../../adapters/sharp/image.js';
import type { GrayImage } from '../../ports/image.js';
import { appliedSkew, applyGeometry, findGeometry } from './orient.js';
import { intersect, writingBox, WRITING_MARGIN, type Rect } from './writing.js';
import { assemblePage, type AssembledPage } from './assemble.js';
import type { OcrLine, PageReader } from '../../ports/ocr.js';

export interface ReadPage extends AssembledPage {
  /** Clockwise degrees the page was turned by to be upright (0, 90, 180, 270). */
  rotation: number;
  /** Further clockwise degrees that levelled it. */
  skew: number;
  lowConfidence: boolean;
  /** Why the page is not to be trusted without a look; empty when it can be. */
  doubts: string[];
  /** The scan as kept, in its own orientation. */
  kept: KeptImage;
  /** Size of the read image before turning, and of the upright frame the line boxes are in. */
  readSize: { width: number; height: number };
  uprightSize: { width: number; height: number };
}

/** Below this page confidence the page is read again turned over: it may be upside down. */
const FLIP_CHECK_CONFIDENCE = 0.9;

/** Levels a page, reads it, and settles upside-down pages by reading them both ways. */
export async function readPage(page: ScanPage, ocr: PageReader, settings: Settings): Promise<ReadPage> {
  const geometry = await findGeometry(page.image, settings.decode.deskew ? settings.decode.maxSkewDegrees : 0);
  const levelled = await applyGeometry(page.image, geometry);
  let upright = geometry.evenlyLit ? levelled : await flattenBackground(levelled);
  let result = assemblePage(await recognizeWithin(ocr, upright, page.image, settings.ocr.skipBlankMargins));
  let rotation = geometry.quarterTurns * 90;
  if (result.confidence < FLIP_CHECK_CONFIDENCE) {
    const turnedOver = await rotate(upright, 2, 0);
    const second = assemblePage(await recognizeWithin(ocr, turnedOver, page.image, settings.ocr.skipBlankMargins));
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
    doubts: result.confidence < settings.ocr.lowConfidence ? ['low-confidence'] : [],
    kept: page.kept,
    readSize: { width: page.image.width, height: page.image.height },
    uprightSize: { width: upright.width, height: upright.height },
  };
}

/**
 * Reads an upright page, giving the engine only the part that can hold writing; the line boxes
 * are put back into the upright frame. Levelling by a small angle grows the canvas by white
 * corners (about 5 % more pixels at 1.5°): at most the centre, as large as the page that was
 * scanned, is read; what is cut off lay in the corners of the scan, outside any letter's margins.
 * Within that, with `skipBlankMargins`, only the writing and a margin around it: the detector's
 * time grows with the pixels it is given, and a letter rarely fills its page.
 */
async function recognizeWithin(ocr: PageReader, upright: GrayImage, scanned: GrayImage, skipBlankMargins: boolean): Promise<OcrLine[]> {
  const [width, height] = upright.width > upright.height === scanned.width > scanned.height ? [scanned.width, scanned.height] : [scanned.height, scanned.width];
  const centre: Rect = {
    left: Math.floor((upright.width - Math.min(width, upright.width)) / 2),
    top: Math.floor((upright.height - Math.min(height, upright.height)) / 2),
    width: Math.min(width, upright.width),
    height: Math.min(height, upright.height),
  };
  const writing = skipBlankMargins ? writingBox(upright, WRITING_MARGIN) : null;
  const read = (writing && intersect(centre, writing)) ?? centre;
  if (read.width === upright.width && read.height === upright.height) return ocr.recognize(upright);
  const lines = await ocr.recognize(crop(upright, read.left, read.top, read.width, read.height));
  return lines.map((l) => ({ ...l, box: [l.box[0] + read.left, l.box[1] + read.top, l.box[2] + read.left, l.box[3] + read.top] }));
}

function score(page: AssembledPage): number {
  const chars = page.text.replace(/\s/g, '').length;
  return page.confidence * chars;
}
