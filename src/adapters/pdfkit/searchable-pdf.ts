import { pdfaDocument } from './pdf-document.js';
import type { KeptImage } from '../../ports/image.js';
import type { OcrLine } from '../../ports/ocr.js';
import { defaultSansFont } from '../fonts/font-files.js';
import { fontFace } from './fonts.js';

export interface SearchablePage {
  /** The scan as kept, in its own orientation. */
  kept: KeptImage;
  /** Size of the image that was read (same orientation as the scan). */
  readSize: { width: number; height: number };
  /** The upright frame the lines are in, and how the read image was turned into it. */
  uprightSize: { width: number; height: number };
  /** Total clockwise turn in degrees: quarter turns plus levelling. */
  turn: number;
  lines: OcrLine[];
}

const A4_WIDTH_PT = 595.28;

/**
 * The letter's archival copy: each scan, turned upright on its page, with the OCR text laid
 * invisibly over the lines it came from, so the PDF can be searched and its text copied. PDF/A-2b.
 * The scan is placed with a PDF transform rather than re-encoded, so its pixels stay the scanner's.
 */
export async function buildSearchablePdf(pages: SearchablePage[], title: string, createdAt: Date): Promise<Buffer> {
  const { doc, bytes } = pdfaDocument({ autoFirstPage: false, tagged: false } as PDFKit.PDFDocumentOptions, { Title: title, CreationDate: createdAt });
  doc.registerFont('cjk', fontFace(defaultSansFont()));
  for (const page of pages) {
    // Page coordinates: the upright frame, scaled so its width is A4's.
    const scale = A4_WIDTH_PT / page.uprightSize.width;
    doc.addPage({ size: [A4_WIDTH_PT, page.uprightSize.height * scale], margin: 0 });
    placeScan(doc, page, scale);
    doc.font('cjk');
    for (const line of page.lines) placeInvisibleLine(doc, line, scale);
  }
  doc.end();
  return bytes;
}

/** Turning about the centre maps the read image's centre onto the upright frame's centre. */
function placeScan(doc: PDFKit.PDFDocument, page: SearchablePage, scale: number): void {
  doc.save();
  doc.translate((page.uprightSize.width / 2) * scale, (page.uprightSize.height / 2) * scale);
  if (page.turn % 360 !== 0) doc.rotate(page.turn);
  const width = page.readSize.width * scale;
  const height = page.readSize.height * scale;
  doc.image(page.kept.jpeg, -width / 2, -height / 2, { width, height });
  doc.restore();
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
