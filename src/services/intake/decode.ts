/** Turning the bytes of one scan file into pages: what format it is, how many pages, each as gray pixels to read and as kept. */
import { bmpSize, decodeBmp } from '../../adapters/bmp/bmp.js';
import { embeddedPageJpegs } from '../../adapters/pdf-lib/embedded-jpegs.js';
import { renderPdfPages } from '../../adapters/pdfjs/render-pages.js';
import { encodeJpeg, resizeLongSide, rotate } from '../../adapters/sharp/image.js';
import { grayFromPixels, keptPage, rasterInfo, readingImage, readingImagesOfColour, type RasterInfo } from '../../adapters/sharp/raster.js';
import { fail, isXinfangError } from '../../domain/problems.js';
import type { GrayImage, KeptImage } from '../../ports/image.js';
import { detectFormat, type ScanFormat } from './format.js';
import { checkPageCount, type DecodeLimits } from './limits.js';

export type { DecodeLimits } from './limits.js';

export interface ScanPage {
  /** Grayscale, long side at most `readLongSide`: what is levelled and read. */
  image: GrayImage;
  /** The same page, same orientation, as it is kept: the scanner's own JPEG where it is one. */
  kept: KeptImage;
  /** For a colour page: `image` with red ink (seals) lifted to paper, what the lines are read on. */
  redDropped?: GrayImage;
}

export interface DecodedScan {
  format: ScanFormat;
  pages: ScanPage[];
}

/** Turns the bytes of one scan file into pages, upright as far as EXIF and /Rotate say. */
export async function decodeScan(bytes: Buffer, limits: DecodeLimits): Promise<DecodedScan> {
  if (bytes.length === 0) fail({ code: 'empty' });
  const format = detectFormat(bytes);
  if (!format) fail({ code: 'unsupported' });
  try {
    const pages = format === 'pdf' ? await decodePdf(bytes, limits) : format === 'bmp' ? [await decodeBmpPage(bytes, limits)] : await decodeRaster(bytes, limits);
    if (pages.length === 0) fail({ code: 'no-pages', in: 'file' });
    return { format, pages };
  } catch (e) {
    if (isXinfangError(e)) throw e;
    fail({ code: 'corrupt', format });
  }
}

async function decodePdf(bytes: Buffer, limits: DecodeLimits): Promise<ScanPage[]> {
  const embedded = await embeddedPageJpegs(bytes).catch(() => undefined);
  if (!embedded) {
    const rendered = await renderPdfPages(bytes, { longSide: limits.keepLongSide, maxPages: limits.maxPages });
    return Promise.all(rendered.map((page) => fromFullImage(page, limits)));
  }
  checkPageCount(embedded.length, limits);
  const pages: ScanPage[] = [];
  for (const { jpeg, rotate: turn } of embedded) {
    const [page] = await decodeRaster(jpeg, limits);
    if (turn % 360 === 0) pages.push(page!);
    else pages.push(await fromFullImage(await rotate(await keptPage(jpeg, 0, limits.keepLongSide, limits.maxPixelsPerPage), turn / 90, 0), limits));
  }
  return pages;
}

async function decodeRaster(bytes: Buffer, limits: DecodeLimits): Promise<ScanPage[]> {
  const info = await rasterInfo(bytes, limits.maxPixelsPerPage);
  checkPageCount(info.pages, limits);
  checkPixels(info.width, info.pageHeight, limits);
  if (canKeepAsIs(info)) {
    // Read at reading size straight away; keep the bytes as they are.
    const kept = { jpeg: bytes, width: info.width, height: info.pageHeight };
    if (info.channels === 3) {
      const { gray, redDropped } = await readingImagesOfColour(bytes, limits.readLongSide, limits.maxPixelsPerPage);
      return [{ image: gray, redDropped, kept }];
    }
    return [{ image: await readingImage(bytes, limits.readLongSide, limits.maxPixelsPerPage), kept }];
  }
  if (info.pages === 1 && (info.channels === 3 || info.channels === 4)) {
    // A colour photo turned by EXIF, or a colour PNG: read with red dropout like a colour JPEG.
    const full = await keptPage(bytes, 0, limits.keepLongSide, limits.maxPixelsPerPage);
    const kept = { jpeg: await encodeJpeg(full, limits.keepJpegQuality), width: full.width, height: full.height };
    const { gray, redDropped } = await readingImagesOfColour(bytes, limits.readLongSide, limits.maxPixelsPerPage);
    return [{ image: gray, redDropped, kept }];
  }
  const pages: ScanPage[] = [];
  for (let page = 0; page < info.pages; page++) pages.push(await fromFullImage(await keptPage(bytes, page, limits.keepLongSide, limits.maxPixelsPerPage), limits));
  return pages;
}

/** A JPEG can go into the PDF untouched when nothing about it needs turning or converting. */
function canKeepAsIs(info: RasterInfo): boolean {
  return info.format === 'jpeg' && info.orientation === 1 && (info.channels === 1 || info.channels === 3) && Boolean(info.width && info.pageHeight);
}

async function fromFullImage(full: GrayImage, limits: DecodeLimits): Promise<ScanPage> {
  const kept = { jpeg: await encodeJpeg(full, limits.keepJpegQuality), width: full.width, height: full.height };
  return { image: await resizeLongSide(full, limits.readLongSide), kept };
}

async function decodeBmpPage(bytes: Buffer, limits: DecodeLimits): Promise<ScanPage> {
  const { width, height } = bmpSize(bytes);
  checkPixels(width, height, limits);
  const decoded = decodeBmp(bytes);
  return fromFullImage(await grayFromPixels(decoded.rgb, decoded.width, decoded.height, 3, limits.keepLongSide), limits);
}

function checkPixels(width: number, height: number, limits: DecodeLimits): void {
  if (width * height > limits.maxPixelsPerPage) fail({ code: 'too-many-pixels', width, height, maxMegapixels: Math.round(limits.maxPixelsPerPage / 1e6) });
}
