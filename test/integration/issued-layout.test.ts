/**
 * The papers that go out, measured on the page: the letter form of GB/T 9704-2012 §10.1, the
 * signature never alone on a page, and the instruction sheet's room to sign. Real pdfkit and docx
 * output, parsed back with positions and rendered by pdf.js.
 */
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { issuedDocx } from '../../src/adapters/docx/issued-docx.js';
import { defaultFaces } from '../../src/adapters/fonts/font-files.js';
import { issuedPdf } from '../../src/adapters/pdfkit/issued-pdf.js';
import { fillTemplate } from '../../src/adapters/templates/templates.js';
import type { DocumentHead } from '../../src/domain/issued-document.js';
import { encodePaperCode } from '../../src/domain/paper-code.js';
import { isInk, isRed, renderColour, rowRuns, rowSpan, type ColourPage } from '../helpers/colour-page.js';
import { readPdf } from '../helpers/pdf.js';
import { repoRoot } from '../helpers/workspace.js';

const templates = path.join(repoRoot, 'templates');
const MM = 72 / 25.4;
const PITCH = (225 / 22) * MM;
const TEXT_BLOCK = { left: 28, right: 184, top: 37, bottom: 262 };
const faces = defaultFaces();
const created = new Date('2026-11-25T02:00:00Z');
const head: DocumentHead = {
  issuer: '八宝社区居民委员会',
  docNumber: '八宝信〔2026〕1号',
  date: '2026年11月25日',
  form: false,
  code: encodePaperCode({ caseNumber: '八宝信〔2026〕1号', kind: '信访处理意见书' }),
};
const replyData = {
  信访人等: '王秀兰',
  人称: '你',
  来信日期: '2026年11月3日',
  渠道: '来信',
  信访请求: '请求责令烧烤店安装油烟净化设施，晚上十点后停止营业。',
  处理意见: '予以支持',
  处理依据: '《中华人民共和国大气污染防治法》第八十一条',
  复查机关: '八宝街道办事处',
};
/** Han characters only, so that 28 more of them make exactly one more line (no punctuation rules at line ends). */
const HAN = '经现场核查该店未安装油烟净化设施夜间经营噪声超过排放标准社区已责令限期整改并将跟踪回访';
const han = (n: number) => HAN.repeat(Math.ceil(n / HAN.length)).slice(0, n);
const squeeze = (s: string) => s.replace(/\s/g, '');
const mm = (p: ColourPage, px: number) => px / p.scale;

/** A decline notice (the shortest letter, so its end starts high on the first page) whose reason is `reason`. */
function declineNotice(reason: string) {
  return fillTemplate(templates, '不予受理告知书', { ...replyData, 摘要: '楼下烧烤店油烟扰民', 收到日期: '2026年11月3日', 不予受理理由: reason, 正确途径: '向区信访局反映' });
}

