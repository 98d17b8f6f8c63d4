import { qrMatrix } from '../qr/qr-writer.js';
import type { FontFaces } from '../fonts/font-files.js';
import { fontFace } from './fonts.js';
import { A4, OFFICIAL_PAGE, MM, pageNumberText, QR_BOX, SIZE } from '../../domain/page.js';
import { pdfaDocument } from './pdf-document.js';
import { writingRanks, type FilledDocument, type DocumentHead } from '../../domain/issued-document.js';

const RED = '#E60012';

/**
 * A document the office issues, in the letter form (信函格式) of GB/T 9704: red issuer mark and red double rule at the
 * top, the number at the right under it, the title in 小标宋, the body in 仿宋 at 22 lines of 28
 * characters, issuer and date at the bottom right with room for the seal, no page number on the
 * first page and `— n —` on the others (odd right, even left). PDF/A-2b with the fonts embedded.
 */
export async function issuedPdf(document: FilledDocument, head: DocumentHead, faces: FontFaces, createdAt: Date): Promise<Buffer> {
  const g = OFFICIAL_PAGE;
  const { doc, bytes } = pdfaDocument(
    {
      size: [A4.width, A4.height],
      margins: { top: g.top, left: g.left, right: A4.width - g.left - g.width, bottom: A4.height - g.top - g.height },
      bufferPages: true,
    },
    { Title: document.title, Author: head.issuer, CreationDate: createdAt },
  );
  doc.registerFont('body', fontFace(faces.body));
  doc.registerFont('title', fontFace(faces.title));
  doc.registerFont('heading', fontFace(faces.heading));
  doc.registerFont('kai', fontFace(faces.kai));

  const pitch = g.height / g.lines;
  const spacing = g.width / g.chars - SIZE.三号;
  doc.font('body').fontSize(SIZE.三号);
  const bodyGap = pitch - doc.currentLineHeight();
  const bodyOptions = { width: g.width, lineGap: bodyGap, characterSpacing: spacing };

  let y = g.top;
  if (!head.form) {
    // Letterhead: issuer mark 30 mm from the top edge, red double rule (thick over thin), number below.
    doc.font('title').fontSize(SIZE.二号 * 1.3).fillColor(RED);
    doc.text(head.issuer, g.left, 30 * MM - 10 * MM, { width: g.width, align: 'center', characterSpacing: 4 });
    const ruleY = doc.y + 3 * MM;
    doc.save().strokeColor(RED).lineWidth(1.2).moveTo(g.left - 7 * MM, ruleY).lineTo(g.left + g.width + 7 * MM, ruleY).stroke();
    doc.lineWidth(0.4).moveTo(g.left - 7 * MM, ruleY + 1.6).lineTo(g.left + g.width + 7 * MM, ruleY + 1.6).stroke().restore();
    doc.fillColor('black').font('body').fontSize(SIZE.三号);
    doc.text(head.docNumber, g.left, ruleY + 3 * MM, { width: g.width - SIZE.三号, align: 'right' });
    y = Math.max(doc.y + pitch, g.top);
  }
  doc.font('title').fontSize(SIZE.二号).fillColor('black');
  doc.text(document.title, g.left, y, { width: g.width, align: 'center', lineGap: pitch - doc.currentLineHeight() });
  doc.moveDown(0.6);
  doc.font('body').fontSize(SIZE.三号);
  if (document.addressee) doc.text(`${document.addressee}：`, g.left, doc.y, bodyOptions);
  if (head.form) formRows(doc, document, pitch);
  else {
    for (const paragraph of document.paragraphs) {
      doc.font(paragraph.heading ? 'heading' : paragraph.subheading ? 'kai' : 'body').fontSize(SIZE.三号);
      doc.text(paragraph.text, g.left, doc.y, { ...bodyOptions, indent: 2 * (SIZE.三号 + spacing) });
    }
    signature(doc, head, pitch, bodyOptions);
  }

  const range = doc.bufferedPageRange();
  if (head.code) {
    const matrix = qrMatrix(head.code);
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      drawQr(doc, matrix);
    }
  }
  for (let i = 1; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const number = i + 1;
    const text = pageNumberText(number);
    doc.font('body').fontSize(SIZE.四号);
    const width = doc.widthOfString(text);
    const x = number % 2 === 1 ? g.left + g.width - SIZE.四号 - width : g.left + SIZE.四号;
    // Written inside the page's margin box would start a new page; lift the margin while drawing.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(text, x, g.top + g.height + 7 * MM, { lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return bytes;
}

