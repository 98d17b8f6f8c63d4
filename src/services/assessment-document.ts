/** The assessment (考核) as a document both renderers read: the table of figures per person, the cases behind the bad ones, the screenings owed, how each figure is counted. */
import { chineseDate } from '../domain/calendar.js';
import { percentText, satisfactionText, type Assessment, type AssessmentRow } from '../domain/reports/assessment.js';
import type { ReportDocument, ReportSection } from '../domain/report-document.js';
import type { Settings } from '../domain/settings.js';

/** The columns of the table, on the page, the paper and the terminal alike. */
export const ASSESSMENT_COLUMNS: { key: string; title: string; share: number; cell: (r: AssessmentRow) => string }[] = [
  { key: 'name', title: '姓名', share: 6, cell: (r) => r.name },
  { key: 'roles', title: '身份', share: 8, cell: (r) => r.roles.join('、') },
  { key: 'handled', title: '经办（包案）件数', share: 6, cell: (r) => String(r.handled.length) },
  { key: 'on-time', title: '按期办结', share: 5, cell: (r) => String(r.closedOnTime.length) },
  { key: 'late', title: '超期办结', share: 5, cell: (r) => String(r.closedLate.length) },
  { key: 'overdue', title: '未结超期', share: 5, cell: (r) => String(r.openOverdue.length) },
  { key: 'open', title: '在办未超期', share: 5, cell: (r) => String(r.openInTime.length) },
  { key: 'rate', title: '按期办结率', share: 6, cell: (r) => percentText(r.onTimeRate) },
  { key: 'repeats', title: '办结后重复信访', share: 6, cell: (r) => String(r.repeats.length) },
  { key: 'screenings', title: '一岗双责排查（已／应）', share: 8, cell: (r) => (r.screenings.expected ? `${r.screenings.done}／${r.screenings.expected}` : '—') },
  { key: 'satisfaction', title: '满意度', share: 9, cell: (r) => satisfactionText(r.satisfaction) },
];

/** How each figure is counted, printed under the table so the report can be checked against the cases. */
export const ASSESSMENT_RULES: string[] = [
  '经办（包案）件数：本期内在本人手中的案件，即本期结束（或今天）前收到、本期开始前尚未办结的案件，本人是经办人或包案领导；退回交办单位的转办件不计。',
  '按期办结、超期办结：上述案件中本期内办结的，按期指在告知期限内作出受理或不予受理决定、并在办理期限（含延期）内书面答复，否则为超期；与统计报告的按期办结口径相同。',
  '未结超期、在办未超期：上述案件中截至本期结束（或今天）尚未办结的，按当时正在计算的期限判断是否超期。以上四项之和等于经办（包案）件数。',
  '办结后重复信访：本期收到的重信重访件，所重复的前一案件在它收到之前已由本人办结（经办或包案）。',
  '一岗双责排查：本人挂钩的每个单位或企业，本期每个月（日期段只算其中的日子）应排查一次，已排查指该月有排查记录（发现问题或零报告均可）；尚未开始的月份不计。',
  '满意度：本期办结案件回访时信访人的评价，按评价分别计数；尚未回访的记为“未回访”，本期没有办结案件的记为“—”。',
];

/** The assessment of a period as a landscape report, signed by the office. */
export function assessmentReport(a: Assessment, settings: Settings, today: string): ReportDocument {
  const table: ReportSection = {
    heading: '一、考核情况表',
    paragraphs: a.rows.length ? [] : ['本期没有经办、包案的案件，也没有挂钩单位的排查任务。'],
    table: a.rows.length ? { columns: ASSESSMENT_COLUMNS.map((c) => ({ title: c.title, share: c.share })), rows: a.rows.map((r) => ASSESSMENT_COLUMNS.map((c) => c.cell(r))) } : undefined,
  };
  const cases = a.rows.flatMap((r) =>
    (
      [
        ['超期办结', r.closedLate],
        ['未结超期', r.openOverdue],
        ['办结后重复信访', r.repeats],
      ] as const
    )
      .filter(([, numbers]) => numbers.length)
      .map(([what, numbers]) => [r.name, what, String(numbers.length), numbers.join('、')]),
  );
  const detail: ReportSection = {
    heading: '二、超期和办结后重复信访的案件',
    paragraphs: cases.length ? [] : ['本期没有超期办结、未结超期或办结后重复信访的案件。'],
    table: cases.length
      ? {
          columns: [
            { title: '姓名', share: 2 },
            { title: '情形', share: 3 },
            { title: '件数', share: 1 },
            { title: '案件编号', share: 10 },
          ],
          rows: cases,
        }
      : undefined,
  };
  const missing = a.rows.filter((r) => r.screenings.missing.length).map((r) => `${r.name}：${r.screenings.missing.map((m) => `${m.unit}（${m.month}）`).join('、')}`);
  const screening: ReportSection = { heading: '三、一岗双责尚未排查', paragraphs: [missing.length ? `${missing.join('；')}。` : '各挂钩单位和企业本期均已排查。'] };
  const rules: ReportSection = { heading: '四、统计口径', paragraphs: ASSESSMENT_RULES };
  return {
    title: `${settings.office.name}信访工作考核情况`,
    subtitle: `（${a.period.label}，统计至${chineseDate(a.asOf)}）`,
    landscape: true,
    sections: [table, detail, screening, rules],
    signature: { issuer: settings.office.name, date: chineseDate(today) },
  };
}
