import sharp, { type Metadata } from 'sharp';
import bmp from 'bmp-js'; // returns ABGR pixels
import { XinfangError } from '../lib/errors.js';
import { detectFormat, type ScanFormat } from './format.js';
import { toGray, type GrayImage } from './image.js';
import { renderPdfPages } from './pdf.js';
import { checkPageCount, type DecodeLimits } from './limits.js';

export type { DecodeLimits } from './limits.js';

export interface DecodedScan {
  format: ScanFormat;
  pages: GrayImage[];
}

/** Turns the bytes of one scan file into upright-by-EXIF grayscale pages. */
export async function decodeScan(bytes: Buffer, limits: DecodeLimits): Promise<DecodedScan> {
  if (bytes.length === 0) throw new XinfangError('empty', '文件是空的（0 字节），可能扫描或复制没有完成。请重新扫描后再放入收件箱。');
  const format = detectFormat(bytes);
  if (!format) {
    throw new XinfangError('unsupported', '不是能识别的扫描件格式。请保存为 JPEG、PNG、TIFF、PDF、BMP 或 WebP 后再放入收件箱。');
  }
  try {
    const pages = format === 'pdf' ? await renderPdfPages(bytes, limits) : format === 'bmp' ? [await decodeBmp(bytes, limits)] : await decodeRaster(bytes, limits);
    if (pages.length === 0) throw new XinfangError('no-pages', '文件里没有任何页面。请检查扫描件后重新放入。');
    return { format, pages };
  } catch (e) {
    if (e instanceof XinfangError) throw e;
    throw new XinfangError('corrupt', `文件已损坏或不完整，无法读取（${formatLabel(format)}）。请重新扫描或重新复制后再放入收件箱。`);
  }
}

async function decodeRaster(bytes: Buffer, limits: DecodeLimits): Promise<GrayImage[]> {
  const options = { limitInputPixels: limits.maxPixelsPerPage, failOn: 'error' as const };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (e) {
    throw pixelLimitOr(e);
  }
  const pageCount = meta.pages ?? 1;
  checkPageCount(pageCount, limits);
  checkPixels(meta.width ?? 0, meta.pageHeight ?? meta.height ?? 0, limits);
  const pages: GrayImage[] = [];
  for (let page = 0; page < pageCount; page++) {
    const pipeline = sharp(bytes, { ...options, page, pages: 1 })
      .rotate() // honour EXIF orientation
      .resize({ width: limits.longSide, height: limits.longSide, fit: 'inside', withoutEnlargement: true });
    try {
      pages.push(await toGray(pipeline));
    } catch (e) {
      throw pixelLimitOr(e);
    }
  }
  return pages;
}

async function decodeBmp(bytes: Buffer, limits: DecodeLimits): Promise<GrayImage> {
  // Read the size from the header before decoding, so a forged header cannot exhaust memory.
  const width = Math.abs(bytes.readInt32LE(18));
  const height = Math.abs(bytes.readInt32LE(22));
  checkPixels(width, height, limits);
  const decoded = bmp.decode(bytes) as { data: Buffer; width: number; height: number };
  const rgb = Buffer.alloc(decoded.width * decoded.height * 3);
  for (let i = 0, j = 0; i < decoded.data.length; i += 4, j += 3) {
    rgb[j] = decoded.data[i + 3]!;
    rgb[j + 1] = decoded.data[i + 2]!;
    rgb[j + 2] = decoded.data[i + 1]!;
  }
  return toGray(
    sharp(rgb, { raw: { width: decoded.width, height: decoded.height, channels: 3 } }).resize({
      width: limits.longSide,
      height: limits.longSide,
      fit: 'inside',
      withoutEnlargement: true,
    }),
  );
}

function checkPixels(width: number, height: number, limits: DecodeLimits): void {
  if (width * height > limits.maxPixelsPerPage) throw tooManyPixels(width, height, limits);
}

function tooManyPixels(width: number, height: number, limits: DecodeLimits): XinfangError {
  const size = width && height ? `${width}×${height} 像素` : '尺寸';
  return new XinfangError(
    'too-many-pixels',
    `页面${size}超过上限（每页 ${Math.round(limits.maxPixelsPerPage / 1e6)} 百万像素），可能是异常文件。请用 300 dpi 以下重新扫描。`,
  );
}

function pixelLimitOr(e: unknown): unknown {
  if (e instanceof Error && /pixel limit/i.test(e.message)) {
    return new XinfangError('too-many-pixels', '页面像素数超过上限，可能是异常文件。请用 300 dpi 以下重新扫描。');
  }
  return e;
}

function formatLabel(format: ScanFormat): string {
  return { jpeg: 'JPEG 图片', png: 'PNG 图片', tiff: 'TIFF 图片', webp: 'WebP 图片', bmp: 'BMP 图片', pdf: 'PDF 文件' }[format];
}
