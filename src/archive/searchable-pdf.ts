import PDFDocument from 'pdfkit';
import { defaultSansFont } from '../render/fonts.js';
import type { OcrLine } from '../ocr/engine.js';

export interface SearchablePage {
  /** The page image as kept (JPEG), upright. */
  jpeg: Buffer;
  width: number;
  height: number;
  /** Lines with boxes in the pixels of `width` × `height`. */
  lines: OcrLine[];
}

const A4_WIDTH_PT = 595.28;

/**
 * The letter's archival copy: each scanned page as an image with the OCR text laid invisibly
 * over the lines it came from, so the PDF can be searched and its text copied. PDF/A-2b.
 */
export async function buildSearchablePdf(pages: SearchablePage[], title: string, createdAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    lang: 'zh-CN',
    tagged: false,
    info: { Title: title, Creator: 'xinfang', Producer: 'xinfang', CreationDate: createdAt, ModDate: createdAt },
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('cjk', defaultSansFont());
  for (const page of pages) {
    const scale = A4_WIDTH_PT / page.width;
    const pageHeight = page.height * scale;
    doc.addPage({ size: [A4_WIDTH_PT, pageHeight], margin: 0 });
    doc.image(page.jpeg, 0, 0, { width: A4_WIDTH_PT, height: pageHeight });
    doc.font('cjk');
    for (const line of page.lines) placeInvisibleLine(doc, line, scale);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function placeInvisibleLine(doc: PDFKit.PDFDocument, line: OcrLine, scale: number): void {
  const [left, top, right, bottom] = line.box;
  const width = (right - left) * scale;
  const height = (bottom - top) * scale;
  if (width <= 0 || height <= 0 || !line.text) return;
  const fontSize = height * 0.8;
  doc.fontSize(fontSize);
  const natural = doc.widthOfString(line.text);
  const stretch = natural > 0 ? Math.max(10, Math.min(1000, (width / natural) * 100)) : 100;
  doc.save();
  // Text render mode 3: neither filled nor stroked, the usual invisible OCR layer.
  doc.addContent('3 Tr');
  doc.text(line.text, left * scale, top * scale + height * 0.1, { lineBreak: false, horizontalScaling: stretch } as PDFKit.Mixins.TextOptions);
  doc.restore();
}
