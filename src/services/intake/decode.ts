import sharp, { type Metadata, type Sharp } from 'sharp';
import bmp from 'bmp-js'; // returns ABGR pixels
import { XinfangError } from '../../domain/problems.js';
import { detectFormat, type ScanFormat } from './format.js';
import { encodeJpeg, resizeLongSide, rotate, toGray, type GrayImage } from '../../adapters/sharp/image.js';
import { embeddedPageJpegs } from '../../adapters/pdf-lib/embedded-jpegs.js';
import { renderPdfPages } from '../../adapters/pdfjs/render-pages.js';
import { checkPageCount, type DecodeLimits } from './limits.js';

export type { DecodeLimits } from './limits.js';

/** A page image as kept in the searchable PDF: JPEG bytes and their size in pixels. */
export interface ArchivalImage {
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface ScanPage {
  /** Grayscale, long side at most `readLongSide`: what is levelled and read. */
  image: GrayImage;
  /** The same page, same orientation, as it is kept: the scanner's own JPEG where it is one. */
  archival: ArchivalImage;
}

export interface DecodedScan {
  format: ScanFormat;
  pages: ScanPage[];
}

/** Turns the bytes of one scan file into pages, upright as far as EXIF and /Rotate say. */
export async function decodeScan(bytes: Buffer, limits: DecodeLimits): Promise<DecodedScan> {
  if (bytes.length === 0) throw new XinfangError('empty', '文件是空的（0 字节），可能扫描或复制没有完成。请重新扫描后再放入收件箱。');
  const format = detectFormat(bytes);
  if (!format) {
    throw new XinfangError('unsupported', '不是能识别的扫描件格式。请保存为 JPEG、PNG、TIFF、PDF、BMP 或 WebP 后再放入收件箱。');
  }
  try {
    const pages = format === 'pdf' ? await decodePdf(bytes, limits) : format === 'bmp' ? [await decodeBmp(bytes, limits)] : await decodeRaster(bytes, limits);
    if (pages.length === 0) throw new XinfangError('no-pages', '文件里没有任何页面。请检查扫描件后重新放入。');
    return { format, pages };
  } catch (e) {
    if (e instanceof XinfangError) throw e;
    throw new XinfangError('corrupt', `文件已损坏或不完整，无法读取（${formatLabel(format)}）。请重新扫描或重新复制后再放入收件箱。`);
  }
}

async function decodePdf(bytes: Buffer, limits: DecodeLimits): Promise<ScanPage[]> {
  const embedded = await embeddedPageJpegs(bytes).catch(() => undefined);
  if (!embedded) {
    const rendered = await renderPdfPages(bytes, limits);
    return Promise.all(rendered.map((page) => fromFullImage(page, limits)));
  }
  checkPageCount(embedded.length, limits);
  const pages: ScanPage[] = [];
  for (const { jpeg, rotate: turn } of embedded) {
    const [page] = await decodeRaster(jpeg, limits);
    if (turn % 360 === 0) pages.push(page!);
    else pages.push(await fromFullImage(await rotate(await fullImage(jpeg, 0, limits), turn / 90, 0), limits));
  }
  return pages;
}

async function decodeRaster(bytes: Buffer, limits: DecodeLimits): Promise<ScanPage[]> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, sharpOptions(limits)).metadata();
  } catch (e) {
    throw pixelLimitOr(e);
  }
  const pageCount = meta.pages ?? 1;
  checkPageCount(pageCount, limits);
  checkPixels(meta.width ?? 0, meta.pageHeight ?? meta.height ?? 0, limits);
  if (canKeepAsIs(meta)) {
    // Read at reading size straight away (libjpeg scales while decoding); keep the bytes as they are.
    const image = await toGrayChecked(sharp(bytes, sharpOptions(limits)).resize(inside(limits.readLongSide, 'reading')));
    return [{ image, archival: { jpeg: bytes, width: meta.width!, height: meta.height! } }];
  }
  const pages: ScanPage[] = [];
  for (let page = 0; page < pageCount; page++) pages.push(await fromFullImage(await fullImage(bytes, page, limits), limits));
  return pages;
}

/** A JPEG can go into the PDF untouched when nothing about it needs turning or converting. */
function canKeepAsIs(meta: Metadata): boolean {
  return meta.format === 'jpeg' && (meta.orientation ?? 1) === 1 && (meta.channels === 1 || meta.channels === 3) && Boolean(meta.width && meta.height);
}

async function fullImage(bytes: Buffer, page: number, limits: DecodeLimits): Promise<GrayImage> {
  return toGrayChecked(
    sharp(bytes, { ...sharpOptions(limits), page, pages: 1 })
      .rotate() // honour EXIF orientation
      .resize(inside(limits.archiveLongSide)),
  );
}

async function fromFullImage(full: GrayImage, limits: DecodeLimits): Promise<ScanPage> {
  const archival = { jpeg: await encodeJpeg(full, limits.archiveJpegQuality), width: full.width, height: full.height };
  return { image: await resizeLongSide(full, limits.readLongSide), archival };
}

async function decodeBmp(bytes: Buffer, limits: DecodeLimits): Promise<ScanPage> {
  // Read the size from the header before decoding, so a forged header cannot exhaust memory.
  const width = Math.abs(bytes.readInt32LE(18));
  const height = Math.abs(bytes.readInt32LE(22));
  checkPixels(width, height, limits);
  const decoded = bmp.decode(bytes);
  const rgb = Buffer.alloc(decoded.width * decoded.height * 3);
  for (let i = 0, j = 0; i < decoded.data.length; i += 4, j += 3) {
    rgb[j] = decoded.data[i + 3]!;
    rgb[j + 1] = decoded.data[i + 2]!;
    rgb[j + 2] = decoded.data[i + 1]!;
  }
  const full = await toGray(sharp(rgb, { raw: { width: decoded.width, height: decoded.height, channels: 3 } }).resize(inside(limits.archiveLongSide)));
  return fromFullImage(full, limits);
}

function sharpOptions(limits: DecodeLimits) {
  return { limitInputPixels: limits.maxPixelsPerPage, failOn: 'error' as const };
}

/**
 * Pages to be read are scaled with a plain linear filter: after libjpeg's own scaling on load the
 * step left is small, and lanczos costs twice the time for no better reading. Pages to be kept are
 * scaled with lanczos, for print.
 */
function inside(longSide: number, purpose: 'reading' | 'keeping' = 'keeping') {
  return { width: longSide, height: longSide, fit: 'inside' as const, withoutEnlargement: true, kernel: purpose === 'reading' ? ('linear' as const) : ('lanczos3' as const) };
}

async function toGrayChecked(pipeline: Sharp): Promise<GrayImage> {
  try {
    return await toGray(pipeline);
  } catch (e) {
    throw pixelLimitOr(e);
  }
}

function checkPixels(width: number, height: number, limits: DecodeLimits): void {
  if (width * height > limits.maxPixelsPerPage) {
    throw new XinfangError(
      'too-many-pixels',
      `页面 ${width}×${height} 像素，超过上限（每页 ${Math.round(limits.maxPixelsPerPage / 1e6)} 百万像素），可能是异常文件。请用 300 dpi 以下重新扫描。`,
    );
  }
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
