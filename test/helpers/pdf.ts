import { readFileSync } from 'node:fs';

/** Reads a PDF (a file or its bytes) back as a reader would: its pages' sizes and text, through pdf.js. */
export async function readPdf(file: string | Buffer): Promise<{ pages: { width: number; height: number; text: string; items: { str: string; x: number; y: number }[] }[]; raw: Buffer }> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const raw = typeof file === 'string' ? readFileSync(file) : file;
  const doc = await getDocument({ data: new Uint8Array(raw), isEvalSupported: false, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const text = content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : '') : '')).join('');
    // Each run of text with where it starts, y measured down from the top of the page.
    const items = content.items.flatMap((i) => ('str' in i && i.str ? [{ str: i.str, x: i.transform[4] as number, y: viewport.height - (i.transform[5] as number) }] : []));
    pages.push({ width: viewport.width, height: viewport.height, text, items });
  }
  await doc.destroy();
  return { pages, raw };
}
