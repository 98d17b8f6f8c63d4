import type { FontFaces } from '../fonts/font-files.js';
import { fontFace } from './fonts.js';
import { A4, MM, SIZE } from '../../domain/page.js';
import { pdfaDocument } from './pdf-document.js';
import type { FitColumn } from '../../domain/table-fit.js';
import { drawTable } from './pdf-table.js';

/** One line of a contents list. */
export interface ContentsRow {
  cells: string[];
}

export interface TablePage {
  title: string;
  /** Lines under the title (e.g. 档号). */
  subtitle?: string;
  columns: readonly FitColumn[];
  rows: ContentsRow[];
}

export interface CoverInfo {
  heading: string;
  fields: [string, string][];
}

export interface RecordSheet {
  notes: string[];
  compiler: string;
  compiledOn: string;
}

const RED = '#E60012';
const MARGIN = { top: 30 * MM, left: 28 * MM, right: 20 * MM, bottom: 25 * MM };

/**
 * The sheets a volume adds around its papers, as one PDF/A: cover, contents list, then, when
 * asked, a blank back so the papers begin on a front page. Returns the bytes and the page count.
 */
export async function frontMatter(cover: CoverInfo, contents: TablePage, faces: FontFaces, title: string, at: Date): Promise<Buffer> {
  const { doc, bytes } = pdfaDocument({ size: [A4.width, A4.height], margins: MARGIN, bufferPages: true }, { Title: title, CreationDate: at });
  register(doc, faces);
  drawCover(doc, cover);
  doc.addPage();
  drawContents(doc, contents);
  padToEven(doc);
  doc.end();
  return bytes;
}

/** The record sheet (备考表) at the end of the volume, with a blank back. */
export async function backMatter(sheet: RecordSheet, faces: FontFaces, title: string, at: Date): Promise<Buffer> {
  const { doc, bytes } = pdfaDocument({ size: [A4.width, A4.height], margins: MARGIN, bufferPages: true }, { Title: title, CreationDate: at });
  register(doc, faces);
  const width = A4.width - MARGIN.left - MARGIN.right;
  doc.font('title').fontSize(SIZE.二号).text('备考表', MARGIN.left, MARGIN.top, { width, align: 'center' });
  doc.moveDown(1);
  const boxTop = doc.y;
  const boxHeight = 150 * MM;
  doc.lineWidth(0.8).rect(MARGIN.left, boxTop, width, boxHeight).stroke();
  doc.font('body').fontSize(SIZE.四号).text('本卷情况说明：', MARGIN.left + 4 * MM, boxTop + 4 * MM, { width: width - 8 * MM });
  doc.moveDown(0.5);
  for (const note of sheet.notes) doc.text(note, { width: width - 8 * MM, indent: 2 * SIZE.四号, lineGap: 4 });
  let y = boxTop + boxHeight + 10 * MM;
  for (const [label, name, date] of [
    ['立卷人：', sheet.compiler, sheet.compiledOn],
    ['检查人：', '', ''],
  ] as const) {
    doc.text(`${label}${name || '＿＿＿＿＿＿'}`, MARGIN.left + 70 * MM, y, { width: 60 * MM });
    doc.text(`日期：${date || '＿＿＿＿年＿＿月＿＿日'}`, MARGIN.left + 70 * MM, y + 9 * MM, { width: 80 * MM });
    y += 24 * MM;
  }
  padToEven(doc);
  doc.end();
  return bytes;
}

/** A petition that came without paper (visit, call, online, transfer typed in): its registration record. */
export async function registrationRecord(title: string, fields: [string, string][], faces: FontFaces, at: Date): Promise<Buffer> {
  const { doc, bytes } = pdfaDocument({ size: [A4.width, A4.height], margins: MARGIN, bufferPages: true }, { Title: title, CreationDate: at });
  register(doc, faces);
  const width = A4.width - MARGIN.left - MARGIN.right;
  doc.font('title').fontSize(SIZE.二号).text(title, MARGIN.left, MARGIN.top + 10 * MM, { width, align: 'center' });
  doc.moveDown(1);
  doc.font('body').fontSize(SIZE.三号);
  for (const [label, value] of fields) {
    const top = doc.y;
    doc.text(`${label}：${value}`, MARGIN.left + 3 * MM, top + 2 * MM, { width: width - 6 * MM });
    const bottom = doc.y + 2 * MM;
    doc.lineWidth(0.6).rect(MARGIN.left, top, width, bottom - top).stroke();
    doc.y = bottom;
  }
  doc.end();
  return bytes;
}

export interface OverlayPage {
  width: number;
  height: number;
  /** The page number, on the outer top corner: right on a front page, left on a back page. */
  number?: { value: number; front: boolean };
  /** The filing stamp (归档章) on a paper's first page: 全宗号, 年度, 件号 / 机构(问题), 保管期限, 页数. */
  stamp?: [string, string, string, string, string, string];
}

