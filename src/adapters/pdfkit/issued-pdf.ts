import type { Font } from 'fontkit';
import { qrMatrix } from '../qr/qr-writer.js';
import type { FontFaces } from '../fonts/font-files.js';
import { fontFace } from './fonts.js';
import { A4, LETTER_FORM, OFFICIAL_PAGE, MM, pageNumberText, QR_BOX, SIZE } from '../../domain/page.js';
import { pdfaDocument } from './pdf-document.js';
import { rowLabel, writingRanks, type FilledDocument, type DocumentHead } from '../../domain/issued-document.js';

const RED = '#E60012';
/** Body lines carried over with the signature when it would otherwise stand alone on a page. */
const PULLED_LINES = 2;

type Doc = PDFKit.PDFDocument;

/**
 * A document the office issues, in the letter form (信函格式, GB/T 9704-2012 §10.1): red issuer mark
 * 30 mm from the top edge, a red double rule under it and another 20 mm above the bottom edge, the
 * number at the right under the first rule, the title in 小标宋, the body in 仿宋 at 22 lines of 28
 * characters, issuer and date at the bottom right with room for the seal, never alone on a page;
 * no page number on the first page and `— n —` on the others (odd right, even left). Forms (the
 * instruction sheet) are ruled rows instead. PDF/A-2b with the fonts embedded.
 */
export async function issuedPdf(document: FilledDocument, head: DocumentHead, faces: FontFaces, createdAt: Date): Promise<Buffer> {
  const open = () => openDocument(document, head, faces, createdAt);
  if (head.form) {
    const { doc, bytes } = open();
    formSheet(doc, document, faces);
    return finish(doc, bytes, head);
  }
  // Laid out once on a scratch document to see where the body ends; if the signature would then
  // start a page of its own, laid out again with the last body lines moved over to that page.
  const trial = open();
  const end = letter(trial.doc, document, head, faces, null);
  const pull = signatureTop(end.y) === null ? { page: end.page, maxY: end.y - PULLED_LINES * pitch() + 0.5 } : null;
  const { doc, bytes } = open();
  letter(doc, document, head, faces, pull);
  return finish(doc, bytes, head);
}

function pitch(): number {
  return OFFICIAL_PAGE.height / OFFICIAL_PAGE.lines;
}

function openDocument(document: FilledDocument, head: DocumentHead, faces: FontFaces, createdAt: Date) {
  const g = OFFICIAL_PAGE;
  const opened = pdfaDocument(
    {
      size: [A4.width, A4.height],
      margins: { top: g.top, left: g.left, right: A4.width - g.left - g.width, bottom: A4.height - g.top - g.height },
      bufferPages: true,
    },
    { Title: document.title, Author: head.issuer, CreationDate: createdAt },
  );
  const { doc } = opened;
  doc.registerFont('body', fontFace(faces.body));
  doc.registerFont('title', fontFace(faces.title));
  doc.registerFont('heading', fontFace(faces.heading));
  doc.registerFont('kai', fontFace(faces.kai));
  return opened;
}

/** Sets a font and size and returns the line gap that puts its lines on the 22-line pitch. */
function setFont(doc: Doc, name: string, size: number): number {
  doc.font(name).fontSize(size);
  return pitch() - doc.currentLineHeight(true);
}

