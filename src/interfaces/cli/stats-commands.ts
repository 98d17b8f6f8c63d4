import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { localDate } from '../../domain/calendar.js';
import { clock } from '../../adapters/system/clock.js';
import { XinfangError } from '../../domain/problems.js';
import { writeFileAtomic } from '../../adapters/files/fs-safe.js';
import { monthPeriod, rangePeriod, yearPeriod, type Period } from '../../domain/reports/periods.js';
import type { Settings } from '../../domain/settings.js';
import type { PeriodStats } from '../../domain/reports/stats.js';
import type { ReportDocument } from '../../adapters/pdfkit/report-document.js';
import type { Workspace } from '../../adapters/files/workspace.js';
import { withWorkspace, type CliIo } from './case-commands.js';

interface PeriodOptions {
  month?: string;
  year?: string;
  from?: string;
  to?: string;
}

function periodFrom(o: PeriodOptions, now: Date, timeZone: string): Period {
  const given = [o.month, o.year, o.from || o.to].filter(Boolean).length;
  if (given > 1) throw new XinfangError('bad-period', '--month、--year、--from/--to 只能用一种。', 2);
  if (o.year) return yearPeriod(o.year);
  if (o.from || o.to) return rangePeriod(o.from ?? '', o.to ?? '');
  return monthPeriod(o.month ?? localDate(now, timeZone).slice(0, 7));
}

export function addStatsCommands(program: Command, io: CliIo): void {
  const periodOptions = (c: Command) =>
    c
      .option('--month <月份>', '统计一个月，如 2026-11（默认：本月）')
      .option('--year <年度>', '统计一年，如 2026')
      .option('--from <日期>', '统计一段时间的开始，如 2026-03-01')
      .option('--to <日期>', '统计一段时间的结束，如 2026-05-31');

  periodOptions(program.command('stats').description('信访统计：分类、渠道、办理类型、状态、初信初访办结率、按期办结率、超期、重点人员、集体访、紧急、上升类别'))
    .option('--report', '同时生成统计报告（PDF 和 Word，含图表），存到 archive/报表/')
    .action((options: PeriodOptions & { report?: boolean }) =>
      withWorkspace(io, async ({ registry, settings, ws }) => {
        const now = clock();
        const period = periodFrom(options, now, settings.office.timezone);
        const { computeStats } = await import('../../domain/reports/stats.js');
        const stats = computeStats(registry.listCases(), period, settings, now);
        const written: string[] = [];
        if (options.report) {
          const { statsReport } = await import('../../services/reports/reports.js');
          written.push(...(await writeBoth(ws, settings, `信访统计报告_${fileLabel(period)}`, statsReport(stats, settings, localDate(now, settings.office.timezone)), now)));
        }
        if (io.json()) return io.print({ ...stats, files: written });
        io.print([...statsText(stats), ...written.map((w) => `已生成：${w}`)].join('\n'));
      }),
    );

  program
    .command('ledger')
    .description('矛盾纠纷排查台账（PDF 和 Word），本月没有排查出纠纷时生成零报告')
    .option('--month <月份>', '哪个月，如 2026-11（默认：本月）')
    .action((options: { month?: string }) =>
      withWorkspace(io, async ({ registry, settings, ws }) => {
        const now = clock();
        const period = periodFrom(options, now, settings.office.timezone);
        const [{ ledgerRows }, { ledgerReport }] = await Promise.all([import('../../domain/reports/ledger.js'), import('../../services/reports/reports.js')]);
        const rows = ledgerRows(registry.listCases(), period, settings);
        const files = await writeBoth(ws, settings, `矛盾纠纷排查台账_${fileLabel(period)}`, ledgerReport(rows, period.label, settings, localDate(now, settings.office.timezone)), now);
        if (io.json()) return io.print({ period: period.label, rows, zeroReport: rows.length === 0, files });
        io.print([rows.length ? `${period.label}排查出 ${rows.length} 件矛盾纠纷。` : `${period.label}未排查出矛盾纠纷，已生成零报告。`, ...files.map((f) => `已生成：${f}`)].join('\n'));
      }),
    );
}

function fileLabel(p: Period): string {
  return p.kind === 'month' ? p.from.slice(0, 7) : p.kind === 'year' ? p.from.slice(0, 4) : `${p.from}_${p.to}`;
}

/** Writes a report as PDF and DOCX into archive/报表/, returning the paths relative to the workspace. */
async function writeBoth(ws: Workspace, settings: Settings, stem: string, report: ReportDocument, now: Date): Promise<string[]> {
  const [{ reportPdf, reportDocx }, { facesFrom }] = await Promise.all([import('../../adapters/pdfkit/report-document.js'), import('../../adapters/pdfkit/faces.js')]);
  const dir = path.join(ws.archive, '报表');
  mkdirSync(dir, { recursive: true });
  const pdf = await reportPdf(report, facesFrom(settings, ws.root), now);
  const docx = await reportDocx(report);
  const files = [path.join(dir, `${stem}.pdf`), path.join(dir, `${stem}.docx`)];
  await writeFileAtomic(files[0]!, pdf);
  await writeFileAtomic(files[1]!, docx);
  return files.map((f) => ws.relative(f));
}

function statsText(s: PeriodStats): string[] {
  const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
  const list = (rows: { name: string; count: number }[]) => rows.filter((r) => r.count > 0).map((r) => `${r.name} ${r.count}`).join('，') || '无';
  return [
    `${s.period.label}（统计至 ${s.asOf}）：共 ${s.total} 件`,
    `按类别：${list(s.byCategory)}`,
    `按渠道：${list(s.byChannel)}`,
    `按办理类型：${list(s.byHandlingType)}`,
    `按状态：${list(s.byStatus)}`,
    `初信初访 ${s.firstPetitions.total} 件，已办结 ${s.firstPetitions.closed} 件，办结率 ${pct(s.firstPetitions.rate)}`,
    `已答复 ${s.onTime.answered} 件：按期 ${s.onTime.onTime}，超期 ${s.onTime.late}，按期率 ${pct(s.onTime.rate)}`,
    `超期未办结 ${s.overdue.length} 件${s.overdue.length ? `：${s.overdue.map((o) => `${o.number}（${o.what}，超期 ${o.daysLate} 天）`).join('、')}` : ''}`,
    `重点人员 ${s.repeatPeople.length} 人${s.repeatPeople.length ? `：${s.repeatPeople.map((p) => `${p.name}（近十二个月 ${p.count} 次）`).join('、')}` : ''}`,
    `集体访 ${s.group.count} 件，紧急 ${s.urgent.count} 件`,
    `比上期增多：${s.rising.length ? s.rising.map((r) => `${r.category} ${r.before}→${r.now}`).join('，') : '无'}`,
  ];
}
