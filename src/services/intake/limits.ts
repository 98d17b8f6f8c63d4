import type { Settings } from '../../domain/settings.js';
import { XinfangError } from '../../domain/problems.js';

export interface DecodeLimits {
  maxPages: number;
  maxPixelsPerPage: number;
  /** Long side (pixels) of the image that is analysed and read. */
  readLongSide: number;
  /** Long side (pixels) of a page image that has to be made anew for keeping. */
  archiveLongSide: number;
  archiveJpegQuality: number;
}

export function checkPageCount(count: number, limits: DecodeLimits): void {
  if (count > limits.maxPages) {
    throw new XinfangError('too-many-pages', `文件有 ${count} 页，超过设置的上限 ${limits.maxPages} 页。如确是一封信，请管理员调大 intake.maxPages；否则请分开扫描。`);
  }
}

export function limitsFrom(settings: Settings): DecodeLimits {
  return {
    maxPages: settings.intake.maxPages,
    maxPixelsPerPage: settings.intake.maxMegapixelsPerPage * 1_000_000,
    readLongSide: settings.ocr.longSide,
    archiveLongSide: settings.decode.archiveLongSide,
    archiveJpegQuality: settings.decode.archiveJpegQuality,
  };
}
