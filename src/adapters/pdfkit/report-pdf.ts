import SVGtoPDF from 'svg-to-pdfkit';
import type { Chart, ReportDocument } from '../../domain/report-document.js';
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
  for (const s of r.sections) {
    // A section that is only a chart keeps its heading on the chart's page.
    room(3 * SIZE.三号 + (s.chart && !s.table && s.paragraphs.length === 0 ? chartSize(s.chart).h : 0));
    if (s.heading) {
      doc.font('heading').fontSize(SIZE.三号).text(s.heading, MARGIN, doc.y, { width });
      doc.moveDown(0.3);
    }
    doc.font('body').fontSize(SIZE.四号);
    for (const p of s.paragraphs) doc.text(p, MARGIN, doc.y, { width, indent: 2 * SIZE.四号, lineGap: 3 });
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
      });
    }
    if (s.chart) {
      const { w, h } = chartSize(s.chart);
      doc.moveDown(0.5);
      room(h);
      SVGtoPDF(doc, s.chart.svg, MARGIN + (width - w) / 2, doc.y, { width: w, height: h, fontCallback: () => 'chart', assumePt: false });
      doc.y += h;
    }
    doc.moveDown(0.8);
  }
  if (r.signature) {
    room(4 * SIZE.三号);
    doc.moveDown(1);
    doc.font('body').fontSize(SIZE.三号).text(r.signature.issuer, MARGIN, doc.y, { width: width - 4 * SIZE.三号, align: 'right' });
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
