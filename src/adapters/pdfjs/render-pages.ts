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
    if (doc.numPages > limits.maxPages) fail({ code: 'too-many-pages', max: limits.maxPages, pages: doc.numPages });
    const pages: GrayImage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = limits.longSide / Math.max(base.width, base.height);
      const viewport = page.getViewport({ scale });
      const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
      const rgba = Buffer.from(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
      pages.push(await grayFromPixels(rgba, canvas.width, canvas.height, 4));
      page.cleanup();
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
