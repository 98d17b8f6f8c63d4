import type { Settings } from '../../domain/settings.js';
import { fail } from '../../domain/problems.js';

export interface DecodeLimits {
  maxPages: number;
  maxPixelsPerPage: number;
  /** Long side (pixels) of the image that is analysed and read. */
  readLongSide: number;
  /** Long side (pixels) of a page image that has to be made anew for keeping. */
  keepLongSide: number;
  keepJpegQuality: number;
}

export function checkPageCount(count: number, limits: DecodeLimits): void {
  if (count > limits.maxPages) {
    fail({ code: 'too-many-pages', max: limits.maxPages, pages: count });
  }
}

export function limitsFrom(settings: Settings): DecodeLimits {
  return {
    maxPages: settings.intake.maxPages,
    maxPixelsPerPage: settings.intake.maxMegapixelsPerPage * 1_000_000,
    readLongSide: settings.ocr.longSide,
    keepLongSide: settings.decode.archiveLongSide,
    keepJpegQuality: settings.decode.archiveJpegQuality,
  };
}