describe('the signature block is never alone on a page', () => {
  // The reason grows by one line at a time, so the body's end walks down the first page from its
  // seventh line, through every line of the second and onto a third.
  const steps = Array.from({ length: 36 }, (_, k) => k);
  let letters: { facts: string; pdf: Awaited<ReturnType<typeof readPdf>>; docx: string }[] = [];

  beforeAll(async () => {
    letters = [];
    for (const k of steps) {
      const facts = han(10 + 28 * k);
      const document = declineNotice(facts);
      const pdf = await readPdf(await issuedPdf(document, head, faces, created));
      const docx = await (await JSZip.loadAsync(await issuedDocx(document, head))).file('word/document.xml')!.async('string');
      letters.push({ facts, pdf, docx });
    }
  }, 120_000);

  it('walks the body one line at a time from the first page to the third', () => {
    const lineCount = (pdf: Awaited<ReturnType<typeof readPdf>>) =>
      pdf.pages.reduce((n, page) => n + new Set(page.items.filter((i) => !/^— \d+ —$/.test(i.str)).map((i) => Math.round(i.y))).size, 0);
    const counts = letters.map((l) => lineCount(l.pdf));
    expect(counts.slice(1).map((c, i) => c - counts[i]!)).toEqual(steps.slice(1).map(() => 1));
    expect(letters[0]!.pdf.pages).toHaveLength(1);
    expect(letters.at(-1)!.pdf.pages).toHaveLength(3);
  });

  it('puts body text on the page with the issuer and date, a line or two above them, inside the text block', () => {
    const pulled: number[] = [];
    letters.forEach(({ facts, pdf }, k) => {
      const pages = pdf.pages;
      const last = pages.at(-1)!;
      const at = (page: (typeof pages)[number], str: string) => page.items.filter((i) => i.str === str);
      const issuer = at(last, head.issuer).filter((i) => i.x > 100 * MM).at(-1);
      const date = at(last, head.date).at(-1);
      expect(issuer, `letter ${k}: issuer on the last page`).toBeDefined();
      expect(date, `letter ${k}: date on the last page`).toBeDefined();
      // Nowhere else: only one signature.
      pages.slice(0, -1).forEach((p) => expect(at(p, head.date)).toEqual([]));
      const body = last.items.filter((i) => i !== issuer && i !== date && !/^— \d+ —$/.test(i.str) && i.y < issuer!.y);
      expect(body.length, `letter ${k}: body text with the signature`).toBeGreaterThan(0);
      const lastLine = Math.max(...body.map((i) => i.y));
      const gap = (issuer!.y - lastLine) / PITCH;
      expect(gap, `letter ${k}: empty lines above the issuer`).toBeGreaterThanOrEqual(1.9);
      expect(gap).toBeLessThanOrEqual(3.1);
      expect(date!.y - issuer!.y).toBeCloseTo(PITCH, 0);
      expect(date!.y / MM, `letter ${k}: date inside the text block`).toBeLessThanOrEqual(TEXT_BLOCK.bottom);
      // Every page before the last is filled with body text but for the two lines carried over and
      // the two the signature could not use.
      for (const page of pages.slice(0, -1)) expect(Math.max(...page.items.filter((i) => !/^— \d+ —$/.test(i.str)).map((i) => i.y)) / MM).toBeGreaterThan(TEXT_BLOCK.bottom - 5 * 10.23);
      // Nothing lost or doubled when lines are carried over.
      const text = squeeze(pages.flatMap((p) => p.items.filter((i) => !/^— \d+ —$/.test(i.str)).map((i) => i.str)).join(''));
      expect(text.split(facts).length - 1, `letter ${k}: the facts once, whole`).toBe(1);
      if (pages.length > 1) {
        const firstBodyY = Math.min(...last.items.filter((i) => !/^— \d+ —$/.test(i.str)).map((i) => i.y));
        const lines = new Set(body.map((i) => Math.round(i.y))).size;
        if (firstBodyY / MM < TEXT_BLOCK.top + 10.3 && lines <= 2) pulled.push(k);
      }
    });
    // Some bodies ended on the last lines of a page and had lines carried over: the case is exercised.
    expect(pulled.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the last body paragraph with the signature in the DOCX, for every length', () => {
    for (const { docx } of letters) {
      const paragraphs = docx.match(/<w:p>[\s\S]*?<\/w:p>|<w:p [\s\S]*?<\/w:p>/g)!;
      const texts = paragraphs.map((p) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
      const dateAt = texts.lastIndexOf(head.date);
      expect(dateAt).toBe(paragraphs.length - 1);
      expect(texts[dateAt - 1]).toBe(head.issuer);
      expect(texts[dateAt - 2]).toBe('');
      const lastBody = paragraphs[dateAt - 3]!;
      expect(texts[dateAt - 3]).toBe('特此告知。');
      for (const p of [lastBody, paragraphs[dateAt - 2]!, paragraphs[dateAt - 1]!]) expect(p).toContain('<w:keepNext/>');
      // Widow control moves at least two lines of a long last paragraph, never one alone.
      expect(lastBody).toContain('<w:widowControl/>');
      expect(paragraphs[dateAt]).not.toContain('<w:keepNext/>');
    }
  });
});

describe('the letter form of GB/T 9704-2012 §10.1, measured on the rendered first page', () => {
  let page: ColourPage;
  let items: Awaited<ReturnType<typeof readPdf>>['pages'][number]['items'];
  let docx: string;

  beforeAll(async () => {
    const document = fillTemplate(templates, '受理告知书', { ...replyData, 摘要: '楼下烧烤店油烟扰民', 收到日期: '2026年11月3日', 经办单位: '社区综合治理办公室', 经办人: '李文', 办结期限: '自受理之日起六十日内', 延期上限: '三十日' });
    const pdf = await issuedPdf(document, head, faces, created);
    page = await renderColour(pdf, 1, 8);
    items = (await readPdf(pdf)).pages[0]!.items;
    docx = await (await JSZip.loadAsync(await issuedDocx(document, head))).file('word/document.xml')!.async('string');
  });

  /** Rows holding red across at least `minMm` of the page: the rules (long) or the mark (short). */
  const redRows = (minMm: number, from = 0, to = page.height - 1) => rowRuns(page, (y) => rowSpan(page, y, isRed).count >= minMm * page.scale, from, to);

  it('sets the issuer mark in red, centred, its top edge 30 mm from the top edge of the page', () => {
    const rules = redRows(150);
    const mark = redRows(1, 0, rules[0]![0] - 1);
    const top = mm(page, mark[0]![0]);
    expect(top).toBeGreaterThan(29);
    expect(top).toBeLessThan(31);
    const spans = mark.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => rowSpan(page, a + i, isRed))).filter((s) => s.count);
    const left = mm(page, Math.min(...spans.map((s) => s.first)));
    const right = mm(page, Math.max(...spans.map((s) => s.last)));
    expect((left + right) / 2).toBeCloseTo((TEXT_BLOCK.left + TEXT_BLOCK.right) / 2, -0.3);
    console.log(`mark top ${top.toFixed(1)} mm, from ${left.toFixed(1)} to ${right.toFixed(1)} mm`);
  });

  it('draws a red double rule, thick over thin, 4 mm under the mark, and one thin over thick 20 mm above the bottom edge, both 170 mm long and centred', () => {
    const rules = redRows(150);
    expect(rules).toHaveLength(4);
    const [thick1, thin1, thin2, thick2] = rules as [[number, number], [number, number], [number, number], [number, number]];
    const height = ([a, b]: [number, number]) => b - a + 1;
    expect(height(thick1)).toBeGreaterThan(height(thin1));
    expect(height(thick2)).toBeGreaterThan(height(thin2));
    const mark = redRows(1, 0, thick1[0] - 1);
    const markBottom = mm(page, mark.at(-1)![1] + 1);
    const under = mm(page, thick1[0]) - markBottom;
    expect(under).toBeGreaterThan(3);
    expect(under).toBeLessThan(5);
    const aboveBottom = 297 - mm(page, thick2[1] + 1);
    expect(aboveBottom).toBeGreaterThan(19);
    expect(aboveBottom).toBeLessThan(21);
    for (const band of [thick1, thin1, thin2, thick2]) {
      const span = rowSpan(page, Math.round((band[0] + band[1]) / 2), isRed);
      const length = mm(page, span.last + 1 - span.first);
      expect(length).toBeGreaterThan(169);
      expect(length).toBeLessThan(171);
      expect(mm(page, (span.first + span.last + 1) / 2)).toBeCloseTo((TEXT_BLOCK.left + TEXT_BLOCK.right) / 2, -0.3);
    }
    console.log(`mark bottom to first rule ${under.toFixed(1)} mm; second rule's bottom ${aboveBottom.toFixed(1)} mm above the bottom edge`);
  });

  it('prints the number flush with the right edge of the text block, 7/8 of a 三号 character under the first rule', () => {
    const rules = redRows(150);
    const ruleBottom = rules[1]![1] + 1;
    // Black ink in the right half, from the rule down to the title's line.
    const window = rowRuns(page, (y) => rowSpan(page, y, isInk, Math.round(106 * page.scale), Math.round(190 * page.scale)).count > 0, ruleBottom, ruleBottom + Math.round(15 * page.scale));
    const [top, bottom] = window[0]!;
    const below = mm(page, top - ruleBottom);
    expect(below).toBeGreaterThan((7 / 8) * 16 / MM - 1);
    expect(below).toBeLessThan((7 / 8) * 16 / MM + 1);
    let right = 0;
    for (let y = top; y <= bottom; y++) right = Math.max(right, rowSpan(page, y, isInk, Math.round(106 * page.scale), Math.round(200 * page.scale)).last);
    expect(mm(page, right + 1)).toBeGreaterThan(TEXT_BLOCK.right - 1);
    expect(mm(page, right + 1)).toBeLessThan(TEXT_BLOCK.right + 1);
    // What is written there is the number.
    const number = items.find((i) => i.str.includes('八宝信'))!;
    expect(squeeze(items.filter((i) => Math.abs(i.y - number.y) < 2).map((i) => i.str).join(''))).toBe(head.docNumber);
    expect(number.y / MM).toBeGreaterThan(mm(page, top));
    expect(number.y / MM).toBeLessThan(mm(page, bottom) + 1.5);
    console.log(`number ${below.toFixed(1)} mm under the rule, right edge at ${mm(page, right + 1).toFixed(1)} mm`);
  });

  it('lays out the same letterhead in the DOCX: the mark framed at 30 mm, both rules 170 mm placed on the page, the number flush right', () => {
    const twips = (mmValue: number) => Math.round((mmValue * 72 * 20) / 25.4);
    const frame = /<w:framePr[^>]*>/.exec(docx)![0];
    expect(frame).toContain('w:hAnchor="page"');
    expect(frame).toContain('w:vAnchor="page"');
    expect(Number(/w:y="(\d+)"/.exec(frame)![1])).toBeCloseTo(twips(30), -1);
    const markParagraph = docx.slice(docx.indexOf('<w:framePr'), docx.indexOf('</w:p>', docx.indexOf('<w:framePr')));
    expect(markParagraph).toContain('<w:color w:val="E60012"/>');
    expect(markParagraph).toContain(`>${head.issuer}<`);
    expect(markParagraph).toContain('<w:jc w:val="center"/>');
    const anchors = [...docx.matchAll(/<wp:anchor[\s\S]*?<\/wp:anchor>/g)].map((m) => m[0]).filter((a) => a.includes('红色双线'));
    expect(anchors).toHaveLength(2);
    const emuToMm = (emu: number) => emu / 36_000;
    const placed = anchors.map((a) => ({
      x: emuToMm(Number(/<wp:positionH relativeFrom="page"><wp:posOffset>(\d+)</.exec(a)![1])),
      y: emuToMm(Number(/<wp:positionV relativeFrom="page"><wp:posOffset>(\d+)</.exec(a)![1])),
      width: emuToMm(Number(/<wp:extent cx="(\d+)" cy="(\d+)"/.exec(a)![1])),
      height: emuToMm(Number(/<wp:extent cx="(\d+)" cy="(\d+)"/.exec(a)![2])),
    }));
    for (const rule of placed) {
      expect(rule.width).toBeCloseTo(170, 0);
      expect(rule.x + rule.width / 2).toBeCloseTo((TEXT_BLOCK.left + TEXT_BLOCK.right) / 2, 0);
    }
    // The first 4 mm under the mark (its glyphs about 0.92 of its size), the second with its bottom edge 20 mm above the page's.
    expect(Math.abs(placed[0]!.y - (30 + (0.92 * 22 * 1.3) / MM + 4))).toBeLessThan(1);
    expect(297 - placed[1]!.y - placed[1]!.height).toBeCloseTo(20, 0);
    const numberParagraph = /<w:p>(?:(?!<\/w:p>)[\s\S])*?八宝信〔2026〕1号[\s\S]*?<\/w:p>/.exec(docx.slice(docx.indexOf('</w:p>') + 6))![0];
    expect(numberParagraph).toContain('<w:jc w:val="right"/>');
    expect(numberParagraph).not.toContain('w:ind');
  });
});

