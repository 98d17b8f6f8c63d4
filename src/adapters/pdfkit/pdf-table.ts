import { MM } from '../../domain/page.js';

export interface TableLayout {
  x: number;
  width: number;
  /** Where the table starts on the current page. */
  top: number;
  /** The lowest a row may reach before the table goes on to a new page. */
  bottom: number;
  columns: { title: string; share: number }[];
  rows: string[][];
  fontSize: number;
  /** Starts a new page and returns where the table goes on there (after any page heading). */
  newPage(): number;
  /**
   * Room that must stay free under the last row on its page, for what closes the document (the
   * signature): when the last row fits but that room does not, the last row goes over to the
   * next page with it, so the signature never stands alone.
   */
  keepWithLast?: number;
}

/**
 * A ruled table in pdfkit: header row in 黑体 repeated on every page, cells wrapped, a row never
 * split across pages. Fonts 'body' and 'heading' must be registered. Returns where it ended.
 */
export function drawTable(doc: PDFKit.PDFDocument, t: TableLayout): number {
  const total = t.columns.reduce((a, c) => a + c.share, 0);
  const widths = t.columns.map((c) => (c.share / total) * t.width);
  const pad = 1.5 * MM;
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(t.fontSize);
    return Math.max(t.fontSize * 1.6, ...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i]! - 2 * pad }) + 2 * pad));
  };
  const row = (cells: string[], font: string, y: number) => {
    const h = heightOf(cells, font);
    let x = t.x;
    doc.font(font).fontSize(t.fontSize);
    cells.forEach((cell, i) => {
      doc.lineWidth(0.6).rect(x, y, widths[i]!, h).stroke();
      doc.text(cell, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: font === 'heading' ? 'center' : 'left' });
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
  return y;
}
