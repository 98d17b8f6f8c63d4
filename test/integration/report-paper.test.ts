/**
 * The statistics report and the dispute ledger as they come out on paper: chart labels painted,
 * a bar's value clear of the chart's title, the signature never alone on a page.
 */
import path from 'node:path';
import * as fontkit from 'fontkit';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { barChart, pieChart } from '../../src/adapters/charts/charts.js';
import { reportDocx } from '../../src/adapters/docx/report-docx.js';
import { defaultFaces, defaultSansFont } from '../../src/adapters/fonts/font-files.js';
import { renderPdfPage } from '../../src/adapters/pdfjs/render-pages.js';
import { reportPdf } from '../../src/adapters/pdfkit/report-pdf.js';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { chineseDate } from '../../src/domain/calendar.js';
import { LEDGER_COLUMNS, type LedgerRow } from '../../src/domain/reports/ledger.js';
import type { PeriodStats } from '../../src/domain/reports/stats.js';
import type { Settings } from '../../src/domain/settings.js';
import type { Chart } from '../../src/domain/report-document.js';
import { ledgerReport, statsReport } from '../../src/services/report-documents.js';
import { readPdf, type PdfTextItem } from '../helpers/pdf.js';
import { repoRoot } from '../helpers/workspace.js';

const at = new Date('2026-12-05T02:00:00Z');
const today = '2026-12-05';
let settings: Settings;
beforeAll(() => {
  settings = loadSettings(path.join(repoRoot, 'pipeline', 'settings.yaml'));
});

/** A month's figures with every chart holding data; `overdue` rows lengthen the report. */
function figures(overdue = 0): PeriodStats {
  const categories = settings.categories.map((c) => c.name);
  const count = (names: string[], f: (i: number) => number) => names.map((name, i) => ({ name, count: f(i) }));
  return {
    period: { from: '2026-11-01', to: '2026-11-30', label: '2026年11月' },
    asOf: '2026-11-30',
    total: 23,
    byCategory: count(categories, (i) => (i === 1 ? 7 : i % 3)),
    byCategoryBefore: count(categories, (i) => (i === 1 ? 2 : 0)),
    byChannel: count(['来信', '来访', '电话', '网上', '转办'], (i) => 5 - i),
    byHandlingType: count(['建议意见类', '检举控告类', '申诉求决类'], (i) => i + 1),
    byStatus: count(['已登记', '已办结'], (i) => i + 2),
    firstPetitions: { total: 10, closed: 6, rate: 0.6 },
    onTime: { answered: 5, onTime: 3, late: 2, rate: 0.6, onTimeCases: ['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号'], lateCases: ['八宝信〔2026〕4号', '八宝信〔2026〕5号'] },
    overdue: Array.from({ length: overdue }, (_, i) => ({ number: `八宝信〔2026〕${i + 1}号`, name: `信访人${i + 1}`, deadline: '2026-11-16', what: '办结', daysLate: 14 })),
    repeatPeople: [],
    group: { count: 0, cases: [] },
    urgent: { count: 0, cases: [] },
    returned: { count: 0, cases: [] },
    rising: [{ category: categories[1]!, now: 7, before: 2 }],
    byMonth: Array.from({ length: 12 }, (_, i) => ({ month: `2025-${String(i + 1).padStart(2, '0')}`, count: i === 5 ? 12 : i % 4 })),
    byCaseLeader: [],
    satisfaction: { visited: 0, satisfied: 0, rate: null, byResult: [], byCategory: [], byHandler: [], unsatisfied: [] },
  };
}

/** The share of dark pixels in the box a text run occupies on the rendered page (cap height to baseline). */
function ink(page: { data: Buffer; width: number }, scale: number, item: PdfTextItem): number {
  const x0 = Math.round(item.x * scale);
  const x1 = Math.round((item.x + item.width) * scale);
  const y0 = Math.round((item.y - 0.7 * item.height) * scale);
  const y1 = Math.round((item.y - 0.05 * item.height) * scale);
  let dark = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (page.data[y * page.width + x]! < 128) dark++;
  return dark / Math.max(1, (x1 - x0) * (y1 - y0));
}

