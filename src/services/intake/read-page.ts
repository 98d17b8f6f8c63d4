import type { Settings } from '../../domain/settings.js';
import type { ScanPage } from './decode.js';
import type { KeptImage } from '../../ports/image.js';
import { crop, encodeJpeg, flattenBackground, rotate } from '../../adapters/sharp/image.js';
import { keptPage } from '../../adapters/sharp/raster.js';
import type { GrayImage } from '../../ports/image.js';
import { appliedSkew, applyGeometry, findGeometry, type PageGeometry } from './orient.js';
import { intersect, writingBox, WRITING_MARGIN, type Rect } from './writing.js';
import { assemblePage, type AssembledPage } from './assemble.js';
import type { LineBox, LineSteps, OcrLine, PageReader } from '../../ports/ocr.js';
import { findPageOutline, flattenPage } from './page-outline.js';
import { checkPage, type PageCheck, type PageDoubt } from './page-truth.js';
import { limitsFrom } from './limits.js';
import { isSealResidue, lineInk, sealInk } from './seal.js';

export interface ReadPage extends AssembledPage {
  /** Clockwise degrees the page was turned by to be upright (0, 90, 180, 270). */
  rotation: number;
  /** Further clockwise degrees that levelled it. */
  skew: number;
  lowConfidence: boolean;
  /** Why the page is not to be trusted without a look; empty when it can be. */
  doubts: PageDoubt[];
  /** The recogniser's own confidence, before the page was checked against its ink. */
  recognizerConfidence: number;
  check: PageCheck;
  /** The scan as kept, in its own orientation: for a photo, the sheet found in it, flattened. */
  kept: KeptImage;
  /** Size of the read image before turning, and of the upright frame the line boxes are in. */
  readSize: { width: number; height: number };
  uprightSize: { width: number; height: number };
  /** The photo's sheet of paper was found and cut out of its surroundings. */
  cropped: boolean;
}

/** Below this page confidence an engine without separate steps reads the page again turned over. */
const FLIP_CHECK_CONFIDENCE = 0.9;
/** How many lines are read both ways up to tell whether a page is upside down. */
const SAMPLE_LINES = 3;
/** Sample lines read at least this sure the right way up need not be read the other way. */
const SURE_UPRIGHT = 0.93;

/**
 * Reads one page: a photo's sheet of paper found and flattened, the page turned and levelled, its
 * light evened out, its lines found and read, and the result checked against the page's ink.
 */
export async function readPage(page: ScanPage, ocr: PageReader, settings: Settings): Promise<ReadPage> {
  const scan = await cutOutSheet(page, settings);
  const maxSkew = settings.decode.deskew ? settings.decode.maxSkewDegrees : 0;
  const skipBlank = settings.ocr.skipBlankMargins;
  const lettered = scan.redDropped ?? scan.image;
  const read = ocr.steps ? await readInSteps(lettered, ocr.steps, maxSkew, skipBlank) : await readWhole(lettered, ocr, maxSkew, skipBlank);
  if (scan.redDropped) read.lines = await withoutSealResidue(read, scan.image, scan.redDropped);
  const result = assemblePage(read.lines);
  const check = checkPage(read.upright, result.lines);
  const confidence = Math.min(result.confidence, check.cap);
  const doubts: PageDoubt[] = [];
  if (result.confidence < settings.ocr.lowConfidence) doubts.push('low-confidence');
  if (check.unread) doubts.push('text-unread');
  return {
    ...result,
    confidence,
    recognizerConfidence: result.confidence,
    check,
    rotation: (read.geometry.quarterTurns * 90 + (read.flipped ? 180 : 0)) % 360,
    skew: appliedSkew(read.geometry),
    lowConfidence: confidence < settings.ocr.lowConfidence || doubts.length > 0,
    doubts,
    kept: scan.kept,
    readSize: { width: scan.image.width, height: scan.image.height },
    uprightSize: { width: read.upright.width, height: read.upright.height },
    cropped: scan.cropped,
  };
}

