/** Decoding raster scans with sharp (libvips): sizes, pages, EXIF turns, scaling to gray. */
import sharp, { type Sharp } from 'sharp';
import { XinfangError } from '../../domain/problems.js';
import type { GrayImage } from '../../ports/image.js';
import { toGray } from './image.js';

export interface RasterInfo {
  format: string | undefined;
  pages: number;
  width: number;
  /** Height of one page (multi-page TIFF stacks its pages). */
  pageHeight: number;
  /** EXIF orientation, 1 when upright. */
  orientation: number;
  channels: number;
}

const options = (maxPixels: number) => ({ limitInputPixels: maxPixels, failOn: 'error' as const });

/**
 * Pages to be read are scaled with a plain linear filter: after libjpeg's own scaling on load the
 * step left is small, and lanczos costs twice the time for no better reading. Pages to be kept are
 * scaled with lanczos, for print.
 */
function inside(longSide: number, purpose: 'reading' | 'keeping' = 'keeping') {
  return { width: longSide, height: longSide, fit: 'inside' as const, withoutEnlargement: true, kernel: purpose === 'reading' ? ('linear' as const) : ('lanczos3' as const) };
}

/** What the file holds, read from its header; a file past the pixel limit is a problem, not a crash. */
export async function rasterInfo(bytes: Buffer, maxPixels: number): Promise<RasterInfo> {
  try {
    const meta = await sharp(bytes, options(maxPixels)).metadata();
    return { format: meta.format, pages: meta.pages ?? 1, width: meta.width ?? 0, pageHeight: meta.pageHeight ?? meta.height ?? 0, orientation: meta.orientation ?? 1, channels: meta.channels ?? 0 };
  } catch (e) {
    throw pixelLimitOr(e);
  }
}

/** The image scaled straight to reading size while decoding (libjpeg scales as it decodes). */
export function readingImage(bytes: Buffer, longSide: number, maxPixels: number): Promise<GrayImage> {
  return checked(sharp(bytes, options(maxPixels)).resize(inside(longSide, 'reading')));
}

/**
 * A colour image at reading size twice from one decoding: as gray (what the sheet is found on: a
 * red tablecloth must stay darker than paper) and with red ink lifted to paper — a scanner's red
 * dropout, so an office's or a resident's red seal is not read as lines of the letter. Black and
 * blue ink stay as dark as in the gray one.
 */
export async function readingImagesOfColour(bytes: Buffer, longSide: number, maxPixels: number): Promise<{ gray: GrayImage; redDropped: GrayImage }> {
  // rotate(): turned as its EXIF orientation says, like keptPage.
  const raw = await sharp(bytes, options(maxPixels)).rotate().resize(inside(longSide, 'reading')).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
    .catch((e: unknown) => {
      throw pixelLimitOr(e);
    });
  const { width, height, channels } = raw.info;
  const n = width * height;
  const gray = Buffer.allocUnsafe(n);
  const redDropped = Buffer.allocUnsafe(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const r = raw.data[j]!;
    const g = raw.data[j + 1]!;
    const b = raw.data[j + 2]!;
    const luma = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    gray[i] = luma;
    // Reddish pixels are lifted toward their red channel, by how red they are: JPEG keeps colour
    // at half resolution, so a seal's thin strokes come out only faintly red.
    // Seal ink is a little darker than paper even in red: lifted by a third of its redness more.
    const excess = r - Math.max(g, b);
    const redness = Math.min(1, Math.max(0, (excess - 10) / 30));
    const lifted = Math.min(255, r + excess * 0.35);
    redDropped[i] = Math.round(luma + (Math.max(luma, lifted) - luma) * redness);
  }
  return { gray: { data: gray, width, height }, redDropped: { data: redDropped, width, height } };
}

/** One page at keeping size, turned as its EXIF orientation says. */
export function keptPage(bytes: Buffer, page: number, longSide: number, maxPixels: number): Promise<GrayImage> {
  return checked(
    sharp(bytes, { ...options(maxPixels), page, pages: 1 })
      .rotate() // honour EXIF orientation
      .resize(inside(longSide)),
  );
}

/** Raw RGB or RGBA pixels (a BMP, a rendered PDF page) as gray, at most `longSide` when given. */
export function grayFromPixels(pixels: Buffer, width: number, height: number, channels: 3 | 4, longSide?: number): Promise<GrayImage> {
  let pipeline = sharp(pixels, { raw: { width, height, channels } });
  if (channels === 4) pipeline = pipeline.removeAlpha();
  if (longSide) pipeline = pipeline.resize(inside(longSide));
  return toGray(pipeline);
}

async function checked(pipeline: Sharp): Promise<GrayImage> {
  try {
    return await toGray(pipeline);
  } catch (e) {
    throw pixelLimitOr(e);
  }
}

function pixelLimitOr(e: unknown): unknown {
  if (e instanceof Error && /pixel limit/i.test(e.message)) return new XinfangError({ code: 'too-many-pixels', maxMegapixels: null, width: null, height: null });
  return e;
}

/** A sample scan re-encoded (another quality or compression), for the benchmarks' distinct files of the same pages. */
export function reencode(file: string, as: 'png' | 'jpeg', variant: number, density: number): Promise<Buffer> {
  const img = sharp(file);
  return as === 'png' ? img.png({ compressionLevel: 6 + (variant % 4) }).withMetadata({ density }).toBuffer() : img.jpeg({ quality: 85 + (variant % 10) }).withMetadata({ density }).toBuffer();
}
