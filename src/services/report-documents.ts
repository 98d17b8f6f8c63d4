/** The statistics report and the dispute ledger as documents: their sections, tables and charts. */
import { barChart, pieChart } from '../adapters/charts/charts.js';
import { chineseDate } from '../domain/calendar.js';
import type { ReportDocument, ReportSection } from '../domain/report-document.js';
import type { LedgerDuties } from './reports.js';
import { LEDGER_COLUMNS, type LedgerRow } from '../domain/reports/ledger.js';
import type { PeriodStats } from '../domain/reports/stats.js';
import type { Settings } from '../domain/settings.js';

const percent = (rate: number | null) => (rate === null ? '—（无可计算的案件）' : `${(rate * 100).toFixed(1)}%`);

/** The statistics report a leader reads: the figures, a table per section, three charts. */
export function statsReport(s: PeriodStats, settings: Settings, today: string): ReportDocument {
  const counts = (rows: { name: string; count: number }[]) => rows.map((r) => [r.name, String(r.count)]);
  const twoColumns = (first: string) => [
    { title: first, share: 3 },
    { title: '件数', share: 1 },
  ];
  return {
    title: `${settings.office.name}信访工作统计报告`,
    subtitle: `（${s.period.label}，统计至${chineseDate(s.asOf)}）`,
    landscape: false,
    sections: [
      {
        heading: '一、总体情况',
        paragraphs: [
          `本期共登记信访事项 ${s.total} 件。初信初访 ${s.firstPetitions.total} 件，已办结 ${s.firstPetitions.closed} 件，初信初访办结率 ${percent(s.firstPetitions.rate)}。` +
            `已答复（含不予受理告知）${s.onTime.answered} 件，其中按期 ${s.onTime.onTime} 件、超期 ${s.onTime.late} 件，按期办结率 ${percent(s.onTime.rate)}。` +
            `截至${chineseDate(s.asOf)}超期未办结 ${s.overdue.length} 件；集体访（联名信）${s.group.count} 件；含紧急情况用语的 ${s.urgent.count} 件；重点人员 ${s.repeatPeople.length} 人。`,
        ],
      },
      {
        heading: '二、按类别统计',
        paragraphs: s.rising.length ? [`比上期增多的类别：${s.rising.map((r) => `${r.category}（${r.before}→${r.now} 件）`).join('、')}。`] : ['没有比上期增多的类别。'],
        table: {
          columns: [
            { title: '类别', share: 3 },
            { title: '本期件数', share: 1 },
            { title: '上期件数', share: 1 },
          ],
          // Every cell a number: a category that had nothing in the period before shows 0, not a blank.
          rows: s.byCategory.map((c) => [c.name, String(c.count), String(s.byCategoryBefore.find((b) => b.name === c.name)?.count ?? 0)]),
        },
        chart: barChart('各类别件数', s.byCategory.map((c) => c.name), s.byCategory.map((c) => c.count)),
      },
      { heading: '三、按渠道统计', paragraphs: [], table: { columns: twoColumns('渠道'), rows: counts(s.byChannel) } },
      { heading: '四、按办理类型统计', paragraphs: [], table: { columns: twoColumns('办理类型'), rows: counts(s.byHandlingType) } },
      { heading: '五、按办理状态统计', paragraphs: [], table: { columns: twoColumns('状态'), rows: counts(s.byStatus) } },
      {
        heading: '六、按期办结与超期情况',
        paragraphs: [s.overdue.length ? `超期未办结 ${s.overdue.length} 件，按超期天数排列如下，请督促经办人尽快办结。` : '没有超期未办结的案件。'],
        table: s.overdue.length
          ? {
              columns: [
                { title: '编号', share: 3 },
                { title: '信访人', share: 2 },
                { title: '应办事项', share: 2 },
                { title: '期限', share: 2 },
                { title: '超期天数', share: 1 },
              ],
              rows: s.overdue.map((o) => [o.number, o.name ?? '', o.what, o.deadline, String(o.daysLate)]),
            }
          : undefined,
        chart: pieChart('按期与超期（已答复）', [
          { name: '按期', value: s.onTime.onTime, color: '#3b8f5a' },
          { name: '超期', value: s.onTime.late, color: '#c0392b' },
        ]),
      },
      {
        heading: '七、重点人员（本期或近十二个月内两次以上信访）',
        paragraphs: s.repeatPeople.length ? [] : ['没有重点人员。'],
        table: s.repeatPeople.length
          ? {
              columns: [
                { title: '姓名', share: 2 },
                { title: '本期件数', share: 1 },
                { title: '近十二个月件数', share: 1 },
                { title: '案件编号', share: 5 },
              ],
              rows: s.repeatPeople.map((p) => [p.name, String(p.inPeriod), String(p.count), p.cases.join('、')]),
            }
          : undefined,
      },
      {
        heading: '八、集体访与紧急情况',
        paragraphs: [
          `集体访（联名信）${s.group.count} 件${s.group.count ? `：${s.group.cases.join('、')}` : ''}。`,
          `含紧急情况用语 ${s.urgent.count} 件${s.urgent.count ? `：${s.urgent.cases.join('、')}，须优先处置` : ''}。`,
        ],
      },
      // The chart stays last: the signature is kept with it on one page.
      {
        heading: '九、领导包案',
        paragraphs: s.byCaseLeader.length ? [] : ['本期没有领导包案的案件。'],
        table: s.byCaseLeader.length ? { columns: twoColumns('包案领导'), rows: counts(s.byCaseLeader) } : undefined,
      },
      satisfactionSection(s),
      {
        heading: '十一、近十二个月来信来访',
        paragraphs: [],
        chart: barChart('各月登记件数', s.byMonth.map((m) => `${Number(m.month.slice(5))}月`), s.byMonth.map((m) => m.count)),
      },
    ],
    signature: { issuer: settings.office.name, date: chineseDate(today) },
  };
}

