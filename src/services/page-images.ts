/** Pictures of a case's scanned pages for the case page on screen, upright, cached on disk. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../adapters/files/fs-safe.js';
import { embeddedPageJpegs } from '../adapters/pdf-lib/embedded-jpegs.js';
import { renderPdfPage } from '../adapters/pdfjs/render-pages.js';
import { encodeJpeg } from '../adapters/sharp/image.js';
import { uprightJpeg } from '../adapters/sharp/page-image.js';
import type { CaseDetail } from '../domain/case.js';
import type { ServiceContext } from './context.js';

/** The only widths made: any asked-for width maps to one, so the cache holds few files per page. */
export const PAGE_IMAGE_WIDTHS = [480, 960, 1600] as const;

/** The smallest allowed width at or above the one asked for, else the largest. */
export function pageImageWidth(requested: number): number {
  return PAGE_IMAGE_WIDTHS.find((w) => w >= requested) ?? Math.max(...PAGE_IMAGE_WIDTHS);
}

export class PageImageService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Page `pageNo` (from 1) of the case's scan as a JPEG about `width` wide, turned as the searchable
   * PDF shows it; null when the case has no searchable PDF or no such page.
   */
  async pageImage(c: CaseDetail, pageNo: number, width: number): Promise<Buffer | null> {
    const doc = c.documents.find((d) => d.role === 'searchable');
    const page = Number.isInteger(pageNo) && pageNo >= 1 ? c.pages[pageNo - 1] : undefined;
    if (!doc || !page) return null;
    const w = pageImageWidth(width);
    // Named by the PDF's hash: a new searchable PDF never shows an old picture.
    const file = path.join(this.ctx.paths.pageCache, `${doc.sha256}-${pageNo}-${w}.jpg`);
    const cached = await readIfThere(file);
    if (cached) return cached;

    const pdf = await fs.readFile(this.ctx.paths.absolute(doc.path));
    const embedded = await embeddedPageJpegs(pdf);
    // Our searchable PDFs are one JPEG per page; anything else is not ours to guess at.
    if (!embedded) throw new Error(`${doc.path}: not one JPEG per page`);
    const jpeg = embedded[pageNo - 1];
    if (!jpeg) return null;
    const image = await uprightJpeg(jpeg.jpeg, page.rotation, page.skew, w);
    await fs.mkdir(this.ctx.paths.pageCache, { recursive: true });
    // Atomic: two requests for the same page may race, and a reader must never get half a file.
    await writeFileAtomic(file, image);
    return image;
  }

  /**
   * Page `pageNo` of one of the case's PDF documents (a signed sheet come back, a notice issued) as
   * it prints, for showing beside a form; null when that document is not a PDF or has no such page.
   */
  async documentPageImage(c: CaseDetail, index: number, pageNo: number, width: number): Promise<Buffer | null> {
    const doc = Number.isInteger(index) ? c.documents[index] : undefined;
    if (!doc || !doc.path.toLowerCase().endsWith('.pdf') || !Number.isInteger(pageNo) || pageNo < 1) return null;
    const w = pageImageWidth(width);
    const file = path.join(this.ctx.paths.pageCache, `${doc.sha256}-${pageNo}-${w}-rendered.jpg`);
    const cached = await readIfThere(file);
    if (cached) return cached;
    // An A4 page w wide is w·√2 tall: the long side asked of the renderer.
    const page = await renderPdfPage(await fs.readFile(this.ctx.paths.absolute(doc.path)), pageNo, Math.round(w * Math.SQRT2));
    if (!page) return null;
    const image = await encodeJpeg(page, 80);
    await fs.mkdir(this.ctx.paths.pageCache, { recursive: true });
    await writeFileAtomic(file, image);
    return image;
  }
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
