/**
 * 卷内目录 and 归档文件目录 with the longest numbers and long titles, read back with positions: a
 * value broken across lines would come back as two text items on different lines of its cell.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFaces } from '../../src/adapters/fonts/font-files.js';
import { frontMatter, type ContentsRow } from '../../src/adapters/pdfkit/volume-pages.js';
import { CASE_CONTENTS_COLUMNS, YEAR_CONTENTS_COLUMNS } from '../../src/domain/binding.js';
import type { FitColumn } from '../../src/domain/table-fit.js';
import { readPdf } from '../helpers/pdf.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'xinfang-catalogue-'));
const TITLE = '王秀兰关于小区东门外的人行道被临时工棚长期占用、居民出行只能走机动车道、老人和学生非常危险的来信';
const NAMES = ['王芳', '王秀兰', '欧阳秀兰'];

async function contentsPages(title: string, columns: readonly FitColumn[], rows: ContentsRow[]) {
  const pdf = await frontMatter({ heading: '信访案卷', fields: [['档号', 'Z109-XF·2026-D30-0001']] }, { title, subtitle: '档号：Z109-XF·2026-D30-0001', columns, rows }, defaultFaces(), title, new Date(0));
  const file = path.join(dir, `${title}.pdf`);
  writeFileSync(file, pdf);
  const read = await readPdf(file);
  // The cover is page 1; the contents follow it (a blank back may end the file).
  return read.pages.slice(1).filter((p) => p.text.includes(title));
}

/** Every value named is on the page as one text item (whole, on one line), and as often as it was written. */
function expectWhole(pages: Awaited<ReturnType<typeof contentsPages>>, values: string[]) {
  const items = pages.flatMap((p) => p.items.map((i) => i.str));
  for (const value of new Set(values)) {
    expect(items.filter((s) => s === value).length, value).toBe(values.filter((v) => v === value).length);
  }
}

describe('catalogue tables fit their contents', () => {
  it('卷内目录: 序号, 4-digit 文号, 8-digit dates, page ranges and names each on one line, long titles wrapped', async () => {
    const rows = Array.from({ length: 14 }, (_, i) => ({
      cells: [String(i + 1), `八宝信〔2026〕${i % 2 ? 1 : 1234 + i}号`, i % 3 === 0 ? '八宝社区居民委员会' : NAMES[i % 3]!, TITLE, `2026${String(10 + (i % 3)).padStart(2, '0')}${String(3 + i * 2).padStart(2, '0')}`, i ? `${100 + i * 3}-${102 + i * 3}` : '1', i % 2 ? '领导签批件扫描' : '系统生成'],
    }));
    const pages = await contentsPages('卷内目录', CASE_CONTENTS_COLUMNS, rows);
    expect(pages.length).toBeGreaterThan(0);
    expectWhole(pages, rows.flatMap((r) => [r.cells[0]!, r.cells[1]!, r.cells[4]!, r.cells[5]!, ...(NAMES.includes(r.cells[2]!) ? [r.cells[2]!] : [])]));
    // The title is long: it wraps within its cell, over lines of one x, and is all there.
    const items = pages.flatMap((p) => p.items);
    const titleLines = items.filter((i) => i.str.length > 2 && !NAMES.includes(i.str) && TITLE.includes(i.str));
    expect(new Set(titleLines.map((i) => Math.round(i.x))).size).toBe(1);
    expect(titleLines.length).toBeGreaterThanOrEqual(rows.length * 3);
    expect(pages.map((p) => p.text.replace(/\s/g, '')).join('')).toContain(TITLE);
  });

  const yearRows = (unit: string) =>
    Array.from({ length: 20 }, (_, i) => ({
      cells: [String(i + 95), `Z109-XF·2026-D30-${unit}${String(1230 + i).padStart(4, '0')}`, `八宝信〔2026〕${1230 + i}号`, NAMES[i % 3]!, TITLE, `202612${String(10 + i).padStart(2, '0')}`, '', String(100 + i), i % 2 ? '来访' : ''],
    }));

  it('归档文件目录: 档号, 文号, dates, 页数 and names on one line, the title taking what is left', async () => {
    const rows = yearRows('');
    const pages = await contentsPages('归档文件目录', YEAR_CONTENTS_COLUMNS, rows);
    expect(pages.length).toBeGreaterThan(1);
    expectWhole(pages, rows.flatMap((r) => [r.cells[0]!, r.cells[1]!, r.cells[2]!, r.cells[3]!, r.cells[5]!, r.cells[7]!]));
    // The header stays whole on every page: 序号 … 备注, each on one line.
    for (const page of pages) for (const head of YEAR_CONTENTS_COLUMNS) expect(page.items.some((i) => i.str === head.title), head.title).toBe(true);
  });

  it('归档文件目录 with a unit code: a 档号 too long to leave the title room breaks only after a “-”, the rest still whole', async () => {
    const rows = yearRows('ABCDEFGHIJ-');
    const pages = await contentsPages('归档文件目录', YEAR_CONTENTS_COLUMNS, rows);
    expectWhole(pages, rows.flatMap((r) => [r.cells[0]!, r.cells[2]!, r.cells[3]!, r.cells[5]!, r.cells[7]!]));
    // The 档号 column's lines, in order, make up the references exactly, each line ending at a “-” or at a reference's end.
    const column = Math.round(pages[0]!.items.find((i) => i.str.startsWith('Z109-'))!.x);
    const lines = pages.flatMap((p) => p.items.filter((i) => Math.round(i.x) === column && i.str.trim() && i.str !== '档号').sort((a, b) => a.y - b.y)).map((i) => i.str);
    expect(lines.join('')).toBe(rows.map((r) => r.cells[1]).join(''));
    for (const line of lines) expect(line, line).toMatch(/(-|\d{4})$/);
    expect(lines.length).toBeGreaterThan(rows.length);
    // And the title keeps at least six characters a line.
    const titleLines = pages.flatMap((p) => p.items).filter((i) => i.str.length > 2 && !NAMES.includes(i.str) && TITLE.includes(i.str));
    expect(Math.max(...titleLines.map((i) => [...i.str].length))).toBeGreaterThanOrEqual(6);
  });
});