/**
 * What is printed over the papers: page numbers and filing stamps, one overlay page per volume
 * page, drawn onto the volume by the composer. Fonts embedded like any of our PDFs.
 */
export async function overlay(pages: OverlayPage[], faces: FontFaces): Promise<Buffer> {
  const { doc, bytes } = pdfaDocument({ autoFirstPage: false }, { Title: 'overlay', CreationDate: new Date(0) });
  doc.registerFont('body', fontFace(faces.body));
  for (const p of pages) {
    doc.addPage({ size: [p.width, p.height], margin: 0 });
    if (p.number) {
      doc.font('body').fontSize(SIZE.五号).fillColor('black');
      const text = String(p.number.value);
      const w = doc.widthOfString(text);
      // Clear of the QR code at the top right of our documents.
      const x = p.number.front ? p.width - 35 * MM - w : 15 * MM;
      doc.text(text, x, 10 * MM, { lineBreak: false });
    }
    if (p.stamp) drawStamp(doc, p.width, p.stamp);
  }
  doc.end();
  return bytes;
}

/** 45 × 16 mm, two rows of three cells, red, at the top centre of the page. */
function drawStamp(doc: PDFKit.PDFDocument, pageWidth: number, values: string[]): void {
  const w = 45 * MM;
  const h = 16 * MM;
  const x = (pageWidth - w) / 2;
  const y = 3.5 * MM;
  doc.save().strokeColor(RED).fillColor(RED).lineWidth(0.8);
  doc.rect(x, y, w, h).stroke();
  doc.moveTo(x, y + h / 2).lineTo(x + w, y + h / 2).stroke();
  doc.moveTo(x + w / 3, y).lineTo(x + w / 3, y + h).stroke();
  doc.moveTo(x + (2 * w) / 3, y).lineTo(x + (2 * w) / 3, y + h).stroke();
  doc.font('body').fontSize(7.5);
  values.forEach((value, i) => {
    const cx = x + (i % 3) * (w / 3);
    const cy = y + Math.floor(i / 3) * (h / 2);
    doc.text(value, cx, cy + h / 4 - 4, { width: w / 3, align: 'center', lineBreak: false });
  });
  doc.restore();
}

function register(doc: PDFKit.PDFDocument, faces: FontFaces): void {
  doc.registerFont('body', fontFace(faces.body));
  doc.registerFont('title', fontFace(faces.title));
  doc.registerFont('heading', fontFace(faces.heading));
}

function drawCover(doc: PDFKit.PDFDocument, cover: CoverInfo): void {
  const width = A4.width - MARGIN.left - MARGIN.right;
  doc.font('title').fontSize(SIZE.二号 * 1.3).text(cover.heading, MARGIN.left, 55 * MM, { width, align: 'center', characterSpacing: 6 });
  let y = 95 * MM;
  const labelWidth = 32 * MM;
  for (const [label, value] of cover.fields) {
    doc.font('heading').fontSize(SIZE.四号).text(label, MARGIN.left + 8 * MM, y, { width: labelWidth });
    doc.font('body').fontSize(SIZE.三号);
    const valueX = MARGIN.left + 8 * MM + labelWidth;
    const valueWidth = width - 16 * MM - labelWidth;
    doc.text(value, valueX, y - 1, { width: valueWidth });
    const bottom = Math.max(doc.y, y + 9 * MM);
    doc.lineWidth(0.6).moveTo(valueX, bottom).lineTo(valueX + valueWidth, bottom).stroke();
    y = bottom + 8 * MM;
  }
}

/**
 * The contents list: its title on every page, the table under it in 五号, or in 小五 when its
 * numbers and dates would leave the titles too narrow at 五号 (小五 is the smallest used).
 */
function drawContents(doc: PDFKit.PDFDocument, table: TablePage): void {
  const width = A4.width - MARGIN.left - MARGIN.right;
  const head = () => {
    doc.font('title').fontSize(SIZE.二号).text(table.title, MARGIN.left, MARGIN.top, { width, align: 'center' });
    if (table.subtitle) doc.font('body').fontSize(SIZE.小四).text(table.subtitle, MARGIN.left, doc.y + 2 * MM, { width, align: 'right' });
    return doc.y + 0.5 * SIZE.小四;
  };
  drawTable(doc, {
    x: MARGIN.left,
    width,
    top: head(),
    bottom: A4.height - MARGIN.bottom,
    columns: table.columns,
    rows: table.rows.map((r) => r.cells),
    sizes: [SIZE.五号, SIZE.小五],
    // Narrower than the reports' tables, so the numbers and dates leave the titles room on a portrait page.
    pad: 1 * MM,
    newPage: () => {
      doc.addPage();
      return head();
    },
  });
}

function padToEven(doc: PDFKit.PDFDocument): void {
  if (doc.bufferedPageRange().count % 2 === 1) doc.addPage();
}