/** 回访 and 满意度: the rates by category and handler, and each unsatisfied case with the petitioner's next step. */
function satisfactionSection(s: PeriodStats): ReportSection {
  const f = s.satisfaction;
  const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
  if (f.visited === 0) return { heading: '十、回访与满意度', paragraphs: ['本期的案件还没有回访记录。'] };
  const rateRows = (label: string, rows: PeriodStats['satisfaction']['byCategory']) => rows.map((r) => [`${label}${r.name}`, String(r.visited), String(r.satisfied), pct(r.rate)]);
  return {
    heading: '十、回访与满意度',
    paragraphs: [
      `本期案件回访 ${f.visited} 件，其中${f.byResult.map((r) => `${r.name} ${r.count} 件`).join('、')}，满意率 ${pct(f.rate)}。`,
      ...(f.unsatisfied.length ? [`不满意 ${f.unsatisfied.length} 件：${f.unsatisfied.map((u) => `${u.number}（${u.name ?? '信访人'}，经办人 ${u.handler ?? '未指定'}）${u.next}`).join('；')}。`] : []),
    ],
    table: {
      columns: [
        { title: '类别或经办人', share: 3 },
        { title: '回访件数', share: 1 },
        { title: '满意件数', share: 1 },
        { title: '满意率', share: 1 },
      ],
      rows: [...rateRows('类别：', f.byCategory), ...rateRows('经办人：', f.byHandler)],
    },
  };
}

/** The month's dispute screening ledger; a month with nothing found is a signed zero report. With the cadres' duties, their zero reports and who has not screened yet. */
export function ledgerReport(rows: LedgerRow[], label: string, settings: Settings, today: string, duties?: LedgerDuties): ReportDocument {
  const title = `${settings.office.name}矛盾纠纷排查台账`;
  const dutySections = duties && duties.linked ? dutyLedgerSections(duties) : [];
  if (rows.length === 0) {
    return {
      title,
      subtitle: `（${label}）`,
      landscape: false,
      sections: [{ heading: '零报告', paragraphs: [`${label}，本单位经排查，未发现矛盾纠纷，特此零报告。`] }, ...dutySections],
      signature: { issuer: settings.office.name, date: chineseDate(today) },
    };
  }
  return {
    title,
    subtitle: `（${label}，共 ${rows.length} 件）`,
    landscape: true,
    sections: [{ heading: '', paragraphs: [], table: { columns: LEDGER_COLUMNS.map((c) => ({ title: c.title, share: c.share })), rows: rows.map((r) => LEDGER_COLUMNS.map((c) => r[c.key])) } }, ...dutySections],
    signature: { issuer: settings.office.name, date: chineseDate(today) },
  };
}

/** 一岗双责: the zero reports of the period, and who has not screened which unit (per day in sensitive periods). */
function dutyLedgerSections(d: LedgerDuties): ReportSection[] {
  const sections: ReportSection[] = [];
  sections.push({
    heading: '一岗双责零报告',
    paragraphs: d.zeroReports.length ? [] : ['本期没有零报告。'],
    table: d.zeroReports.length
      ? { columns: [{ title: '排查日期', share: 2 }, { title: '排查人', share: 2 }, { title: '挂钩单位或企业', share: 4 }, { title: '结果', share: 3 }], rows: d.zeroReports.map((z) => [z.day, z.cadre, z.unit, '未发现矛盾纠纷（零报告）']) }
      : undefined,
  });
  const missing = d.due.month.map((m) => `${m.cadre}：${m.unit}`);
  sections.push({ heading: '本月尚未排查', paragraphs: [missing.length ? missing.join('；') + '。' : '各挂钩单位和企业本月均已排查。'] });
  const days = d.due.days.filter((x) => x.missing.length);
  if (d.due.days.length) {
    sections.push({
      heading: '敏感时期每日排查',
      paragraphs: days.length ? days.map((x) => `${x.day}（${x.period}）尚未排查：${x.missing.map((m) => `${m.cadre}：${m.unit}`).join('；')}。`) : ['敏感时期各日均已排查。'],
    });
  }
  return sections;
}
