import { readFileSync } from 'node:fs';

export interface PdfTextItem {
  str: string;
  /** Where the run starts on its baseline, y measured down from the top of the page (points). */
  x: number;
  y: number;
  /** Its advance along the baseline and its font size, in points. */
  width: number;
  height: number;
  /** Set on the page's horizontal (not rotated) lines. */
  upright: boolean;
}

/** Reads a PDF (a file or its bytes) back as a reader would: its pages' sizes and text, through pdf.js. */
export async function readPdf(file: string | Buffer): Promise<{ pages: { width: number; height: number; text: string; items: PdfTextItem[] }[]; raw: Buffer }> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const raw = typeof file === 'string' ? readFileSync(file) : file;
  const doc = await getDocument({ data: new Uint8Array(raw), isEvalSupported: false, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const text = content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : '') : '')).join('');
    const items = content.items.flatMap((i) =>
      'str' in i && i.str
        ? [{ str: i.str, x: i.transform[4] as number, y: viewport.height - (i.transform[5] as number), width: i.width, height: i.height, upright: i.transform[1] === 0 && i.transform[2] === 0 && (i.transform[0] as number) > 0 }]
        : [],
    );
    pages.push({ width: viewport.width, height: viewport.height, text, items });
  }
  await doc.destroy();
  return { pages, raw };
}