/**
 * A form (the instruction sheet) as ruled rows, one per paragraph of its template. The rows left
 * for handwriting (see writingRanks) share the rest of the page, the first taking the most.
 */
function formRows(doc: PDFKit.PDFDocument, document: FilledDocument, pitch: number): void {
  const g = OFFICIAL_PAGE;
  const pad = 2 * MM;
  doc.font('body').fontSize(SIZE.三号);
  const rows = document.paragraphs;
  const ranks = writingRanks(document);
  const heights = rows.map((r) => Math.max(pitch, doc.heightOfString(r.text, { width: g.width - 2 * pad }) + 2 * pad));
  const top = doc.y;
  const spare = g.top + g.height - top - heights.reduce((a, b) => a + b, 0);
  const weights = ranks.map((rank): number => (rank === null ? 0 : rank === 0 ? 3 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  if (spare > 0 && total > 0) weights.forEach((w, i) => (heights[i]! += (spare * w) / total));
  let y = top;
  rows.forEach((row, i) => {
    const h = heights[i]!;
    if (y + h > g.top + g.height + 1 && y > top) {
      doc.addPage();
      y = g.top;
    }
    doc.save().lineWidth(0.8).rect(g.left, y, g.width, h).stroke().restore();
    doc.text(row.text, g.left + pad, y + pad, { width: g.width - 2 * pad, lineBreak: true });
    y += h;
  });
  doc.y = y;
}

/** The QR code as vector squares, crisp at any printer's resolution. */
function drawQr(doc: PDFKit.PDFDocument, matrix: ReturnType<typeof qrMatrix>): void {
  const cell = QR_BOX.size / matrix.size;
  const x0 = A4.width - QR_BOX.right - QR_BOX.size;
  const y0 = QR_BOX.top;
  doc.save().fillColor('black');
  // Runs of dark modules as one rectangle each: no hairline seams between neighbours.
  for (let y = 0; y < matrix.size; y++) {
    for (let x = 0; x < matrix.size; x++) {
      if (!matrix.dark(x, y)) continue;
      let end = x;
      while (end + 1 < matrix.size && matrix.dark(end + 1, y)) end++;
      doc.rect(x0 + x * cell, y0 + y * cell, (end - x + 1) * cell, cell);
      x = end;
    }
  }
  doc.fill().restore();
}

/** Issuer and date at the right, the date four characters in from the edge, room around them for the seal. */
function signature(doc: PDFKit.PDFDocument, head: DocumentHead, pitch: number, options: PDFKit.Mixins.TextOptions): void {
  const g = OFFICIAL_PAGE;
  // The signature must not stand alone on a page (GB/T 9704 7.3.5): close the gap above it
  // before turning the page; only when not even two lines are left does it move on.
  const bottom = g.top + g.height;
  let top = doc.y + 2 * pitch;
  if (top + 2 * pitch > bottom) top = bottom - 2 * pitch;
  if (top < doc.y) {
    doc.addPage();
    top = g.top;
  }
  const indent = 4 * SIZE.三号;
  doc.font('body').fontSize(SIZE.三号);
  const dateWidth = doc.widthOfString(head.date);
  const issuerWidth = doc.widthOfString(head.issuer);
  const dateX = g.left + g.width - indent - dateWidth;
  const issuerX = dateX + dateWidth / 2 - issuerWidth / 2;
  doc.text(head.issuer, Math.min(issuerX, g.left + g.width - issuerWidth), top, { ...options, width: undefined, lineBreak: false });
  doc.text(head.date, dateX, top + pitch, { ...options, width: undefined, lineBreak: false });
}
