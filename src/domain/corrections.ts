/**
 * A clerk's reading of a scanned line (handwriting the OCR was unsure of), kept beside what the
 * OCR read: the OCR text is never overwritten; the letter's text as searched and read for the
 * fields is each page's lines with the clerk's readings in place of the OCR's. Pure text work.
 */
import type { Case, PageRecord } from './case.js';

/** One correction of one line, as recorded: every one is kept, the latest per line holds. */
export interface LineCorrection {
  /** Page and line, both from 1, as the case page numbers them. */
  page: number;
  line: number;
  /** What the OCR read on that line (kept with the correction, so either can be shown). */
  ocrText: string;
  /** What the clerk read; empty when the line is no text at all (a stain, a fold). */
  text: string;
  by: string;
  at: string;
}

/** A clerk's line is one line of text: longer ones are a paste gone wrong. */
export const MAX_LINE_CHARS = 500;

/** The latest correction of each line, by `page:line`. */
export function latestCorrections(corrections: readonly LineCorrection[]): Map<string, LineCorrection> {
  const latest = new Map<string, LineCorrection>();
  for (const c of corrections) latest.set(lineKey(c.page, c.line), c);
  return latest;
}

export function lineKey(page: number, line: number): string {
  return `${page}:${line}`;
}

/** A page's lines as they now read: the clerk's text where a line was corrected. */
export function effectiveLines(pageNo: number, page: Pick<PageRecord, 'lines'>, latest: ReadonlyMap<string, LineCorrection>): string[] {
  return page.lines.map((l, i) => latest.get(lineKey(pageNo, i + 1))?.text ?? l.text);
}

/**
 * The letter's text with the clerk's readings: each page's lines joined as the intake joins them
 * (lines by a newline, pages by a blank line); a line corrected to nothing is left out.
 */
export function correctedLetterText(pages: readonly Pick<PageRecord, 'lines'>[], corrections: readonly LineCorrection[]): string {
  const latest = latestCorrections(corrections);
  return pages.map((p, i) => effectiveLines(i + 1, p, latest).filter((t) => t !== '').join('\n')).join('\n\n');
}

/** The text a case is searched by and its fields are read from: the clerk's where there is one. */
export function letterText(c: Pick<Case, 'ocrText' | 'correctedText'>): string {
  return c.correctedText ?? c.ocrText;
}

/** The clerk's text as stored: one line, trimmed. */
export function cleanLineText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * Where a line's box lies on a picture of the page: the box is in the pixels of the upright frame
 * the OCR read (`frame`); the picture shows the same frame at another size. A margin of a third of
 * the line's height is kept round it (strokes reach past the detector's box), clipped to the picture.
 */
export function boxOnImage(
  box: readonly [number, number, number, number],
  frame: { width: number; height: number },
  image: { width: number; height: number },
): { left: number; top: number; width: number; height: number } | null {
  const sx = image.width / frame.width;
  const sy = image.height / frame.height;
  const margin = ((box[3] - box[1]) * sy) / 3;
  const left = Math.max(0, Math.floor(box[0] * sx - margin));
  const top = Math.max(0, Math.floor(box[1] * sy - margin));
  const right = Math.min(image.width, Math.ceil(box[2] * sx + margin));
  const bottom = Math.min(image.height, Math.ceil(box[3] * sy + margin));
  if (right - left < 1 || bottom - top < 1) return null;
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * The upright frame of a page read before frames were recorded: the read image was the kept one
 * scaled to at most `readLongSide` on its long side, then turned by `rotation` and `skew` degrees
 * (the canvas growing to hold the turned page, as sharp turns it).
 */
export function estimatedFrame(kept: { width: number; height: number }, readLongSide: number, rotation: number, skew: number): { width: number; height: number } {
  const scale = Math.min(1, readLongSide / Math.max(kept.width, kept.height));
  let w = Math.round(kept.width * scale);
  let h = Math.round(kept.height * scale);
  if (Math.round(rotation / 90) % 2 !== 0) [w, h] = [h, w];
  const rad = (Math.abs(skew) * Math.PI) / 180;
  if (rad === 0) return { width: w, height: h };
  return { width: Math.round(w * Math.cos(rad) + h * Math.sin(rad)), height: Math.round(w * Math.sin(rad) + h * Math.cos(rad)) };
}