/** The lines read off what dropout left of a red seal (see seal.ts), left out of the page's text. */
async function withoutSealResidue(read: Reading, gray: GrayImage, redDropped: GrayImage): Promise<OcrLine[]> {
  let seal = await applyGeometry(sealInk(gray, redDropped), read.geometry);
  if (read.flipped) seal = await rotate(seal, 2, 0);
  if (seal.width !== read.upright.width || seal.height !== read.upright.height) return read.lines;
  return read.lines.filter((line) => !isSealResidue(lineInk(line, read.upright, seal)));
}

/**
 * A photo's sheet of paper, cut out of the table it lies on and flattened, both as read and as
 * kept; a scan, or a photo whose sheet cannot be told from its surroundings, as it is.
 */
async function cutOutSheet(page: ScanPage, settings: Settings): Promise<ScanPage & { cropped: boolean }> {
  const outline = await findPageOutline(page.image);
  if (!outline) return { ...page, cropped: false };
  const image = flattenPage(page.image, outline);
  const redDropped = page.redDropped && flattenPage(page.redDropped, outline);
  const limits = limitsFrom(settings);
  // The kept picture is cut the same way from the kept pixels (larger, for print).
  const full = await keptPage(page.kept.jpeg, 0, limits.keepLongSide, limits.maxPixelsPerPage);
  const keptScale = full.width / page.image.width;
  const keptImage = flattenPage(full, outline, keptScale);
  const kept = { jpeg: await encodeJpeg(keptImage, limits.keepJpegQuality), width: keptImage.width, height: keptImage.height };
  return { image, ...(redDropped ? { redDropped } : {}), kept, cropped: true };
}

interface Reading {
  lines: OcrLine[];
  geometry: PageGeometry;
  /** Levelled, evenly lit and the right way up: the frame of the lines' boxes. */
  upright: GrayImage;
  /** Found upside down after the quarter turns, and turned half round. */
  flipped: boolean;
}

async function uprightPage(image: GrayImage, geometry: PageGeometry): Promise<GrayImage> {
  const levelled = await applyGeometry(image, geometry);
  return geometry.evenlyLit ? levelled : flattenBackground(levelled);
}

/**
 * With the detector and the recogniser apart: the lines are found once; lines that run up and
 * down mean the page lies on its side; a few lines read both ways up settle whether it is upside
 * down (a page found so is turned and its lines found again); then every line is read once.
 */
async function readInSteps(image: GrayImage, steps: LineSteps, maxSkew: number, skipBlank: boolean): Promise<Reading> {
  let geometry = await findGeometry(image, maxSkew);
  let upright = await uprightPage(image, geometry);
  let area = readArea(upright, image, skipBlank);
  let part = cropTo(upright, area);
  let boxes = await steps.detect(part);
  if (runUpAndDown(boxes)) {
    // The rows of ink misled the turn (a line or two, a strip): try the page the other way round.
    const other = await findGeometry(image, maxSkew, geometry.quarterTurns === 1 ? 0 : 1);
    const otherUpright = await uprightPage(image, other);
    const otherArea = readArea(otherUpright, image, skipBlank);
    const otherPart = cropTo(otherUpright, otherArea);
    const otherBoxes = await steps.detect(otherPart);
    if (otherBoxes.length && !runUpAndDown(otherBoxes)) {
      [geometry, upright, area, part, boxes] = [other, otherUpright, otherArea, otherPart, otherBoxes];
    }
  }
  const order = [...boxes.keys()].sort((a, b) => boxes[b]![2] - boxes[b]![0] - (boxes[a]![2] - boxes[a]![0]));
  const sampled = order.slice(0, SAMPLE_LINES);
  const sample = sampled.map((i) => boxes[i]!);
  const upwards = await steps.readLines(part, sample, false);
  let flipped = false;
  let lines = upwards;
  if (!upwards.every((l) => l.confidence >= SURE_UPRIGHT && l.text.trim().length >= 2)) {
    const downwards = await steps.readLines(part, sample, true);
    if (sampleScore(downwards) > sampleScore(upwards) * 1.05) {
      // Upside down: the page is turned and its lines found again (the detector's boxes are not
      // quite symmetric, and a full stop at a line's end sits at the edge of one), then read once.
      flipped = true;
      upright = await rotate(upright, 2, 0);
      area = readArea(upright, image, skipBlank);
      part = cropTo(upright, area);
      boxes = await steps.detect(part);
      lines = await steps.readLines(part, boxes, false);
    }
  }
  if (!flipped) {
    const rest = order.slice(SAMPLE_LINES).map((i) => boxes[i]!);
    if (rest.length) lines = [...lines, ...(await steps.readLines(part, rest, false))];
  }
  const read = lines
    .filter((l) => l.text.trim() !== '')
    .map((l) => ({ ...l, box: [l.box[0] + area.left, l.box[1] + area.top, l.box[2] + area.left, l.box[3] + area.top] as LineBox }));
  return { lines: read, geometry, upright, flipped };
}