describe('the charts in the PDF are painted, not only written', () => {
  it('paints a chart text drawn with a halo (stroke under the fill, which svg-to-pdfkit would stroke over it)', async () => {
    const svg =
      '<svg width="200" height="100" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">' +
      '<text dominant-baseline="central" text-anchor="middle" style="font-size:20px;font-family:Noto Sans SC;" transform="translate(100 50)" fill="#333" stroke="rgb(255,255,255)" stroke-width="2" paint-order="stroke" stroke-miterlimit="2">按期 38</text></svg>';
    const pdf = await reportPdf({ title: '图', subtitle: '', landscape: false, sections: [{ heading: '', paragraphs: [], chart: { svg, width: 200, height: 100 } }] }, defaultFaces(), at);
    const page = (await readPdf(pdf)).pages[0]!;
    const image = (await renderPdfPage(pdf, 1, Math.round(page.height * 3)))!;
    const label = page.items.find((i) => i.str === '按期 38')!;
    expect(label).toBeDefined();
    expect(ink(image, image.height / page.height, label)).toBeGreaterThan(0.05);
  });

  it('shows ink under every text run of the report, the bars\' values, the pie\'s labels and its legend included (pdf.js)', async () => {
    const pdf = await reportPdf(statsReport(figures(), settings, today), defaultFaces(), at);
    const { pages } = await readPdf(pdf);
    const checked: string[] = [];
    // The charts fill the room kept for them (150 mm wide): no text of the report, a bar's value included, under 8 pt.
    expect(pages.flatMap((p) => p.items.filter((i) => i.upright && i.str.trim() && i.height < 8).map((i) => `${i.str} ${i.height.toFixed(1)}pt`))).toEqual([]);
    const blank: string[] = [];
    for (const [n, page] of pages.entries()) {
      const image = (await renderPdfPage(pdf, n + 1, Math.round(page.height * 3)))!;
      const scale = image.height / page.height;
      for (const item of page.items.filter((i) => i.upright && i.str.trim())) {
        checked.push(item.str);
        const share = ink(image, scale, item);
        if (share < 0.03) blank.push(`第${n + 1}页 “${item.str}” (${item.x.toFixed(0)}, ${item.y.toFixed(0)}) 墨迹 ${(share * 100).toFixed(1)}%`);
      }
    }
    expect(blank).toEqual([]);
    // The charts' own words are among the runs checked: values over the bars, the pie's labels, its legend.
    for (const label of ['各类别件数', '7', '12', '按期：3 件', '超期：2 件', '按期', '超期', '各月登记件数']) expect(checked).toContain(label);
  });
});

/** The texts of an ECharts SVG with their boxes: the line box around the `central` baseline, the width from the font. */
const sans = fontkit.create(await import('node:fs').then((fs) => fs.readFileSync(defaultSansFont()))) as fontkit.Font;
function textBoxes(svg: string) {
  const boxes: { str: string; left: number; right: number; top: number; bottom: number; bold: boolean }[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1]!;
    const str = m[2]!;
    const translate = /transform="translate\(([-\d.]+)(?:[ ,]([-\d.]+))?\)"/.exec(attrs);
    if (!translate) continue; // rotated axis labels: not in the way of the title
    const num = (name: string) => Number(new RegExp(`\\s${name}="([-\\d.]+)"`).exec(attrs)?.[1] ?? 0);
    const size = Number(/font-size:([\d.]+)px/.exec(attrs)![1]);
    const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start';
    const width = (sans.layout(str).advanceWidth * size) / sans.unitsPerEm;
    const x = Number(translate[1]) + num('x');
    const y = Number(translate[2] ?? 0) + num('y');
    const left = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    boxes.push({ str, left, right: left + width, top: y - 0.6 * size, bottom: y + 0.6 * size, bold: attrs.includes('font-weight:bold') });
  }
  return boxes;
}

/** The bars of a bar chart (ECharts draws each as `M x y l w 0 l 0 -h l -w 0 Z`): their left, right and top edges. */
function bars(svg: string) {
  return [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)l([-\d.]+) 0l0 ([-\d.]+)l[-\d.]+ 0Z" fill="#3b6ea5"/g)].map((m) => {
    const [x, y, w, h] = [1, 2, 3, 4].map((k) => Number(m[k]));
    return { left: Math.min(x!, x! + w!), right: Math.max(x!, x! + w!), top: Math.min(y!, y! + h!) };
  });
}

