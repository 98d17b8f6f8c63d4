import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFPage } from 'pdf-lib';
import { compactGrayJpeg } from '../sharp/image.js';
import type { OverlayPage } from '../pdfkit/volume-pages.js';
import { overlay } from '../pdfkit/volume-pages.js';
import type { FontFaces } from '../fonts/font-files.js';

/** A part of a volume: front matter, a paper, back matter. */
export interface VolumePart {
  /** Loaded with `loadPdf`; the caller may have read its page count already. */
  pdf: PDFDocument;
  /** The PDF bookmark for the part; none for filler. */
  bookmark: string | null;
  /** Papers are numbered and stamped; front and back matter are not. */
  paper: boolean;
  /** The filing stamp for the paper's first page. */
  stamp?: OverlayPage['stamp'];
}

export interface ScanCompression {
  longSide: number;
  quality: number;
}

export interface ComposedVolume {
  bytes: Buffer;
  pages: number;
  /** Pages that carry a paper's content, numbered 1… */
  numberedPages: number;
  /** Bytes of the scanned images after compression, and how many there are. */
  scanBytes: number;
  scanPages: number;
}

/**
 * Puts a volume together with pdf-lib: the first part (our PDF/A front matter) is the base, so its
 * XMP metadata and output intent stay; each part begins on a front page (a blank back is added
 * before it when needed) for double-sided printing; scans are brought to grayscale at the set
 * resolution; page numbers and filing stamps are drawn over the papers from an overlay rendered
 * with our fonts; each part gets a bookmark.
 */
export async function composeVolume(parts: VolumePart[], faces: FontFaces, scans: ScanCompression | null): Promise<ComposedVolume> {
  const [first, ...rest] = parts;
  if (!first) throw new Error('a volume needs its front matter');
  const base = first.pdf;
  const marks: { title: string; page: number }[] = first.bookmark ? [{ title: first.bookmark, page: 0 }] : [];
  const overlays: (OverlayPage & { index: number })[] = [];
  let number = 0;
  let scanBytes = 0;
  let scanPages = 0;
  for (const part of rest) {
    if (base.getPageCount() % 2 === 1) base.addPage([595.28, 841.89]);
    const src = part.pdf;
    if (scans && part.paper) {
      const compacted = await compactScans(src, scans);
      scanBytes += compacted.bytes;
      scanPages += compacted.images;
    }
    const copied = await base.copyPages(src, src.getPageIndices());
    const start = base.getPageCount();
    if (part.bookmark) marks.push({ title: part.bookmark, page: start });
    copied.forEach((page, i) => {
      base.addPage(page);
      if (!part.paper) return;
      const { width, height } = page.getSize();
      number++;
      overlays.push({ index: start + i, width, height, number: { value: number, front: (start + i) % 2 === 0 }, stamp: i === 0 ? part.stamp : undefined });
    });
  }
  if (base.getPageCount() % 2 === 1) base.addPage([595.28, 841.89]);
  if (overlays.length) {
    const embedded = await base.embedPdf(await overlay(overlays, faces), overlays.map((_, i) => i));
    overlays.forEach((o, i) => base.getPage(o.index).drawPage(embedded[i]!, { x: 0, y: 0, width: o.width, height: o.height }));
  }
  addOutline(base, marks);
  const bytes = Buffer.from(await base.save({ useObjectStreams: false, updateFieldAppearances: false }));
  return { bytes, pages: base.getPageCount(), numberedPages: number, scanBytes, scanPages };
}

/** A PDF as pdf-lib reads it, its metadata left as written (so a PDF/A front matter stays PDF/A). */
export function loadPdf(bytes: Buffer): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

/** Copies whole volumes (each already numbered and stamped) into one, with a bookmark per volume. */
export async function concatenate(front: Buffer, volumes: { pdf: Buffer; bookmark: string }[]): Promise<{ bytes: Buffer; pages: number }> {
  const base = await loadPdf(front);
  const marks: { title: string; page: number }[] = [];
  for (const v of volumes) {
    if (base.getPageCount() % 2 === 1) base.addPage([595.28, 841.89]);
    const src = await loadPdf(v.pdf);
    marks.push({ title: v.bookmark, page: base.getPageCount() });
    for (const page of await base.copyPages(src, src.getPageIndices())) base.addPage(page);
  }
  addOutline(base, marks);
  const bytes = Buffer.from(await base.save({ useObjectStreams: false, updateFieldAppearances: false }));
  return { bytes, pages: base.getPageCount() };
}

/**
 * Brings the JPEG scans of a document to grayscale at the set long side and quality, keeping
 * the original where it is already smaller. Text stays sharp at 200 dpi; an A4 page comes to
 * about 100–150 KB instead of the scanner's colour megabytes.
 */
async function compactScans(doc: PDFDocument, target: ScanCompression): Promise<{ bytes: number; images: number }> {
  let bytes = 0;
  let images = 0;
  const seen = new Set<string>();
  for (const page of doc.getPages()) {
    for (const ref of imageRefs(page)) {
      if (seen.has(ref.toString())) continue;
      seen.add(ref.toString());
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const filter = stream.dict.get(PDFName.of('Filter'));
      if (!(filter instanceof PDFName) || filter.asString() !== '/DCTDecode') continue;
      const original = Buffer.from(stream.contents);
      const { jpeg: data, ...info } = await compactGrayJpeg(original, target.longSide, target.quality);
      images++;
      if (data.length >= original.length) {
        bytes += original.length;
        continue;
      }
      const dict = doc.context.obj({
        Type: 'XObject',
        Subtype: 'Image',
        Width: info.width,
        Height: info.height,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
        Filter: 'DCTDecode',
        Length: data.length,
      });
      doc.context.assign(ref, PDFRawStream.of(dict, data));
      bytes += data.length;
    }
  }
  return { bytes, images };
}

function imageRefs(page: PDFPage): PDFRef[] {
  const resources = page.node.Resources();
  const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects) return [];
  const refs: PDFRef[] = [];
  for (const [, value] of xobjects.entries()) {
    if (!(value instanceof PDFRef)) continue;
    const obj = page.doc.context.lookup(value);
    if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')) refs.push(value);
  }
  return refs;
}

/** One bookmark per part, flat, opening the bookmarks pane when the volume is opened. */
function addOutline(doc: PDFDocument, marks: { title: string; page: number }[]): void {
  if (marks.length === 0) return;
  const ctx = doc.context;
  const outlinesRef = ctx.nextRef();
  const refs = marks.map(() => ctx.nextRef());
  marks.forEach((mark, i) => {
    const item = ctx.obj({}) as PDFDict;
    item.set(PDFName.of('Title'), PDFHexString.fromText(mark.title));
    item.set(PDFName.of('Parent'), outlinesRef);
    item.set(PDFName.of('Dest'), ctx.obj([doc.getPage(mark.page).ref, 'Fit']) as PDFArray);
    if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
    if (i < marks.length - 1) item.set(PDFName.of('Next'), refs[i + 1]!);
    ctx.assign(refs[i]!, item);
  });
  const outlines = ctx.obj({ Type: 'Outlines' }) as PDFDict;
  outlines.set(PDFName.of('First'), refs[0]!);
  outlines.set(PDFName.of('Last'), refs[refs.length - 1]!);
  outlines.set(PDFName.of('Count'), PDFNumber.of(marks.length));
  ctx.assign(outlinesRef, outlines);
  doc.catalog.set(PDFName.of('Outlines'), outlinesRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
