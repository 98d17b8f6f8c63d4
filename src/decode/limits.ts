import { XinfangError } from '../lib/errors.js';

export interface DecodeLimits {
  maxPages: number;
  maxPixelsPerPage: number;
  /** Pages are brought down to this long side (pixels) for keeping and reading. */
  longSide: number;
}

export function checkPageCount(count: number, limits: DecodeLimits): void {
  if (count > limits.maxPages) {
    throw new XinfangError('too-many-pages', `文件有 ${count} 页，超过设置的上限 ${limits.maxPages} 页。如确是一封信，请管理员调大 intake.maxPages；否则请分开扫描。`);
  }
}
