import { AlignmentType, Document, Footer, ImageRun, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { Resvg } from '@resvg/resvg-js';
import SVGtoPDF from 'svg-to-pdfkit';
import { defaultSansFont, DOCX_FONT_NAMES, fontFace, type FontFaces } from './fonts.js';
import { A4, A4_LANDSCAPE, MM, pageNumberText, SIZE } from '../../domain/page.js';
import { archivalPdf } from './pdf-document.js';
import { drawTable } from './pdf-table.js';
import type { Chart } from '../charts/charts.js';

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  table?: { columns: { title: string; share: number }[]; rows: string[][] };
  chart?: Chart;
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: ReportSection[];
  landscape: boolean;
  /** Issuer and date at the end (a zero report is signed). */
  signature?: { issuer: string; date: string };
}

const MARGIN = 25 * MM;

/** The report as PDF/A: title, sections with 黑体 headings, tables, vector charts, page numbers. */
export async function reportPdf(r: ReportDocument, faces: FontFaces, at: Date): Promise<Buffer> {
  const page = r.landscape ? A4_LANDSCAPE : A4;
  const { doc, bytes } = archivalPdf({ size: [page.width, page.height], margin: MARGIN, bufferPages: true }, { Title: r.title, CreationDate: at });
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

const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, hint: 'eastAsia' as const });

/** The same report as DOCX: tables with a repeating header row, charts as SVG with a PNG fallback. */
export async function reportDocx(r: ReportDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: r.title, font: font(DOCX_FONT_NAMES.title), size: SIZE.二号 * 2 })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: r.subtitle, font: font(DOCX_FONT_NAMES.body), size: SIZE.四号 * 2 })] }),
  ];
  const body = (text: string, size: number = SIZE.四号, face: string = DOCX_FONT_NAMES.body) => new TextRun({ text, font: font(face), size: size * 2 });
  for (const s of r.sections) {
    if (s.heading) children.push(new Paragraph({ spacing: { before: 240, after: 120 }, keepNext: true, children: [body(s.heading, SIZE.三号, DOCX_FONT_NAMES.heading)] }));
    for (const p of s.paragraphs) children.push(new Paragraph({ indent: { firstLine: SIZE.四号 * 2 * 20 }, children: [body(p)] }));
    if (s.table) {
      const total = s.table.columns.reduce((a, c) => a + c.share, 0);
      const cell = (text: string, share: number, head: boolean) =>
        new TableCell({ width: { size: Math.round((share / total) * 100), type: WidthType.PERCENTAGE }, children: [new Paragraph({ alignment: head ? AlignmentType.CENTER : AlignmentType.LEFT, children: [body(text, SIZE.五号, head ? DOCX_FONT_NAMES.heading : DOCX_FONT_NAMES.body)] })] });
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, cantSplit: true, children: s.table.columns.map((c) => cell(c.title, c.share, true)) }),
            ...s.table.rows.map((row) => new TableRow({ cantSplit: true, children: row.map((text, i) => cell(text, s.table!.columns[i]!.share, false)) })),
          ],
        }),
      );
    }
    if (s.chart) {
      const png = chartPng(s.chart);
      const w = 560;
      children.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new ImageRun({
              type: 'svg',
              data: Buffer.from(s.chart.svg),
              fallback: { type: 'png', data: png },
              transformation: { width: w, height: Math.round((w * s.chart.height) / s.chart.width) },
              altText: { name: s.heading, description: s.heading, title: s.heading },
            }),
          ],
        }),
      );
    }
  }
  if (r.signature) {
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, indent: { right: SIZE.三号 * 4 * 20 }, children: [body(r.signature.issuer, SIZE.三号)] }));
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: SIZE.三号 * 4 * 20 }, children: [body(r.signature.date, SIZE.三号)] }));
  }
  const doc = new Document({
    creator: 'xinfang',
    title: r.title,
    sections: [
      {
        properties: {
          page: {
            size: r.landscape ? { width: 11906, height: 16838, orientation: PageOrientation.LANDSCAPE } : { width: 11906, height: 16838 },
            margin: { top: 1418, bottom: 1418, left: 1418, right: 1418 },
          },
        },
        children,
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.五号 * 2, font: font(DOCX_FONT_NAMES.body) })] })],
          }),
        },
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The chart as a PNG at twice its size, drawn with the npm Chinese font (no system fonts). */
function chartPng(chart: Chart): Buffer {
  const resvg = new Resvg(chart.svg, {
    fitTo: { mode: 'width', value: chart.width * 2 },
    font: { fontFiles: [defaultSansFont()], loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' },
    background: '#ffffff',
  });
  return Buffer.from(resvg.render().asPng());
}
