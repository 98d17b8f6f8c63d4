import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
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
      expect(text).toContain('序号编号收到日期信访人住址联系电话人数反映问题摘要类别领导批示经办人办理时限办理结果答复日期备注');
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
    expect(all).toContain('139****0000');
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
    expect(xml).toContain('139****0000');
  });

  it('refuses a wrong year, month or format with exit code 2', () => {
    expect(runCli(['--root', root, 'book', '--year', '26']).status).toBe(2);
    expect(runCli(['--root', root, 'book', '--year', '2026', '--month', '13']).stderr).toContain('月份');
    expect(runCli(['--root', root, 'book', '--year', '2026', '--format', 'xls']).status).toBe(2);
  });
});
