import SVGtoPDF from 'svg-to-pdfkit';
import { lastElement, type Chart, type ReportDocument } from '../../domain/report-document.js';
import { A4, A4_LANDSCAPE, MM, pageNumberText, SIZE } from '../../domain/page.js';
import { defaultSansFont, type FontFaces } from '../fonts/font-files.js';
import { fontFace } from './fonts.js';
import { pdfaDocument } from './pdf-document.js';
import { drawTable } from './pdf-table.js';

const MARGIN = 25 * MM;

/** The report as PDF/A: title, sections with 黑体 headings, tables, vector charts, page numbers. */
export async function reportPdf(r: ReportDocument, faces: FontFaces, at: Date): Promise<Buffer> {
  const page = r.landscape ? A4_LANDSCAPE : A4;
  const { doc, bytes } = pdfaDocument({ size: [page.width, page.height], margin: MARGIN, bufferPages: true }, { Title: r.title, CreationDate: at });
  doc.registerFont('body', fontFace(faces.body));
  doc.registerFont('title', fontFace(faces.title));
  doc.registerFont('heading', fontFace(faces.heading));
  doc.registerFont('chart', fontFace(defaultSansFont()));
  const width = page.width - 2 * MARGIN;
  const bottom = page.height - MARGIN;
  const room = (h: number) => {
    if (doc.y + h > bottom) doc.addPage();
  };
  doc.font('title').fontSize(SIZE.二号).text(r.title, MARGIN, MARGIN, { width, align: 'center' });
  doc.font('body').fontSize(SIZE.四号).text(r.subtitle, { width, align: 'center' });
  doc.moveDown(0.8);
  const chartSize = (c: Chart) => {
    const w = Math.min(width, 150 * MM);
    return { w, h: (w * c.height) / c.width };
  };
  // The signature (a blank line, the issuer, the date) never stands alone on a page (GB/T 9704):
  // the last element of the body keeps this much room under it, or goes over with it.
  doc.font('body').fontSize(SIZE.三号);
  const signatureHeight = r.signature ? 3 * doc.currentLineHeight(true) : 0;
  r.sections.forEach((s, n) => {
    const last = n === r.sections.length - 1;
    const tail = (element: 'paragraph' | 'table' | 'chart') => (last && lastElement(s) === element ? signatureHeight : 0);
    // A section that is only a chart keeps its heading on the chart's page.
    room(3 * SIZE.三号 + (s.chart && !s.table && s.paragraphs.length === 0 ? chartSize(s.chart).h + tail('chart') : 0));
    if (s.heading) {
      doc.font('heading').fontSize(SIZE.三号).text(s.heading, MARGIN, doc.y, { width });
      doc.moveDown(0.3);
    }
    doc.font('body').fontSize(SIZE.四号);
    s.paragraphs.forEach((p, i) => {
      const options = { width, indent: 2 * SIZE.四号, lineGap: 3 };
      const keep = i === s.paragraphs.length - 1 ? tail('paragraph') : 0;
      const h = doc.heightOfString(p, options);
      if (keep && h + keep <= bottom - MARGIN) room(h + keep);
      doc.text(p, MARGIN, doc.y, options);
    });
    if (s.table) {
      doc.moveDown(0.3);
      room(3 * SIZE.五号 * 1.6);
      drawTable(doc, {
        x: MARGIN,
        width,
        top: doc.y,
        bottom,
        columns: s.table.columns,
        rows: s.table.rows,
        fontSize: SIZE.五号,
        newPage: () => {
          doc.addPage();
          return MARGIN;
        },
        keepWithLast: tail('table'),
      });
    }
    if (s.chart) {
      const { w, h } = chartSize(s.chart);
      doc.moveDown(0.5);
      room(h + tail('chart'));
      SVGtoPDF(doc, sizedTo(withoutTextHalos(s.chart.svg), w, h), MARGIN + (width - w) / 2, doc.y, { width: w, height: h, fontCallback: () => 'chart', assumePt: true });
      doc.y += h;
    }
    if (!last) doc.moveDown(0.8);
  });
  if (r.signature) {
    doc.font('body').fontSize(SIZE.三号);
    room(signatureHeight);
    doc.moveDown(1);
    doc.text(r.signature.issuer, MARGIN, doc.y, { width: width - 4 * SIZE.三号, align: 'right' });
    doc.text(r.signature.date, { width: width - 4 * SIZE.三号, align: 'right' });
  }
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const text = pageNumberText(i + 1);
    doc.font('body').fontSize(SIZE.五号);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(text, MARGIN, page.height - MARGIN / 2, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return bytes;
}

/**
 * The chart at the size given, in points: svg-to-pdfkit sizes a drawing by its root's width and
 * height (pixels, three quarters of a point each), not by the room it is given, so the chart
 * came out smaller than the room kept for it and off centre; the viewBox scales the rest.
 */
function sizedTo(svg: string, width: number, height: number): string {
  return svg.replace(/<svg\b[^>]*>/, (tag) => tag.replace(/\swidth="[^"]*"/, ` width="${width.toFixed(2)}"`).replace(/\sheight="[^"]*"/, ` height="${height.toFixed(2)}"`));
}

/**
 * svg-to-pdfkit ignores `paint-order` and strokes a text's halo over its fill, which paints the
 * glyphs out in every viewer; a halo is dropped, leaving the text as filled.
 */
function withoutTextHalos(svg: string): string {
  return svg.replace(/<text\b[^>]*\bpaint-order="stroke"[^>]*>/g, (tag) => tag.replace(/\s(?:stroke|stroke-width|stroke-miterlimit|paint-order)="[^"]*"/g, ''));
}
