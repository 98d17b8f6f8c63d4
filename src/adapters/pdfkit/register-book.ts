import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { AlignmentType, Document, Footer, HeightRule, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { syncDir } from '../files/fs-safe.js';
import { DOCX_FONT_NAMES, fontFace, type FontFaces } from './fonts.js';
import { A4_LANDSCAPE, MM, pageNumberText, SIZE } from '../../domain/page.js';

/** One line of the register book (来信来访登记簿), already masked as the settings say. */
export interface BookRow {
  seq: number;
  number: string;
  receivedDate: string;
  name: string;
  address: string;
  phone: string;
  people: string;
  summary: string;
  category: string;
  instruction: string;
  handler: string;
  deadline: string;
  result: string;
  replyDate: string;
  notes: string;
}

export interface BookInfo {
  office: string;
  period: string;
  total: number;
  byChannel: [string, number][];
  printedOn: string;
}

/** The columns, their share of the table's width, in the order of the paper register. */
export const BOOK_COLUMNS: { key: keyof BookRow; title: string; share: number }[] = [
  { key: 'seq', title: '序号', share: 3.8 },
  { key: 'number', title: '编号', share: 8.5 },
  { key: 'receivedDate', title: '收到日期', share: 7.8 },
  { key: 'name', title: '信访人', share: 5 },
  { key: 'address', title: '住址', share: 8.5 },
  { key: 'phone', title: '联系电话', share: 8.8 },
  { key: 'people', title: '人数', share: 3.6 },
  { key: 'summary', title: '反映问题摘要', share: 15 },
  { key: 'category', title: '类别', share: 6 },
  { key: 'instruction', title: '领导批示', share: 7 },
  { key: 'handler', title: '经办人', share: 5.5 },
  { key: 'deadline', title: '办理时限', share: 7.8 },
  { key: 'result', title: '办理结果', share: 7 },
  { key: 'replyDate', title: '答复日期', share: 7.8 },
  { key: 'notes', title: '备注', share: 7 },
];

const MARGIN = 15 * MM;
const CELL_PAD = 2.5;
const TEXT_SIZE = SIZE.小五;
const HEAD_SIZE = SIZE.小五;

/**
 * The register book as PDF/A-2b, landscape A4: a title page, then the table with its header on
 * every page, text wrapped inside its cell and no row cut across two pages, page numbers at the
 * foot. Streamed to disk page by page, so a year of ten thousand letters needs little memory.
 */
export async function writeBookPdf(rows: Iterable<BookRow>, info: BookInfo, faces: FontFaces, file: string): Promise<{ pages: number }> {
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
  const totalShare = BOOK_COLUMNS.reduce((s, c) => s + c.share, 0);
  const widths = BOOK_COLUMNS.map((c) => (c.share / totalShare) * tableWidth);
  const bottom = A4_LANDSCAPE.height - MARGIN;
  let y = 0;
  const header = () => {
    newPage();
    y = MARGIN;
    doc.font('heading').fontSize(HEAD_SIZE);
    const height = rowHeight(doc, BOOK_COLUMNS.map((c) => c.title), widths);
    drawRow(doc, BOOK_COLUMNS.map((c) => c.title), widths, y, height, true);
    y += height;
    doc.font('body').fontSize(TEXT_SIZE);
  };
  header();
  let any = false;
  for (const row of rows) {
    any = true;
    const cells = BOOK_COLUMNS.map((c) => String(row[c.key] ?? ''));
    const height = rowHeight(doc, cells, widths);
    if (y + height > bottom) header();
    drawRow(doc, cells, widths, y, height, false);
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

function rowHeight(doc: PDFKit.PDFDocument, cells: string[], widths: number[]): number {
  let height = 0;
  cells.forEach((text, i) => {
    height = Math.max(height, doc.heightOfString(text || ' ', { width: widths[i]! - 2 * CELL_PAD, lineGap: 1 }));
  });
  return height + 2 * CELL_PAD;
}

function drawRow(doc: PDFKit.PDFDocument, cells: string[], widths: number[], y: number, height: number, head: boolean): void {
  let x = MARGIN;
  doc.lineWidth(0.5);
  cells.forEach((text, i) => {
    const w = widths[i]!;
    doc.rect(x, y, w, height).stroke();
    if (text) doc.text(text, x + CELL_PAD, y + CELL_PAD, { width: w - 2 * CELL_PAD, lineGap: 1, align: head ? 'center' : 'left' });
    x += w;
  });
}

/**
 * The same book as DOCX: the header row repeats on every page and no row breaks across pages.
 * The docx library lays out the document with one sample row; the rows are then written as
 * copies of that row's markup, so a year of ten thousand letters does not build a tree of a
 * hundred and fifty thousand cells in memory.
 */
export async function writeBookDocx(rows: Iterable<BookRow>, info: BookInfo, file: string): Promise<void> {
  const run = (text: string, font: string, size: number) =>
    new TextRun({ text, size: size * 2, font: { ascii: font, eastAsia: font, hAnsi: font, hint: 'eastAsia' } });
  const totalShare = BOOK_COLUMNS.reduce((s, c) => s + c.share, 0);
  const cell = (text: string, head: boolean, share: number) =>
    new TableCell({
      width: { size: Math.round((share / totalShare) * 5000), type: WidthType.PERCENTAGE },
      children: [new Paragraph({ alignment: head ? AlignmentType.CENTER : AlignmentType.LEFT, children: [run(text, head ? DOCX_FONT_NAMES.heading : DOCX_FONT_NAMES.body, HEAD_SIZE)] })],
    });
  const sample = BOOK_COLUMNS.map((_, i) => `@@CELL${i}@@`);
  const tableRows = [
    new TableRow({ tableHeader: true, cantSplit: true, height: { value: 400, rule: HeightRule.ATLEAST }, children: BOOK_COLUMNS.map((c) => cell(c.title, true, c.share)) }),
    new TableRow({ cantSplit: true, children: BOOK_COLUMNS.map((c, i) => cell(sample[i]!, false, c.share)) }),
  ];
  const centred = (text: string, font: string, size: number, spacingAfter = 200) =>
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: spacingAfter }, children: [run(text, font, size)] });
  const doc = new Document({
    creator: 'xinfang',
    title: `来信来访登记簿（${info.period}）`,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE, width: 11906, height: 16838 }, margin: { top: 850, bottom: 850, left: 850, right: 850 } } },
        children: [
          centred('来信来访登记簿', DOCX_FONT_NAMES.title, SIZE.二号 * 1.4, 600),
          centred(`单位：${info.office}`, DOCX_FONT_NAMES.body, SIZE.三号),
          centred(`期间：${info.period}`, DOCX_FONT_NAMES.body, SIZE.三号),
          centred(`登记总数：${info.total} 件（${info.byChannel.map(([channel, n]) => `${channel} ${n} 件`).join('，') || '无'}）`, DOCX_FONT_NAMES.body, SIZE.三号),
          centred(`打印日期：${info.printedOn}`, DOCX_FONT_NAMES.body, SIZE.三号),
          new Paragraph({ pageBreakBefore: true, children: [] }),
          new Table({ width: { size: 5000, type: WidthType.PERCENTAGE }, rows: tableRows }),
          centred('@@EMPTY@@', DOCX_FONT_NAMES.body, SIZE.四号),
        ],
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.四号 * 2, font: DOCX_FONT_NAMES.body })] })],
          }),
        },
      },
    ],
  });
  const zip = await JSZip.loadAsync(await Packer.toBuffer(doc));
  const xml = await zip.file('word/document.xml')!.async('string');
  const rowStart = xml.lastIndexOf('<w:tr>', xml.indexOf('@@CELL0@@'));
  const rowEnd = xml.indexOf('</w:tr>', xml.indexOf(`@@CELL${BOOK_COLUMNS.length - 1}@@`)) + '</w:tr>'.length;
  const rowXml = xml.slice(rowStart, rowEnd);
  // document.xml is handed to the zip as a stream, written row by row as the zip is written out.
  function* documentXml(): Generator<Buffer> {
    yield Buffer.from(xml.slice(0, rowStart));
    let count = 0;
    for (const row of rows) {
      count++;
      yield Buffer.from(rowXml.replace(/@@CELL(\d+)@@/g, (_, i: string) => escapeXml(String(row[BOOK_COLUMNS[Number(i)]!.key] ?? ''))));
    }
    yield Buffer.from(xml.slice(rowEnd).replace('@@EMPTY@@', count === 0 ? '本期没有登记来信来访。' : ''));
  }
  zip.file('word/document.xml', Readable.from(documentXml()));
  const temp = `${file}.${process.pid}.tmp`;
  await pipeline(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE' }), createWriteStream(temp));
  await fs.rename(temp, file);
  await syncDir(path.dirname(file));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
