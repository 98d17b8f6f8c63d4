import { Resvg } from '@resvg/resvg-js';
import { AlignmentType, Document, Footer, ImageRun, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { DOCX_FONT_NAMES, SIZE } from '../../domain/page.js';
import { lastElement, type Chart, type ReportDocument } from '../../domain/report-document.js';
import { defaultSansFont } from '../fonts/font-files.js';

const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, hint: 'eastAsia' as const });

/** The same report as DOCX: tables with a repeating header row, charts as SVG with a PNG fallback. */
export async function reportDocx(r: ReportDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: r.title, font: font(DOCX_FONT_NAMES.title), size: SIZE.二号 * 2 })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: r.subtitle, font: font(DOCX_FONT_NAMES.body), size: SIZE.四号 * 2 })] }),
  ];
  const body = (text: string, size: number = SIZE.四号, face: string = DOCX_FONT_NAMES.body) => new TextRun({ text, font: font(face), size: size * 2 });
  // The signature never stands alone on a page (GB/T 9704): the body's last paragraph, last
  // table row or chart is kept with the next paragraph, the issuer, and the issuer with the date.
  r.sections.forEach((s, n) => {
    // undefined rather than false: Word needs no keepNext="false" on every other paragraph.
    const keep = (element: 'paragraph' | 'table' | 'chart') => (r.signature && n === r.sections.length - 1 && lastElement(s) === element) || undefined;
    if (s.heading) children.push(new Paragraph({ spacing: { before: 240, after: 120 }, keepNext: true, children: [body(s.heading, SIZE.三号, DOCX_FONT_NAMES.heading)] }));
    s.paragraphs.forEach((p, i) => children.push(new Paragraph({ indent: { firstLine: SIZE.四号 * 2 * 20 }, keepNext: (i === s.paragraphs.length - 1 && keep('paragraph')) || undefined, children: [body(p)] })));
    if (s.table) {
      const total = s.table.columns.reduce((a, c) => a + c.share, 0);
      const cell = (text: string, share: number, head: boolean) =>
        new TableCell({ width: { size: Math.round((share / total) * 100), type: WidthType.PERCENTAGE }, children: [new Paragraph({ alignment: head ? AlignmentType.CENTER : AlignmentType.LEFT, children: [body(text, SIZE.五号, head ? DOCX_FONT_NAMES.heading : DOCX_FONT_NAMES.body)] })] });
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, cantSplit: true, children: s.table.columns.map((c) => cell(c.title, c.share, true)) }),
            ...s.table.rows.map((row, i, rows) => new TableRow({ cantSplit: true, keepNext: (i === rows.length - 1 && keep('table')) || undefined, children: row.map((text, i) => cell(text, s.table!.columns[i]!.share, false)) })),
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
          keepNext: keep('chart'),
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
  });
  if (r.signature) {
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, keepNext: true, indent: { right: SIZE.三号 * 4 * 20 }, children: [body(r.signature.issuer, SIZE.三号)] }));
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
