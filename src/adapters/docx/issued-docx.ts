import {
  AlignmentType,
  Document,
  FrameAnchorType,
  FrameWrap,
  Footer,
  Header,
  HeightRule,
  HorizontalPositionRelativeFrom,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableRow,
  TableCell,
  TextRun,
  VerticalPositionRelativeFrom,
  WidthType,
} from 'docx';
import { qrPng } from '../qr/qr-writer.js';
import { A4, DOCX_FONT_NAMES, LETTER_FORM, MM, OFFICIAL_PAGE, QR_BOX, SIZE } from '../../domain/page.js';
import { doubleRulePng } from './rule-png.js';
import { writingRanks, type FilledDocument, type DocumentHead } from '../../domain/issued-document.js';

const TWIP_PER_MM = 56.7;
const LINE_PITCH_TWIPS = Math.round(((225 / 22) * TWIP_PER_MM));
const TWIP_PER_PT = 20;
const emu = (points: number) => Math.round(points * 12_700);
const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, hint: 'eastAsia' as const });

/**
 * The same document as DOCX, for an office that edits before printing: the page of GB/T 9704,
 * exact line pitch for 22 lines, the standard faces named (仿宋_GB2312, 方正小标宋简体, 黑体) so Word
 * and WPS use the office's own fonts, no page number on the first page.
 */
export async function issuedDocx(document: FilledDocument, head: DocumentHead): Promise<Buffer> {
  const run = (text: string, face: string, size: number, color?: string) => new TextRun({ text, font: font(face), size: size * 2, color });
  const body = (text: string, options: { face?: string; indent?: boolean; keepNext?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
    new Paragraph({
      alignment: options.align ?? AlignmentType.JUSTIFIED,
      keepNext: options.keepNext,
      widowControl: true,
      spacing: { line: LINE_PITCH_TWIPS, lineRule: 'exact' },
      indent: options.indent ? { firstLine: SIZE.三号 * 2 * 20 } : undefined,
      children: [run(text, options.face ?? DOCX_FONT_NAMES.body, SIZE.三号)],
    });
  const children: (Paragraph | Table)[] = [];
  if (!head.form) children.push(...letterhead(head, run));
  else if (document.masthead) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [run(document.masthead, DOCX_FONT_NAMES.title, SIZE.三号)] }));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      // The title two lines below the number (§10.1), the addressee one line below it.
      spacing: head.form ? { before: 240, after: 240 } : { before: 2 * LINE_PITCH_TWIPS, after: LINE_PITCH_TWIPS },
      children: [run(document.title, DOCX_FONT_NAMES.title, SIZE.二号)],
    }),
  );
  if (document.addressee) children.push(body(`${document.addressee}：`));
  if (head.form) children.push(formTable(document, body));
  // The last paragraph keeps with the signature (and, by widow control, at least its last two
  // lines go with it), so the signature never stands alone on a page.
  if (!head.form) document.paragraphs.forEach((p, i) =>
    children.push(
      body(p.text, {
        face: p.heading ? DOCX_FONT_NAMES.heading : p.subheading ? DOCX_FONT_NAMES.kai : DOCX_FONT_NAMES.body,
        indent: !head.form,
        keepNext: !head.form && i === document.paragraphs.length - 1,
      }),
    ),
  );
  if (!head.form) {
    children.push(body('', { keepNext: true }));
    // Issuer centred over the date, the date four characters in from the right (GB/T 9704 7.3.5.2).
    const charTwips = SIZE.三号 * 20;
    const issuerIndent = Math.max(0, 4 + (textWidth(head.date) - textWidth(head.issuer)) / 2);
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        keepNext: true,
        indent: { right: Math.round(issuerIndent * charTwips) },
        spacing: { line: LINE_PITCH_TWIPS, lineRule: 'exact' },
        children: [run(head.issuer, DOCX_FONT_NAMES.body, SIZE.三号)],
      }),
    );
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: SIZE.三号 * 4 * 20 }, spacing: { line: LINE_PITCH_TWIPS, lineRule: 'exact' }, children: [run(head.date, DOCX_FONT_NAMES.body, SIZE.三号)] }));
  }
  const doc = new Document({
    creator: 'xinfang',
    title: document.title,
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: { width: 11906, height: 16838 }, margin: { top: Math.round(37 * TWIP_PER_MM), left: Math.round(28 * TWIP_PER_MM), right: Math.round(26 * TWIP_PER_MM), bottom: Math.round(35 * TWIP_PER_MM) } },
        },
        children,
        headers: head.code ? await qrHeaders(head.code) : undefined,
        footers: {
          first: new Footer({ children: [] }),
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.四号 * 2, font: font(DOCX_FONT_NAMES.body) })] })],
          }),
        },
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The form's paragraphs as ruled rows; rows left for handwriting (see writingRanks) are tall. */
function formTable(document: FilledDocument, body: (text: string) => Paragraph): Table {
  const ranks = writingRanks(document);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: document.paragraphs.map((p, i) => {
      const rank = ranks[i];
      const tall = rank === null || rank === undefined ? 0 : rank === 0 ? 90 : 30;
      return new TableRow({
        cantSplit: true,
        height: tall ? { value: Math.round(tall * TWIP_PER_MM), rule: HeightRule.ATLEAST } : undefined,
        children: [new TableCell({ children: [body(p.text)] })],
      });
    }),
  });
}

