import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AlignmentType, Document, Footer, HeightRule, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType } from 'docx';
import { openZip } from '../zip/zip.js';
import { BOOK_COLUMNS, bookCells, type BookInfo, type BookRow } from '../../domain/book.js';
import { DOCX_FONT_NAMES, SIZE } from '../../domain/page.js';
import { columnNeeds, fitColumns, headerLines, type MeasureText } from '../../domain/table-fit.js';
import { syncDir } from '../files/fs-safe.js';
import type { FontFaces } from '../fonts/font-files.js';
import { fontMeasure } from '../pdfkit/fonts.js';

const TEXT_SIZE = SIZE.小五;
const LATIN_FONT = 'Times New Roman';
/** Landscape A4 less 850-twip margins each side, in twips (1/20 pt). */
const TABLE_TWIPS = 16838 - 2 * 850;
/** Each cell's left and right margin, in twips, written into the table so Word uses exactly these. */
const CELL_MARGIN = 40;

/**
 * The same book as DOCX: the header row repeats on every page and no row breaks across pages.
 * The docx library lays out the document with one sample row; the rows are then written as
 * copies of that row's markup, so a year of ten thousand letters does not build a tree of a
 * hundred and fifty thousand cells in memory.
 */
export async function writeBookDocx(rows: () => AsyncIterable<BookRow>, info: BookInfo, faces: FontFaces, file: string): Promise<void> {
  const run = (text: string, font: string, size: number, latin = font) =>
    new TextRun({ text, size: size * 2, font: { ascii: latin, eastAsia: font, hAnsi: latin, hint: 'eastAsia' } });
  // Widths from the contents, as in the PDF: Word breaks a number or a date only when its cell is too narrow.
  // A PC without 仿宋_GB2312 sets its Latin in a fallback face (DejaVu Sans in LibreOffice, figures
  // 0.64 em) and breaks a date or a phone number; the table's figures are therefore named in Times
  // New Roman, as official documents set them (Liberation Serif where it is missing, same widths),
  // and measured as the wider of the bundled face and 0.56 em a Latin character.
  const bundled = fontMeasure(faces);
  const measure: MeasureText = (text, face, size) => Math.max(bundled(text, face, size), [...text].reduce((a, ch) => a + (ch <= '\u007e' ? 0.56 : 1), 0) * size);
  const gathered = columnNeeds(BOOK_COLUMNS, measure, { byShape: true });
  for await (const row of rows()) gathered.add(bookCells(row));
  const fitted = fitColumns(BOOK_COLUMNS, gathered.needs, measure, { width: TABLE_TWIPS / 20, sizes: [TEXT_SIZE], pad: CELL_MARGIN / 20, minFillChars: 0 });
  const twips = fitted.widths.map((w) => Math.floor(w * 20));
  const room = (i: number) => (twips[i]! - 2 * CELL_MARGIN) / 20;
  const cell = (text: string, head: boolean, i: number) =>
    new TableCell({
      width: { size: twips[i]!, type: WidthType.DXA },
      children: head
        ? // A header too wide for its column goes on two even lines, 领导 / 批示.
          headerLines(text, room(i), (t) => measure(t, 'heading', TEXT_SIZE)).map((line) => new Paragraph({ alignment: AlignmentType.CENTER, children: [run(line, DOCX_FONT_NAMES.heading, TEXT_SIZE)] }))
        : [new Paragraph({ alignment: AlignmentType.LEFT, children: [run(text, DOCX_FONT_NAMES.body, TEXT_SIZE, LATIN_FONT)] })],
    });
  const sample = BOOK_COLUMNS.map((_, i) => `@@CELL${i}@@`);
  const tableRows = [
    new TableRow({ tableHeader: true, cantSplit: true, height: { value: 400, rule: HeightRule.ATLEAST }, children: BOOK_COLUMNS.map((c, i) => cell(c.title, true, i)) }),
    new TableRow({ cantSplit: true, children: BOOK_COLUMNS.map((_, i) => cell(sample[i]!, false, i)) }),
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
          new Table({
            width: { size: twips.reduce((a, w) => a + w, 0), type: WidthType.DXA },
            columnWidths: twips,
            layout: TableLayoutType.FIXED,
            margins: { left: CELL_MARGIN, right: CELL_MARGIN, marginUnitType: WidthType.DXA },
            rows: tableRows,
          }),
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
  const zip = await openZip(await Packer.toBuffer(doc));
  const xml = await zip.file('word/document.xml')!.async('string');
  const rowStart = xml.lastIndexOf('<w:tr>', xml.indexOf('@@CELL0@@'));
  const rowEnd = xml.indexOf('</w:tr>', xml.indexOf(`@@CELL${BOOK_COLUMNS.length - 1}@@`)) + '</w:tr>'.length;
  const rowXml = xml.slice(rowStart, rowEnd);
  // document.xml is handed to the zip as a stream, written row by row as the zip is written out.
  async function* documentXml(): AsyncGenerator<Buffer> {
    yield Buffer.from(xml.slice(0, rowStart));
    let count = 0;
    for await (const row of rows()) {
      count++;
      const cells = bookCells(row);
      yield Buffer.from(rowXml.replace(/@@CELL(\d+)@@/g, (_, i: string) => keepFiguresTogether(escapeXml(cells[Number(i)]!))));
    }
    yield Buffer.from(xml.slice(rowEnd).replace('@@EMPTY@@', count === 0 ? '本期没有登记来信来访。' : ''));
  }
  zip.file('word/document.xml', Readable.from(documentXml()));
  const temp = `${file}.${process.pid}.tmp`;
  await pipeline(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE' }), createWriteStream(temp));
  await fs.rename(temp, file);
  await syncDir(path.dirname(file));
}

/**
 * A hyphen between figures (2026-11-18, 010-62345678) as Word's non-breaking hyphen: Word and
 * LibreOffice would otherwise break 告知 2026-11-18 after 2026- rather than at the space.
 */
function keepFiguresTogether(xml: string): string {
  return xml.replace(/(?<=\d)-(?=\d)/g, '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
