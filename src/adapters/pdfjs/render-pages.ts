import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { fail } from '../../domain/problems.js';
import type { GrayImage } from '../../ports/image.js';
import { grayFromPixels } from '../sharp/raster.js';

const require = createRequire(import.meta.url);
const pdfjsDir = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Renders each page of a scanner PDF with pdf.js, at the size we keep pages at. */
export async function renderPdfPages(bytes: Buffer, limits: { longSide: number; maxPages: number }): Promise<GrayImage[]> {
  return withPdf(bytes, async (doc) => {
    if (doc.numPages > limits.maxPages) fail({ code: 'too-many-pages', max: limits.maxPages, pages: doc.numPages });
    const pages: GrayImage[] = [];
    for (let n = 1; n <= doc.numPages; n++) pages.push(await renderPage(doc, n, limits.longSide));
    return pages;
  });
}

/** One page (from 1) of a PDF as it prints, its long side `longSide` pixels; null when there is no such page. */
export async function renderPdfPage(bytes: Buffer, pageNo: number, longSide: number): Promise<GrayImage | null> {
  return withPdf(bytes, async (doc) => (Number.isInteger(pageNo) && pageNo >= 1 && pageNo <= doc.numPages ? renderPage(doc, pageNo, longSide) : null));
}

type PdfDocument = Awaited<ReturnType<typeof import('pdfjs-dist/legacy/build/pdf.mjs').getDocument>['promise']>;

async function withPdf<T>(bytes: Buffer, use: (doc: PdfDocument) => Promise<T>): Promise<T> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    standardFontDataUrl: path.join(pdfjsDir, 'standard_fonts') + path.sep,
    cMapUrl: path.join(pdfjsDir, 'cmaps') + path.sep,
    cMapPacked: true,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (e) {
    if ((e as Error).name === 'PasswordException') {
      fail({ code: 'encrypted' });
    }
    throw e;
  }
  try {
    return await use(doc);
  } finally {
    await doc.destroy();
  }
}

async function renderPage(doc: PdfDocument, n: number, longSide: number): Promise<GrayImage> {
  const { width, height, rgba } = await drawPage(doc, n, (w, h) => longSide / Math.max(w, h));
  return grayFromPixels(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height, 4);
}

/** A page drawn on white in colour (RGBA), at the scale `scaleFor` gives for its size in points. */
async function drawPage(doc: PdfDocument, n: number, scaleFor: (width: number, height: number) => number): Promise<{ width: number; height: number; rgba: Uint8ClampedArray }> {
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: scaleFor(base.width, base.height) });
  const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  page.cleanup();
  return { width: canvas.width, height: canvas.height, rgba };
}

/** Page `n` (from 1) of a PDF in colour, `pointsScale` pixels to the point, as pdf.js draws it (for measuring what is printed). */
export async function renderPdfPageColour(bytes: Buffer, n: number, pointsScale: number): Promise<{ width: number; height: number; rgba: Uint8ClampedArray }> {
  return withPdf(bytes, (doc) => drawPage(doc, n, () => pointsScale));
}
