import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFaces } from '../../src/adapters/fonts/font-files.js';
import { BOOK_COLUMNS } from '../../src/domain/book.js';
import { SIZE } from '../../src/domain/page.js';
import { readPdf } from '../helpers/pdf.js';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const MATTERS = [
  '小区东门外的人行道被临时工棚占用，居民出行只能走机动车道，老人和学生非常危险，请社区协调有关部门尽快拆除工棚，恢复人行道通行。',
  '物业公司不再清运垃圾，楼道里堆满杂物，请社区督促物业公司履行合同。',
  '单位一直没有给我缴纳社会保险，请社区帮助我向单位反映，依法补缴。',
];

describe('the register book, read back as a reader would', () => {
  let root: string;
  const count = 45;
  const summaries: string[] = [];

  beforeAll(async () => {
    root = await makeWorkspace({ workflow: { blankSheets: false } });
    const office = await officeAt(root);
    for (let i = 0; i < count; i++) {
      const row = await office.cases.register({ name: '系统' }, {
        channel: i % 5 === 0 ? '来访' : '电话',
        matter: MATTERS[i % MATTERS.length]!,
        fields: { name: `王秀${'兰芳英华'[i % 4]}`, phone: `139${String(10_000_000 + i)}`, idNumber: i === 0 ? '110108198801011235' : undefined },
        receivedAt: new Date(Date.UTC(2026, 9 + (i % 2), 1 + i / 2)),
      });
      summaries.push(row.fields.summary!);
    }
    await office.close();
  });

  it('PDF: landscape A4, fonts embedded, a title page with the counts, the header on every page, no row cut', async () => {
    const r = runCli(['--root', root, 'book', '--year', '2026']);
    expect(r.status, r.stderr).toBe(0);
    const pdf = await readPdf(path.join(root, 'archive', '登记簿', '2026年来信来访登记簿.pdf'));
    expect(pdf.pages.length).toBeGreaterThan(3);
    for (const page of pdf.pages) {
      expect(page.width).toBeCloseTo(841.89, 1);
      expect(page.height).toBeCloseTo(595.28, 1);
    }
    expect(pdf.raw.includes('/FontFile2')).toBe(true);
    const title = pdf.pages[0]!.text.replace(/\s/g, '');
    expect(title).toContain('来信来访登记簿');
    expect(title).toContain('八宝社区居民委员会');
    expect(title).toContain(`登记总数：${count}件（来访9件，电话36件）`);
    const tablePages = pdf.pages.slice(1).map((p) => p.text.replace(/\s/g, ''));
    tablePages.forEach((text, i) => {
      expect(text).toContain('序号编号收到日期信访人身份证号住址联系电话人数反映问题摘要类别领导批示经办人办理时限办理结果答复日期回访评价备注');
      expect(text).toContain(`—${i + 2}—`);
    });
    for (let i = 1; i <= count; i++) {
      // A row reads: 序号, 编号, 收到日期 … (a number in 备注 is a link to an earlier letter, not a row).
      const holding = tablePages.filter((t) => t.includes(`${i}八宝信〔2026〕${i}号2026-`));
      expect(holding, `case ${i}`).toHaveLength(1);
      // The row's longest cell, wrapped over several lines, sits whole on the same page as its number.
      expect(holding[0]).toContain(summaries[i - 1]!.replace(/\s/g, ''));
    }
    const all = tablePages.join('');
    // The office's own record: phones in full, the ID number masked (the defaults).
    expect(all).toContain('13910000000');
    expect(all).not.toContain('139****0000');
    expect(all).toContain('110108********1235');
    expect(all).not.toContain('110108198801011235');
  });

  it('PDF for one month, and a month with nothing in it', async () => {
    expect(runCli(['--root', root, 'book', '--year', '2026', '--month', '11']).status).toBe(0);
    const november = await readPdf(path.join(root, 'archive', '登记簿', '2026年11月来信来访登记簿.pdf'));
    expect(november.pages[0]!.text.replace(/\s/g, '')).toContain('登记总数：22件');
    expect(runCli(['--root', root, 'book', '--year', '2026', '--month', '3']).status).toBe(0);
    const march = await readPdf(path.join(root, 'archive', '登记簿', '2026年3月来信来访登记簿.pdf'));
    expect(march.pages.at(-1)!.text.replace(/\s/g, '')).toContain('本期没有登记来信来访');
  });

  it('DOCX: the same rows, the header repeated, rows kept whole, the standard Chinese fonts named', async () => {
    const r = runCli(['--root', root, '--json', 'book', '--year', '2026', '--format', 'docx']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ file: 'archive/登记簿/2026年来信来访登记簿.docx', cases: count });
    const zip = await JSZip.loadAsync(readFileSync(path.join(root, 'archive', '登记簿', '2026年来信来访登记簿.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('<w:tblHeader/>');
    expect((xml.match(/<w:cantSplit\/>/g) ?? []).length).toBe(count + 1);
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="黑体"');
    // Landscape A4: the wide side across (docx swaps the two when told the page is landscape).
    expect(xml).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    for (let i = 1; i <= count; i++) expect(xml).toContain(`八宝信〔2026〕${i}号`);
    expect(xml).toContain('13910000000');
    expect(xml).not.toContain('139****0000');
  });

  it('refuses a wrong year, month or format with exit code 2', () => {
    expect(runCli(['--root', root, 'book', '--year', '26']).status).toBe(2);
    expect(runCli(['--root', root, 'book', '--year', '2026', '--month', '13']).stderr).toContain('月份');
    expect(runCli(['--root', root, 'book', '--year', '2026', '--format', 'xls']).status).toBe(2);
  });
});

/**
 * A book whose values must each stay on one line: an 11-digit mobile and a landline, an
 * 18-character ID number, names of two, three and four characters, dates. Read back with
 * positions, a value broken across lines would be two text items; in the DOCX each such column
 * must be at least as wide as its widest value at 小五, in the bundled face and in a GB2312 one.
 */
describe('the register book keeps numbers, dates and names whole', () => {
  const PEOPLE = [
    { name: '王芳', phone: '13912345678', idNumber: '110108198801011235' },
    { name: '李秀兰', phone: '010-62345678', idNumber: '11010819880101123X' },
    { name: '欧阳秀兰', phone: '13661234567', idNumber: '440305197912310018' },
  ];
  const LONG = '小区东门外的人行道被临时工棚占用，居民出行只能走机动车道，老人和学生非常危险，请社区协调有关部门尽快拆除工棚。';

  async function bookOf(book: Record<string, unknown>): Promise<string> {
    const root = await makeWorkspace({ workflow: { blankSheets: false }, book });
    const office = await officeAt(root);
    for (const [i, p] of [...PEOPLE, ...PEOPLE].entries()) {
      await office.cases.register({ name: '系统' }, { channel: '来访', matter: LONG, fields: { name: p.name, phone: p.phone, idNumber: p.idNumber }, receivedAt: new Date(Date.UTC(2026, 10, 3 + i * 5, 2)) });
    }
    await office.reports.book({ name: '王档' }, 2026, undefined, 'pdf');
    await office.reports.book({ name: '王档' }, 2026, undefined, 'docx');
    await office.close();
    return root;
  }

  /** The table's text items, and how many times each value occurs as a whole item. */
  async function tableItems(root: string) {
    const pdf = await readPdf(path.join(root, 'archive', '登记簿', '2026年来信来访登记簿.pdf'));
    return pdf.pages.slice(1).flatMap((p) => p.items.map((i) => i.str));
  }
  const count = (items: string[], value: string) => items.filter((s) => s === value).length;
  /** The dates (收到日期, and in 办理时限 the notice deadline), each found whole; no piece of one on a line of its own. */
  const expectWholeDates = (items: string[]) => {
    for (const d of DATES) expect(count(items, d), d).toBeGreaterThanOrEqual(1);
    const dashed = items.filter((s) => /^[\d*-]+$/.test(s) && s.includes('-'));
    expect(dashed.filter((s) => !/^2026-\d{2}-\d{2}$/.test(s) && !/^010-(62345678|\*{4}5678)$/.test(s))).toEqual([]);
  };
  const DATES = Array.from({ length: 6 }, (_, i) => `2026-11-${String(3 + i * 5).padStart(2, '0')}`);

  /** The DOCX table's column widths (twips) against each column's widest value at 小五, with the cell margins. */
  async function docxFits(root: string, values: Record<string, string[]>) {
    const zip = await JSZip.loadAsync(readFileSync(path.join(root, 'archive', '登记簿', '2026年来信来访登记簿.docx')));
    const raw = await zip.file('word/document.xml')!.async('string');
    // A hyphen between figures is Word's non-breaking one, so 2026-11-18 never breaks after 2026-.
    expect(raw).toContain('<w:t xml:space="preserve">2026</w:t><w:noBreakHyphen/><w:t xml:space="preserve">11</w:t>');
    const xml = raw.replace(/<\/w:t><w:noBreakHyphen\/><w:t xml:space="preserve">/g, '-');
    expect(xml).toContain('<w:tblLayout w:type="fixed"/>');
    // Figures in Times New Roman (Liberation Serif where it is missing): half an em, as measured below.
    expect(xml).toContain('w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"');
    const grid = [...xml.slice(xml.indexOf('<w:tblGrid>'), xml.indexOf('</w:tblGrid>')).matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid).toHaveLength(BOOK_COLUMNS.length);
    const margins = xml.slice(xml.indexOf('<w:tblCellMar>'), xml.indexOf('</w:tblCellMar>'));
    const margin = (side: string) => Number(new RegExp(`<w:${side} [^>]*w:w="(\\d+)"`).exec(margins)![1]) / 20;
    const room = (title: string) => grid[BOOK_COLUMNS.findIndex((c) => c.title === title)]! / 20 - margin('left') - margin('right');
    const face = fontkit.openSync(defaultFaces().body) as fontkit.Font;
    const noto = (t: string) => (face.layout(t).advanceWidth / face.unitsPerEm) * SIZE.小五;
    // 仿宋_GB2312 and the like: Chinese characters a full em, Latin letters and figures half of one.
    const gb2312 = (t: string) => [...t].reduce((a, ch) => a + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0) * SIZE.小五;
    for (const [title, texts] of Object.entries(values)) {
      for (const t of texts) {
        expect(room(title), `${title} ${t}`).toBeGreaterThanOrEqual(Math.max(noto(t), gb2312(t)));
        expect(xml).toContain(`>${t}<`);
      }
    }
    return xml;
  }

  it('by default: phones in full, ID numbers masked, each value one text item in the PDF and room for it in the DOCX', async () => {
    const root = await bookOf({});
    const items = await tableItems(root);
    for (const p of PEOPLE) {
      expect(count(items, p.name), p.name).toBe(2);
      expect(count(items, p.phone), p.phone).toBe(2);
      const masked = `${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`;
      expect(count(items, masked), masked).toBe(2);
      expect(items.join('')).not.toContain(p.idNumber);
    }
    expectWholeDates(items);
    for (let i = 1; i <= 6; i++) expect(count(items, `八宝信〔2026〕${i}号`)).toBe(1);
    const xml = await docxFits(root, {
      信访人: PEOPLE.map((p) => p.name),
      联系电话: PEOPLE.map((p) => p.phone),
      身份证号: PEOPLE.map((p) => `${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`),
      收到日期: DATES,
      编号: ['八宝信〔2026〕6号'],
    });
    expect(xml).not.toContain('110108198801011235');
  });

  it('with the settings flipped: phones masked, ID numbers in full, still each on one line', async () => {
    const root = await bookOf({ maskPhone: true, maskIdNumber: false });
    const items = await tableItems(root);
    for (const p of PEOPLE) {
      expect(count(items, p.idNumber), p.idNumber).toBe(2);
      expect(count(items, p.name), p.name).toBe(2);
      expect(items.join('')).not.toContain(p.phone);
    }
    expect(count(items, '139****5678')).toBe(2);
    expectWholeDates(items);
    await docxFits(root, { 身份证号: PEOPLE.map((p) => p.idNumber), 信访人: PEOPLE.map((p) => p.name), 收到日期: DATES });
  });
});
