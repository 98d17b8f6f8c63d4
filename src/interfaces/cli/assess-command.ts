/** `xinfang assess`: the assessment of cadres and handlers (考核) of a month, a year or any days, as a table, and as PDF and DOCX where asked. */
import type { Command } from 'commander';
import { chineseDate } from '../../domain/calendar.js';
import type { Assessment } from '../../domain/reports/assessment.js';
import { ASSESSMENT_COLUMNS } from '../../services/assessment-document.js';
import { withOffice, type CliIo } from './session.js';
import { periodFrom, type PeriodOptions } from './stats-commands.js';

/** The terminal's own person: no role, so the assessment is open to it. */
const TERMINAL = { name: '管理员（终端）' };

export function addAssessCommand(program: Command, io: CliIo): void {
  program
    .command('assess')
    .description('考核：每位经办人、包案领导、挂钩干部经办案件数、按期办结、超期办结、未结超期、办结后重复信访、一岗双责排查、满意度')
    .option('--month <月份>', '考核一个月，如 2026-11（默认：本月）')
    .option('--year <年度>', '考核一年，如 2026')
    .option('--from <日期>', '考核一段时间的开始，如 2026-03-01')
    .option('--to <日期>', '考核一段时间的结束，如 2026-05-31')
    .option('--pdf <文件>', '同时把考核情况表存为 PDF 文件')
    .option('--docx <文件>', '同时把考核情况表存为 Word（DOCX）文件')
    .action((options: PeriodOptions & { pdf?: string; docx?: string }) =>
      withOffice(io, async (office) => {
        const period = periodFrom(options, office.clock(), office.settings.office.timezone);
        const assessment = await office.assessment.assess(TERMINAL, period);
        const written: string[] = [];
        if (options.pdf) written.push(await office.assessment.writePaper(TERMINAL, period, 'pdf', options.pdf));
        if (options.docx) written.push(await office.assessment.writePaper(TERMINAL, period, 'docx', options.docx));
        if (io.json()) return io.print({ ...assessment, files: written });
        io.print([...assessmentText(assessment), ...written.map((f) => `已生成：${f}`)].join('\n'));
      }),
    );
}

/** The table as the terminal shows it: columns lined up by their width on screen (a Chinese character is two). */
export function assessmentText(a: Assessment): string[] {
  const head = `${a.period.label}考核情况（统计至 ${chineseDate(a.asOf)}）`;
  if (a.rows.length === 0) return [head, '本期没有经办、包案的案件，也没有挂钩单位的排查任务。'];
  const table = [ASSESSMENT_COLUMNS.map((c) => c.title), ...a.rows.map((r) => ASSESSMENT_COLUMNS.map((c) => c.cell(r)))];
  const widths = ASSESSMENT_COLUMNS.map((_, i) => Math.max(...table.map((row) => screenWidth(row[i]!))));
  const line = (row: string[]) => row.map((cell, i) => cell + ' '.repeat(widths[i]! - screenWidth(cell))).join('  ').trimEnd();
  return [head, ...table.map(line), '（满意度：未回访的案件记为“未回访”；本期没有办结案件的记为“—”。）'];
}

function screenWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
