import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AlignmentType, Document, Footer, HeightRule, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import JSZip from 'jszip';
import { BOOK_COLUMNS, type BookInfo, type BookRow } from '../../domain/book.js';
import { DOCX_FONT_NAMES, SIZE } from '../../domain/page.js';
import { syncDir } from '../files/fs-safe.js';

const HEAD_SIZE = SIZE.小五;

/**
 * The same book as DOCX: the header row repeats on every page and no row breaks across pages.
 * The docx library lays out the document with one sample row; the rows are then written as
 * copies of that row's markup, so a year of ten thousand letters does not build a tree of a
 * hundred and fifty thousand cells in memory.
 */
export async function writeBookDocx(rows: AsyncIterable<BookRow>, info: BookInfo, file: string): Promise<void> {
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
  async function* documentXml(): AsyncGenerator<Buffer> {
    yield Buffer.from(xml.slice(0, rowStart));
    let count = 0;
    for await (const row of rows) {
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