/** The QR code at the top right of every page, where the PDF has it. */
async function qrHeaders(code: string): Promise<{ first: Header; default: Header }> {
  const png = await qrPng(code);
  const emu = (mm: number) => Math.round(mm * 36_000);
  const sizePx = Math.round((QR_BOX.size / MM) * (96 / 25.4));
  const header = () =>
    new Header({
      children: [
        new Paragraph({
          children: [
            new ImageRun({
              type: 'png',
              data: png,
              transformation: { width: sizePx, height: sizePx },
              floating: {
                horizontalPosition: { relative: HorizontalPositionRelativeFrom.PAGE, offset: emu(210 - QR_BOX.right / MM - QR_BOX.size / MM) },
                verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: emu(QR_BOX.top / MM) },
                allowOverlap: true,
              },
              altText: { name: 'QR', description: code, title: '归档二维码' },
            }),
          ],
        }),
      ],
    });
  return { first: header(), default: header() };
}

/** Width in characters of 三号 type: Chinese characters are one, digits and Latin letters half. */
function textWidth(text: string): number {
  return [...text].reduce((w, c) => w + (/[\x00-\x7f]/.test(c) ? 0.5 : 1), 0);
}

type Run = (text: string, face: string, size: number, color?: string) => TextRun;

/**
 * The letterhead of GB/T 9704 §10.1 as far as Word allows: the issuer mark in a frame whose top is
 * 30 mm from the top edge of the page, the two red double rules as pictures placed on the page
 * (4 mm under the mark, and 20 mm above the bottom edge, both 170 mm long and centred on the text
 * block), the number flush right 7/8 of a 三号 character under the first rule.
 */
function letterhead(head: DocumentHead, run: Run): Paragraph[] {
  const f = LETTER_FORM;
  const g = OFFICIAL_PAGE;
  const twips = (points: number) => Math.round(points * TWIP_PER_PT);
  const ruleHeight = f.ruleThick + f.ruleSpace + f.ruleThin;
  // Word sets the mark in the office's own 小标宋, unknown here: Chinese glyphs ink about 92 % of
  // the em (measured on the free stand-ins and LibreOffice's fallback), which places the rule.
  const firstRuleTop = f.markTop + 0.92 * f.markSize + f.ruleGap;
  const secondRuleTop = A4.height - f.bottomRule - ruleHeight;
  const rule = (top: number, order: 'thick-over-thin' | 'thin-over-thick', name: string) =>
    new ImageRun({
      type: 'png',
      data: doubleRulePng(order, f),
      transformation: { width: (f.ruleLength / 72) * 96, height: (ruleHeight / 72) * 96 },
      floating: {
        horizontalPosition: { relative: HorizontalPositionRelativeFrom.PAGE, offset: emu(g.left + g.width / 2 - f.ruleLength / 2) },
        verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: emu(top) },
        allowOverlap: true,
        behindDocument: true,
      },
      altText: { name, description: '红色双线', title: name },
    });
  const numberTop = firstRuleTop + ruleHeight + (7 / 8) * SIZE.三号;
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      frame: {
        type: 'absolute',
        position: { x: twips(g.left), y: twips(f.markTop) },
        width: twips(g.width),
        height: twips(f.markSize),
        rule: HeightRule.EXACT,
        anchor: { horizontal: FrameAnchorType.PAGE, vertical: FrameAnchorType.PAGE },
        wrap: FrameWrap.NOT_BESIDE,
      },
      spacing: { line: twips(f.markSize), lineRule: 'exact', before: 0, after: 0 },
      children: [new TextRun({ text: head.issuer, font: font(DOCX_FONT_NAMES.title), size: f.markSize * 2, color: 'E60012', characterSpacing: twips(f.markSpacing) })],
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      // The text block starts at 37 mm; the number's line starts below the first rule.
      spacing: { before: Math.max(0, twips(numberTop - g.top)), line: twips(SIZE.三号), lineRule: 'exact' },
      children: [
        rule(firstRuleTop, 'thick-over-thin', '版头红色双线'),
        rule(secondRuleTop, 'thin-over-thick', '版记红色双线'),
        run(head.docNumber, DOCX_FONT_NAMES.body, SIZE.三号),
      ],
    }),
  ];
}
