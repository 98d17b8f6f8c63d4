/** A paper handed in as a file (the petitioner's request for review, the body's decision), as a PDF for the case's volume. */
import { PDFDocument } from 'pdf-lib';

export type PaperFormat = 'pdf' | 'jpeg' | 'png';

/** The format by the file's first bytes, not its name; null for anything else. */
export function paperFormat(bytes: Buffer): PaperFormat | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

/** The pages of a PDF paper; throws when pdf-lib cannot read it. */
export async function pdfPageCount(bytes: Buffer): Promise<number> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPageCount();
}

/** A photo or scan as one A4 page, the image fitted inside 10 mm margins, its proportions kept. */
export async function imagePaperPdf(bytes: Buffer, format: 'jpeg' | 'png', title: string, at: Date): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const image = format === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
  const [width, height] = [595.28, 841.89];
  const margin = 28.35;
  const scale = Math.min((width - 2 * margin) / image.width, (height - 2 * margin) / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  const page = doc.addPage([width, height]);
  page.drawImage(image, { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
