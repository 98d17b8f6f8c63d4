import { MM } from '../../domain/page.js';
import { fitTable, headerLines, linesAfter, type FitColumn, type MeasureText } from '../../domain/table-fit.js';

export interface TableLayout {
  x: number;
  width: number;
  /** Where the table starts on the current page. */
  top: number;
  /** The lowest a row may reach before the table goes on to a new page. */
  bottom: number;
  columns: readonly FitColumn[];
  rows: string[][];
  /** The type sizes to try, largest first: the largest at which every kept value has its line. */
  sizes?: readonly number[];
  /** One size only (the reports' tables). */
  fontSize?: number;
  /** Padding inside a cell, each side; 1.5 mm unless given. */
  pad?: number;
  /** Starts a new page and returns where the table goes on there (after any page heading). */
  newPage(): number;
  /**
   * Room that must stay free under the last row on its page, for what closes the document (the
   * signature): when the last row fits but that room does not, the last row goes over to the
   * next page with it, so the signature never stands alone.
   */
  keepWithLast?: number;
}


/** Text widths as pdfkit will set them, in the document's registered 'body' and 'heading' fonts. */
export function pdfkitMeasure(doc: PDFKit.PDFDocument): MeasureText {
  return (text, face, size) => doc.font(face).fontSize(size).widthOfString(text);
}

/**
 * Text set line by line: a header split in two (see headerLines) goes in as two texts, since
 * pdfkit measures a line ending in "\n" wider than its characters and would break it again.
 */
export function linesHeight(doc: PDFKit.PDFDocument, lines: readonly string[], options: PDFKit.Mixins.TextOptions): number {
  return lines.reduce((h, line) => h + doc.heightOfString(line || ' ', options), 0);
}

export function drawLines(doc: PDFKit.PDFDocument, lines: readonly string[], x: number, y: number, options: PDFKit.Mixins.TextOptions): void {
  let top = y;
  for (const line of lines) {
    if (line) doc.text(line, x, top, options);
    top += doc.heightOfString(line || ' ', options);
  }
}

/**
 * A ruled table in pdfkit: column widths from the contents (see fitTable), header row in 黑体
 * repeated on every page, cells wrapped, a row never split across pages. Fonts 'body' and
 * 'heading' must be registered. Returns where it ended and the type size it was set in.
 */
export function drawTable(doc: PDFKit.PDFDocument, t: TableLayout): { y: number; size: number; widths: number[] } {
  const PAD = t.pad ?? 1.5 * MM;
  const { size, widths } = fitTable(t.columns, t.rows, pdfkitMeasure(doc), { width: t.width, sizes: t.sizes ?? [t.fontSize ?? 10.5], pad: PAD, minFillChars: 8, breakBelowChars: 6 });
  const lines = (cell: string, font: string, i: number) => {
    const room = widths[i]! - 2 * PAD;
    const mark = t.columns[i]!.breakAfter;
    if (font === 'heading') return headerLines(cell, room, (text) => doc.widthOfString(text));
    return mark ? linesAfter(cell, mark, room, (text) => doc.widthOfString(text)) : [cell];
  };
  const heightOf = (cells: readonly string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(size * 1.6, ...cells.map((cell, i) => linesHeight(doc, lines(cell, font, i), { width: widths[i]! - 2 * PAD }) + 2 * PAD));
  };
  const row = (cells: readonly string[], font: string, y: number) => {
    const h = heightOf(cells, font);
    let x = t.x;
    doc.font(font).fontSize(size);
    cells.forEach((cell, i) => {
      doc.lineWidth(0.6).rect(x, y, widths[i]!, h).stroke();
      drawLines(doc, lines(cell, font, i), x + PAD, y + PAD, { width: widths[i]! - 2 * PAD, align: font === 'heading' ? 'center' : 'left' });
      x += widths[i]!;
    });
    return y + h;
  };
  const titles = t.columns.map((c) => c.title);
  let y = row(titles, 'heading', t.top);
  let rowsOnPage = 0;
  t.rows.forEach((cells, i) => {
    const h = heightOf(cells, 'body');
    // Moving the only row of a page would leave that page with the header alone.
    const keep = i === t.rows.length - 1 && rowsOnPage > 0 ? (t.keepWithLast ?? 0) : 0;
    if (y + h + keep > t.bottom) {
      y = row(titles, 'heading', t.newPage());
      rowsOnPage = 0;
    }
    y = row(cells, 'body', y);
    rowsOnPage++;
  });
  doc.x = t.x;
  doc.y = y;
  return { y, size, widths };
}