/** An engine that finds and reads in one go: read the page, and read it again turned over when unsure. */
async function readWhole(image: GrayImage, ocr: PageReader, maxSkew: number, skipBlank: boolean): Promise<Reading> {
  const geometry = await findGeometry(image, maxSkew);
  const upright = await uprightPage(image, geometry);
  const recognize = async (page: GrayImage) => {
    const area = readArea(page, image, skipBlank);
    const lines = await ocr.recognize(cropTo(page, area));
    return lines.map((l) => ({ ...l, box: [l.box[0] + area.left, l.box[1] + area.top, l.box[2] + area.left, l.box[3] + area.top] as LineBox }));
  };
  const lines = await recognize(upright);
  const first = assemblePage(lines);
  if (first.confidence < FLIP_CHECK_CONFIDENCE) {
    const turnedOver = await rotate(upright, 2, 0);
    const second = await recognize(turnedOver);
    if (score(assemblePage(second)) > score(first)) return { lines: second, geometry, upright: turnedOver, flipped: true };
  }
  return { lines, geometry, upright, flipped: false };
}

/**
 * The part of an upright page that is read. Levelling by a small angle grows the canvas by white
 * corners (about 5 % more pixels at 1.5°): at most the centre, as large as the page that was
 * scanned, is read; what is cut off lay in the corners of the scan, outside any letter's margins.
 * Within that, with `skipBlankMargins`, only the writing and a margin around it: the detector's
 * time grows with the pixels it is given, and a letter rarely fills its page.
 */
function readArea(upright: GrayImage, scanned: GrayImage, skipBlankMargins: boolean): Rect {
  const [width, height] = upright.width > upright.height === scanned.width > scanned.height ? [scanned.width, scanned.height] : [scanned.height, scanned.width];
  const centre: Rect = {
    left: Math.floor((upright.width - Math.min(width, upright.width)) / 2),
    top: Math.floor((upright.height - Math.min(height, upright.height)) / 2),
    width: Math.min(width, upright.width),
    height: Math.min(height, upright.height),
  };
  const writing = skipBlankMargins ? writingBox(upright, WRITING_MARGIN) : null;
  return (writing && intersect(centre, writing)) ?? centre;
}

function cropTo(image: GrayImage, area: Rect): GrayImage {
  if (area.left === 0 && area.top === 0 && area.width === image.width && area.height === image.height) return image;
  return crop(image, area.left, area.top, area.width, area.height);
}

/**
 * Lines found standing up: the page lies on its side. Only boxes clearly longer one way count;
 * a page of square boxes (single characters) says nothing.
 */
function runUpAndDown(boxes: LineBox[]): boolean {
  let across = 0;
  let upDown = 0;
  for (const [l, t, r, b] of boxes) {
    const w = r - l;
    const h = b - t;
    if (w > 1.5 * h) across += w * h;
    else if (h > 1.5 * w) upDown += w * h;
  }
  return upDown > 0 && upDown > 2 * across;
}

const HAS_WORD = /[\p{L}\p{N}]/u;

function sampleScore(lines: OcrLine[]): number {
  return lines.reduce((s, l) => s + (HAS_WORD.test(l.text) ? l.confidence * [...l.text.replace(/\s/g, '')].length : 0), 0);
}

function score(page: AssembledPage): number {
  const chars = page.text.replace(/\s/g, '').length;
  return page.confidence * chars;
}
