import { PDFDict, PDFDocument, PDFName, PDFArray, PDFRawStream } from 'pdf-lib';

export interface EmbeddedPageImage {
  jpeg: Buffer;
  /** The page's /Rotate, clockwise degrees. */
  rotate: number;
}

/**
 * Most scanner PDFs are one JPEG per page. When every page is exactly that, hand back the JPEGs
 * as they are: no rendering, no loss, and several times faster than drawing the page. Otherwise
 * undefined, and the caller renders the pages.
 */
export async function embeddedPageJpegs(bytes: Buffer): Promise<EmbeddedPageImage[] | undefined> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  const result: EmbeddedPageImage[] = [];
  for (const page of doc.getPages()) {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    if (!xobjects) return undefined;
    const images = xobjects.keys().map((key) => xobjects.lookup(key));
    if (images.length !== 1) return undefined;
    const image = images[0];
    if (!(image instanceof PDFRawStream) || image.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return undefined;
    if (!isPlainDct(image.dict.lookup(PDFName.of('Filter')))) return undefined;
    result.push({ jpeg: Buffer.from(image.contents), rotate: page.getRotation().angle });
  }
  return result;
}

function isPlainDct(filter: unknown): boolean {
  if (filter === PDFName.of('DCTDecode')) return true;
  return filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === PDFName.of('DCTDecode');
}
