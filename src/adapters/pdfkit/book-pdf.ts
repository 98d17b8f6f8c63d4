import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { BOOK_COLUMNS, bookCells, type BookInfo, type BookRow } from '../../domain/book.js';
import { A4_LANDSCAPE, MM, pageNumberText, SIZE } from '../../domain/page.js';
import { columnNeeds, fitColumns, headerLines } from '../../domain/table-fit.js';
import { syncDir } from '../files/fs-safe.js';
import type { FontFaces } from '../fonts/font-files.js';
import { fontFace } from './fonts.js';
import { drawLines, linesHeight, pdfkitMeasure } from './pdf-table.js';

const MARGIN = 15 * MM;
const CELL_PAD = 1.5;
/** 小五 throughout: the smallest size used, so the widths come from the contents alone. */
const TEXT_SIZE = SIZE.小五;

/**
 * The register book as PDF/A-2b, landscape A4: a title page, then the table with its header on
 * every page, text wrapped inside its cell and no row cut across two pages, page numbers at the
 * foot. The rows are read twice: first to measure what each column needs (a date, a phone or an
 * ID number, a name never split across lines), then to draw them, streamed to disk page by page,
 * so a year of ten thousand letters needs little memory.
 */
export async function writeBookPdf(rows: () => AsyncIterable<BookRow>, info: BookInfo, faces: FontFaces, file: string): Promise<{ pages: number }> {
  const temp = `${file}.${process.pid}.tmp`;
  const doc = new PDFDocument({
    size: [A4_LANDSCAPE.width, A4_LANDSCAPE.height],
    margin: MARGIN,
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    lang: 'zh-CN',
    info: { Title: `来信来访登记簿（${info.period}）`, Author: info.office, Creator: 'xinfang' },
  } as PDFKit.PDFDocumentOptions);
  const out = createWriteStream(temp);
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  doc.registerFont('body', fontFace(faces.body));
  doc.registerFont('title', fontFace(faces.title));
  doc.registerFont('heading', fontFace(faces.heading));

  let page = 0;
  const newPage = () => {
    doc.addPage();
    page++;
    const text = pageNumberText(page);
    doc.font('body').fontSize(SIZE.四号);
    const width = doc.widthOfString(text);
    // GB/T 9704: odd pages at the right, even pages at the left, just below the text block.
    const x = page % 2 === 1 ? A4_LANDSCAPE.width - MARGIN - width : MARGIN;
    doc.text(text, x, A4_LANDSCAPE.height - MARGIN + 2 * MM, { lineBreak: false });
  };

  titlePage(doc, info, newPage);

  const tableWidth = A4_LANDSCAPE.width - 2 * MARGIN;
  const gathered = columnNeeds(BOOK_COLUMNS, pdfkitMeasure(doc), { byShape: true });
  for await (const row of rows()) gathered.add(bookCells(row));
  const { widths } = fitColumns(BOOK_COLUMNS, gathered.needs, pdfkitMeasure(doc), { width: tableWidth, sizes: [TEXT_SIZE], pad: CELL_PAD, minFillChars: 0 });
  const bottom = A4_LANDSCAPE.height - MARGIN;
  let y = 0;
  const header = () => {
    newPage();
    y = MARGIN;
    doc.font('heading').fontSize(TEXT_SIZE);
    const titles = BOOK_COLUMNS.map((c, i) => headerLines(c.title, widths[i]! - 2 * CELL_PAD, (t) => doc.widthOfString(t)));
    const height = rowHeight(doc, titles, widths);
    drawRow(doc, titles, widths, y, height, true);
    y += height;
    doc.font('body').fontSize(TEXT_SIZE);
  };
  header();
  let any = false;
  for await (const row of rows()) {
    any = true;
    const cells = bookCells(row);
    const lines = cells.map((cell) => [cell]);
    const height = rowHeight(doc, lines, widths);
    if (y + height > bottom) header();
    drawRow(doc, lines, widths, y, height, false);
    y += height;
  }
  if (!any) {
    doc.font('body').fontSize(SIZE.四号).text('本期没有登记来信来访。', MARGIN, y + 10 * MM, { width: tableWidth, align: 'center' });
  }
  doc.end();
  await finished;
  await fs.rename(temp, file);
  await syncDir(path.dirname(file));
  return { pages: page };
}

function titlePage(doc: PDFKit.PDFDocument, info: BookInfo, newPage: () => void): void {
  newPage();
  const width = A4_LANDSCAPE.width - 2 * MARGIN;
  doc.font('title').fontSize(SIZE.二号 * 1.4).text('来信来访登记簿', MARGIN, 55 * MM, { width, align: 'center', characterSpacing: 8 });
  doc.font('body').fontSize(SIZE.三号);
  doc.moveDown(2);
  const lines = [
    `单位：${info.office}`,
    `期间：${info.period}`,
    `登记总数：${info.total} 件（${info.byChannel.map(([channel, n]) => `${channel} ${n} 件`).join('，') || '无'}）`,
    `打印日期：${info.printedOn}`,
  ];
  for (const line of lines) doc.text(line, MARGIN + width / 3, doc.y + 4 * MM, { width: (width * 2) / 3 });
}

function rowHeight(doc: PDFKit.PDFDocument, cells: string[][], widths: number[]): number {
  let height = 0;
  cells.forEach((lines, i) => {
    height = Math.max(height, linesHeight(doc, lines, { width: widths[i]! - 2 * CELL_PAD, lineGap: 1 }));
  });
  return height + 2 * CELL_PAD;
}

function drawRow(doc: PDFKit.PDFDocument, cells: string[][], widths: number[], y: number, height: number, head: boolean): void {
  let x = MARGIN;
  doc.lineWidth(0.5);
  cells.forEach((lines, i) => {
    const w = widths[i]!;
    doc.rect(x, y, w, height).stroke();
    drawLines(doc, lines, x + CELL_PAD, y + CELL_PAD, { width: w - 2 * CELL_PAD, lineGap: 1, align: head ? 'center' : 'left' });
    x += w;
  });
}