function currentPage(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

/**
 * The letter: letterhead, title, addressee, body, signature. `pull` shortens the text area of one
 * page so that its last body lines go on to the next page with the signature. Returns where the
 * body ended.
 */
function letter(doc: Doc, document: FilledDocument, head: DocumentHead, faces: FontFaces, pull: { page: number; maxY: number } | null): { page: number; y: number } {
  const g = OFFICIAL_PAGE;
  if (pull) {
    const shorten = () => {
      if (currentPage(doc) === pull.page && pull.maxY > g.top + pitch()) doc.page.margins.bottom = A4.height - pull.maxY;
    };
    shorten();
    doc.on('pageAdded', shorten);
  }
  const spacing = g.width / g.chars - SIZE.三号;
  const numberBottom = letterhead(doc, head, faces);

  // The title two lines below the number (§10.1), the addressee one line below the title.
  let lineGap = setFont(doc, 'title', SIZE.二号);
  doc.fillColor('black').text(document.title, g.left, numberBottom + 2 * pitch(), { width: g.width, align: 'center', lineGap });
  doc.y += pitch();
  lineGap = setFont(doc, 'body', SIZE.三号);
  if (document.addressee) doc.text(`${document.addressee}：`, g.left, doc.y, { width: g.width, lineGap, characterSpacing: spacing });
  for (const paragraph of document.paragraphs) {
    lineGap = setFont(doc, paragraph.heading ? 'heading' : paragraph.subheading ? 'kai' : 'body', SIZE.三号);
    doc.text(paragraph.text, g.left, doc.y, { width: g.width, lineGap, characterSpacing: spacing, indent: 2 * (SIZE.三号 + spacing) });
  }
  const end = { page: currentPage(doc), y: doc.y };
  doc.page.margins.bottom = A4.height - g.top - g.height;
  let top = signatureTop(end.y);
  if (top === null) {
    // Only when no lines could be carried over (never with a real letter).
    doc.addPage();
    top = g.top;
  }
  signature(doc, head, top);
  return end;
}

/**
 * Where the issuer line goes below a body ending at `bodyEnd`: two empty lines above it for the
 * seal, one when the page is short, null when the issuer and date no longer fit on the page.
 */
function signatureTop(bodyEnd: number): number | null {
  const bottom = OFFICIAL_PAGE.top + OFFICIAL_PAGE.height + 0.5;
  for (const gap of [2, 1]) if (bodyEnd + (gap + 2) * pitch() <= bottom) return bodyEnd + gap * pitch();
  return null;
}

/** How far a line of text inks above and below its baseline, in points, from the glyphs themselves. */
function inkOf(file: string, text: string, size: number): { above: number; below: number } {
  const font = fontFace(file) as unknown as Font;
  const glyphs = font.layout(text).glyphs;
  const scale = size / font.unitsPerEm;
  const top = Math.max(...glyphs.map((gl) => gl.bbox.maxY));
  const bottom = Math.min(...glyphs.map((gl) => gl.bbox.minY));
  return { above: top * scale, below: -bottom * scale };
}

/**
 * The letterhead of §10.1 on the first page: the issuer mark with its top edge 30 mm from the top
 * edge of the page, a red double rule (thick over thin) 4 mm under it and one (thin over thick)
 * 20 mm above the bottom edge, both 170 mm long and centred on the text block; the number flush
 * with the right edge of the text block, 7/8 of a 三号 character below the first rule. Returns the
 * bottom of the number's line.
 */
function letterhead(doc: Doc, head: DocumentHead, faces: FontFaces): number {
  const g = OFFICIAL_PAGE;
  const f = LETTER_FORM;
  doc.font('title').fontSize(f.markSize);
  const markInk = inkOf(faces.title, head.issuer, f.markSize);
  const markBaseline = f.markTop + markInk.above;
  const markWidth = doc.widthOfString(head.issuer, { characterSpacing: f.markSpacing }) - f.markSpacing;
  doc.fillColor(RED).text(head.issuer, g.left + (g.width - markWidth) / 2, markBaseline, { baseline: 'alphabetic', lineBreak: false, characterSpacing: f.markSpacing });

  const ruleTop = markBaseline + markInk.below + f.ruleGap;
  const ruleBottom = doubleRule(doc, ruleTop, 'thick-over-thin');
  doubleRule(doc, A4.height - f.bottomRule - f.ruleThick - f.ruleSpace - f.ruleThin, 'thin-over-thick');

  doc.font('body').fontSize(SIZE.三号).fillColor('black');
  const numberInk = inkOf(faces.body, head.docNumber, SIZE.三号);
  const numberBaseline = ruleBottom + (7 / 8) * SIZE.三号 + numberInk.above;
  const numberWidth = doc.widthOfString(head.docNumber);
  doc.text(head.docNumber, g.left + g.width - numberWidth, numberBaseline, { baseline: 'alphabetic', lineBreak: false });
  return numberBaseline + numberInk.below;
}

/** A red double rule 170 mm long, centred on the text block, its top edge at `top`; returns its bottom edge. */
function doubleRule(doc: Doc, top: number, order: 'thick-over-thin' | 'thin-over-thick'): number {
  const f = LETTER_FORM;
  const g = OFFICIAL_PAGE;
  const left = g.left + g.width / 2 - f.ruleLength / 2;
  const [first, second] = order === 'thick-over-thin' ? [f.ruleThick, f.ruleThin] : [f.ruleThin, f.ruleThick];
  // Filled bands rather than stroked lines: the edges are where the numbers say, at any width.
  doc.save().fillColor(RED);
  doc.rect(left, top, f.ruleLength, first).fill();
  doc.rect(left, top + first + f.ruleSpace, f.ruleLength, second).fill();
  doc.restore();
  return top + first + f.ruleSpace + second;
}

/** QR codes on every page, page numbers from the second page on, then the bytes. */
function finish(doc: Doc, bytes: Promise<Buffer>, head: DocumentHead): Promise<Buffer> {
  const g = OFFICIAL_PAGE;
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
    doc.font('body').fontSize(SIZE.四号).fillColor('black');
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
 * A form (the instruction sheet): the office's name above the title, then ruled rows, one per
 * paragraph of its template. The rows left for handwriting (see writingRanks) share the rest of
 * the page, the first taking the most; their height is worked out from their labels alone, so a
 * filled sheet keeps the same room to write and sign as the blank one.
 */
function formSheet(doc: Doc, document: FilledDocument, faces: FontFaces): void {
  const g = OFFICIAL_PAGE;
  if (document.masthead) {
    // In the line above the text block, clear of the QR code at the top right.
    setFont(doc, 'title', SIZE.三号);
    const ink = inkOf(faces.title, document.masthead, SIZE.三号);
    const baseline = g.top - 0.5 * pitch() + (ink.above - ink.below) / 2;
    const x = g.left + (g.width - doc.widthOfString(document.masthead)) / 2;
    doc.fillColor('black').text(document.masthead, x, baseline, { baseline: 'alphabetic', lineBreak: false });
  }
  const lineGap = setFont(doc, 'title', SIZE.二号);
  doc.text(document.title, g.left, g.top, { width: g.width, align: 'center', lineGap });
  doc.y += 0.6 * pitch();
  const pad = 2 * MM;
  setFont(doc, 'body', SIZE.三号);
  const rows = document.paragraphs;
  const ranks = writingRanks(document);
  const textHeight = (text: string) => Math.max(pitch(), doc.heightOfString(text, { width: g.width - 2 * pad }) + 2 * pad);
  const heights = rows.map((r, i) => textHeight(ranks[i] === null ? r.text : rowLabel(r.text)));
  const top = doc.y;
  const spare = g.top + g.height - top - heights.reduce((a, b) => a + b, 0);
  const weights = ranks.map((rank): number => (rank === null ? 0 : rank === 0 ? 3 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  if (spare > 0 && total > 0) weights.forEach((w, i) => (heights[i]! += (spare * w) / total));
  // What is typed in a writing row takes its top; a row only grows when the text needs more.
  rows.forEach((r, i) => (heights[i] = Math.max(heights[i]!, textHeight(r.text))));
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
function drawQr(doc: Doc, matrix: ReturnType<typeof qrMatrix>): void {
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

/** Issuer and date at the right, the date four characters in from the edge, the issuer centred over it (GB/T 9704 7.3.5.2). */
function signature(doc: Doc, head: DocumentHead, top: number): void {
  const g = OFFICIAL_PAGE;
  const indent = 4 * SIZE.三号;
  setFont(doc, 'body', SIZE.三号);
  doc.fillColor('black');
  const dateWidth = doc.widthOfString(head.date);
  const issuerWidth = doc.widthOfString(head.issuer);
  const dateX = g.left + g.width - indent - dateWidth;
  const issuerX = dateX + dateWidth / 2 - issuerWidth / 2;
  doc.text(head.issuer, Math.min(issuerX, g.left + g.width - issuerWidth), top, { lineBreak: false });
  doc.text(head.date, dateX, top + pitch(), { lineBreak: false });
}