describe('the instruction sheet leaves room to sign', () => {
  const sheetData = {
    单位: '八宝社区居民委员会',
    编号: '八宝信〔2026〕1号',
    收到日期: '2026年11月3日',
    渠道: '来访',
    信访人等: '王秀兰',
    联系电话: '13900000001',
    摘要: '楼下烧烤店油烟噪音扰民，请社区尽快处理。',
    类别: '环境保护',
    办理类型: '申诉求决类',
  };
  const filledData = { ...sheetData, 领导批示: '请综治办核实处理，按期答复，注意做好信访人的解释工作。（张主任，2026年11月3日）', 经办人: '李文', 办理时限: '2026年12月1日' };
  const sheetHead = { ...head, form: true, code: encodePaperCode({ caseNumber: head.docNumber, kind: '批办单' }) };

  async function measure(data: Record<string, string>) {
    const pdf = await issuedPdf(fillTemplate(templates, '批办单', data, { blanksAllowed: true }), sheetHead, faces, created);
    const page = await renderColour(pdf, 1, 8);
    const items = (await readPdf(pdf)).pages[0]!.items;
    // The table's horizontal rules: ink across most of the text block's width.
    const rules = rowRuns(page, (y) => rowSpan(page, y, isInk, Math.round(TEXT_BLOCK.left * page.scale), Math.round(TEXT_BLOCK.right * page.scale)).count > 140 * page.scale);
    const label = items.find((i) => i.str.startsWith('领导批示'))!;
    const labelPx = (label.y / MM) * page.scale;
    const above = rules.filter(([, b]) => b < labelPx).at(-1)!;
    const below = rules.find(([a]) => a > labelPx)!;
    return { items, page, box: { top: mm(page, above[1]), bottom: mm(page, below[0]), height: mm(page, below[0] - above[1]) } };
  }

  it('keeps the 领导批示 box as tall once the instruction is typed in as on the blank sheet, with the office named at the top of both', async () => {
    const blank = await measure(sheetData);
    const filled = await measure(filledData);
    console.log(`领导批示 box: blank ${blank.box.height.toFixed(1)} mm, filled ${filled.box.height.toFixed(1)} mm`);
    expect(blank.box.height).toBeGreaterThan(60);
    expect(Math.abs(filled.box.height - blank.box.height)).toBeLessThanOrEqual(1);
    expect(filled.box.height).toBeGreaterThanOrEqual(blank.box.height - 0.15);
    // The typed instruction sits at the top of the box and leaves most of it free to sign.
    const typed = filled.items.filter((i) => i.y / MM > filled.box.top && i.y / MM < filled.box.bottom);
    expect(squeeze(typed.map((i) => i.str).join(''))).toContain('请综治办核实处理');
    expect(filled.box.bottom - Math.max(...typed.map((i) => i.y / MM))).toBeGreaterThan(45);
    for (const sheet of [blank, filled]) {
      const title = sheet.items.find((i) => i.str.includes('信访事项批办单'))!;
      const office = sheet.items.find((i) => i.str === '八宝社区居民委员会')!;
      expect(office).toBeDefined();
      expect(office.y).toBeLessThan(title.y);
      // Clear of the QR code at the top right (from 178 mm) and on the page.
      expect(office.x / MM).toBeGreaterThan(TEXT_BLOCK.left);
      expect(office.x / MM + 9 * 16 / MM).toBeLessThan(178);
      expect(office.y / MM).toBeGreaterThan(20);
    }
  });

  it('keeps the same tall rows in the DOCX, filled or blank, under the office\'s name', async () => {
    const xmlOf = async (data: Record<string, string>) =>
      (await JSZip.loadAsync(await issuedDocx(fillTemplate(templates, '批办单', data, { blanksAllowed: true }), sheetHead))).file('word/document.xml')!.async('string');
    const heights = [];
    for (const xml of [await xmlOf(sheetData), await xmlOf(filledData)]) {
      const row = [...xml.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]).find((r) => r.includes('领导批示'))!;
      const height = /<w:trHeight w:val="(\d+)" w:hRule="atLeast"\/>/.exec(row);
      expect(height).not.toBeNull();
      heights.push(Number(height![1]));
      expect(xml.indexOf('>八宝社区居民委员会<')).toBeGreaterThan(0);
      expect(xml.indexOf('>八宝社区居民委员会<')).toBeLessThan(xml.indexOf('>信访事项批办单<'));
    }
    expect(heights[1]).toBe(heights[0]);
    expect(heights[0]! / 56.7).toBeGreaterThanOrEqual(60);
  });
});