describe('a bar\'s value never runs into the chart\'s title', () => {
  const cases: [string, string[], number[]][] = [
    ['最高的在中间', ['甲', '乙', '丙', '丁', '戊'], [1, 2, 5, 2, 1]],
    ['最高的在最前', ['甲', '乙', '丙'], [9, 3, 0]],
    ['只有一根', ['甲'], [1]],
    ['三位数', ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬'], [120, 300, 999, 40, 0, 0, 7, 12, 3]],
    ['十二个月', Array.from({ length: 12 }, (_, i) => `${i + 1}月`), [0, 1, 2, 3, 4, 10, 2, 1, 0, 0, 3, 2]],
  ];
  it.each(cases)('%s: the tallest bar\'s value lies under the title, over its bar, inside the chart', (_name, labels, values) => {
    const chart: Chart = barChart('各类别件数', labels, values);
    const boxes = textBoxes(chart.svg);
    const title = boxes.find((b) => b.bold && b.str === '各类别件数')!;
    expect(title).toBeDefined();
    const max = Math.max(...values);
    const drawn = bars(chart.svg);
    expect(drawn).toHaveLength(values.length);
    const tallest = drawn.sort((a, b) => a.top - b.top)[0]!;
    const centre = (tallest.left + tallest.right) / 2;
    const label = boxes.find((b) => b.str === String(max) && Math.abs((b.left + b.right) / 2 - centre) < 1)!;
    expect(label, `${max} over the tallest bar`).toBeDefined();
    expect(label.top, 'below the title').toBeGreaterThanOrEqual(title.bottom + 2);
    expect(label.bottom, 'over its bar').toBeLessThanOrEqual(tallest.top);
    expect(label.left).toBeGreaterThanOrEqual(0);
    expect(label.right).toBeLessThanOrEqual(chart.width);
  });

  it('keeps the pie\'s labels and legend under its title and inside the chart', () => {
    const chart = pieChart('按期与超期（已答复）', [
      { name: '按期', value: 1, color: '#3b8f5a' },
      { name: '超期', value: 40, color: '#c0392b' },
    ]);
    const boxes = textBoxes(chart.svg);
    const title = boxes.find((b) => b.bold)!;
    const others = boxes.filter((b) => b !== title);
    expect(others.map((b) => b.str).sort()).toEqual(['按期', '按期：1 件', '超期', '超期：40 件']);
    for (const b of others) {
      expect(b.top, b.str).toBeGreaterThanOrEqual(title.bottom + 2);
      expect(b.bottom, b.str).toBeLessThanOrEqual(chart.height);
      expect(b.left, b.str).toBeGreaterThanOrEqual(0);
      expect(b.right, b.str).toBeLessThanOrEqual(chart.width);
    }
  });
});

/** A ledger line whose cells wrap to two or three lines, as real ones do. */
function ledgerRow(k: number): LedgerRow {
  return {
    checkedOn: '2026-11-03',
    area: `幸福里小区${k}号楼`,
    checkedBy: '李文',
    type: '邻里纠纷',
    parties: `当事人${k}`,
    situation: '楼上住户装修漏水，多次协商不成，双方情绪激动。',
    risk: '中',
    responsible: '张主任／李文',
    measures: '约双方到社区调解室面谈，请物业查明漏点。',
    deadline: '2026-12-31',
    result: '办理中',
    caseNumber: `八宝信〔2026〕${k}号`,
  };
}

/** The page (from 0) each text run is on, for the runs that match. */
const pagesOf = (pages: { items: PdfTextItem[] }[], match: (s: string) => boolean) => pages.flatMap((p, n) => (p.items.some((i) => match(i.str)) ? [n] : []));

describe('the signature never stands alone on a page', () => {
  it('the ledger: as rows are added and the table\'s end walks onto the second page, the signature always has rows beside it', async () => {
    const date = chineseDate(today);
    const seen: string[] = [];
    let n = 0;
    let rowsOnSecond = 0;
    while (rowsOnSecond < 3 && n < 40) {
      n++;
      const rows = Array.from({ length: n }, (_, k) => ledgerRow(k + 1));
      const { pages } = await readPdf(await reportPdf(ledgerReport(rows, '2026年11月', settings, today), defaultFaces(), at));
      const signed = pagesOf(pages, (s) => s === date);
      expect(signed, `${n} 行`).toHaveLength(1);
      const page = pages[signed[0]!]!;
      const issuer = page.items.find((i) => i.str === settings.office.name);
      expect(issuer, `${n} 行：落款单位与日期在同一页`).toBeDefined();
      const rowsHere = page.items.filter((i) => i.str.startsWith('当事人')).length;
      expect(rowsHere, `${n} 行：第${signed[0]! + 1}页有落款，须有表格行`).toBeGreaterThan(0);
      // The date stays above the page number at the foot.
      expect(page.items.find((i) => i.str === date)!.y).toBeLessThan(page.height - 20 * (72 / 25.4));
      rowsOnSecond = pages.length > 1 ? pages[1]!.items.filter((i) => i.str.startsWith('当事人')).length : 0;
      seen.push(`${n}:${pages.length}页`);
    }
    // The walk went from a one-page table to one whose end is well into the second page.
    expect(seen[0]).toBe('1:1页');
    expect(rowsOnSecond, seen.join(' ')).toBeGreaterThanOrEqual(3);
  });

  it('the statistics report: as the overdue list grows, the signature stays on the page of the last chart', async () => {
    const date = chineseDate(today);
    let chartMoved = 0;
    let lastChartPage = -1;
    for (let overdue = 0; overdue <= 60 && chartMoved < 1; overdue += 2) {
      const { pages } = await readPdf(await reportPdf(statsReport(figures(overdue), settings, today), defaultFaces(), at));
      const chartPage = pagesOf(pages, (s) => s === '各月登记件数');
      const signed = pagesOf(pages, (s) => s === date);
      expect(signed, `超期 ${overdue} 件`).toEqual(chartPage);
      if (lastChartPage >= 0 && chartPage[0] !== lastChartPage) chartMoved++;
      lastChartPage = chartPage[0]!;
    }
    // The overdue list pushed the last chart over a page break, so every place of the end was walked through.
    expect(chartMoved).toBe(1);
  });

  it('DOCX: the last table row and the issuer are kept with what follows them; so is the last chart', async () => {
    const xml = async (doc: Buffer) => (await JSZip.loadAsync(doc)).file('word/document.xml')!.async('string');
    const ledger = await xml(await reportDocx(ledgerReport([1, 2, 3, 4, 5].map(ledgerRow), '2026年11月', settings, today)));
    const rows = ledger.match(/<w:tr>.*?<\/w:tr>|<w:tr [^>]*>.*?<\/w:tr>/gs)!;
    expect(rows).toHaveLength(6);
    const paragraphsOf = (s: string) => s.match(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/gs) ?? [];
    const keeps = (p: string) => /<w:keepNext\/>|<w:keepNext w:val="(?:true|1|on)"\/>/.test(p);
    // Every cell of the last row keeps with the next paragraph, the issuer; the rows before do not need to.
    const lastCells = paragraphsOf(rows.at(-1)!);
    expect(lastCells).toHaveLength(LEDGER_COLUMNS.length);
    expect(lastCells.every(keeps)).toBe(true);
    expect(paragraphsOf(rows[1]!).some(keeps)).toBe(false);
    const body = paragraphsOf(ledger.slice(ledger.lastIndexOf('</w:tbl>')));
    const issuer = body.find((p) => p.includes(`>${settings.office.name}<`))!;
    expect(keeps(issuer)).toBe(true);
    expect(body.find((p) => p.includes(chineseDate(today)))).toBeDefined();

    const report = await xml(await reportDocx(statsReport(figures(), settings, today)));
    const drawings = paragraphsOf(report).filter((p) => p.includes('<w:drawing>'));
    expect(drawings).toHaveLength(3);
    expect(keeps(drawings.at(-1)!)).toBe(true);
    expect(keeps(drawings[0]!)).toBe(false);
  });
});
