import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { XinfangError } from '../../domain/problems.js';
import { toGray, type GrayImage } from '../sharp/image.js';
import sharp from 'sharp';
import { checkPageCount, type DecodeLimits } from '../../services/intake/limits.js';

const require = createRequire(import.meta.url);
const pdfjsDir = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Renders each page of a scanner PDF with pdf.js, at the size we keep pages at. */
export async function renderPdfPages(bytes: Buffer, limits: DecodeLimits): Promise<GrayImage[]> {
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
      throw new XinfangError('encrypted', 'PDF 文件设了密码，无法打开。请去掉密码后重新放入收件箱。');
    }
    throw e;
  }
  try {
    checkPageCount(doc.numPages, limits);
    const pages: GrayImage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = limits.archiveLongSide / Math.max(base.width, base.height);
      const viewport = page.getViewport({ scale });
      const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
      const rgba = Buffer.from(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
      pages.push(await toGray(sharp(rgba, { raw: { width: canvas.width, height: canvas.height, channels: 4 } }).removeAlpha()));
      page.cleanup();
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
