import type { Command } from 'commander';
import { localDate } from '../../domain/calendar.js';
import { monthPeriod, rangePeriod, yearPeriod, type Period } from '../../domain/reports/periods.js';
import type { PeriodStats } from '../../domain/reports/stats.js';
import { atDistrict, UsageError, withOffice, type CliIo } from './session.js';
import { districtStats } from './district-commands.js';

export interface PeriodOptions {
  month?: string;
  year?: string;
  from?: string;
  to?: string;
}

export function periodFrom(o: PeriodOptions, now: Date, timeZone: string): Period {
  const given = [o.month, o.year, o.from || o.to].filter(Boolean).length;
  if (given > 1) throw new UsageError('--month、--year、--from/--to 只能用一种。');
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
      atDistrict(io)
        ? districtStats(io, (now, zone) => periodFrom(options, now, zone))
        : withOffice(io, async (office) => {
            const period = periodFrom(options, office.clock(), office.settings.office.timezone);
            const stats = await office.reports.stats(period, { report: options.report });
            if (io.json()) return io.print(stats);
            io.print([...statsText(stats), ...stats.files.map((w) => `已生成：${w}`)].join('\n'));
          }),
    );

  program
    .command('ledger')
    .description('矛盾纠纷排查台账（PDF 和 Word），本月没有排查出纠纷时生成零报告')
    .option('--month <月份>', '哪个月，如 2026-11（默认：本月）')
    .action((options: { month?: string }) =>
      withOffice(io, async (office) => {
        const period = periodFrom(options, office.clock(), office.settings.office.timezone);
        const ledger = await office.reports.ledger(period);
        if (io.json()) return io.print(ledger);
        io.print([ledger.rows.length ? `${ledger.period}排查出 ${ledger.rows.length} 件矛盾纠纷。` : `${ledger.period}未排查出矛盾纠纷，已生成零报告。`, ...ledger.files.map((f) => `已生成：${f}`)].join('\n'));
      }),
    );
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
    `转办件退回交办单位 ${s.returned.count} 件${s.returned.count ? `：${s.returned.cases.join('、')}` : ''}`,
    `比上期增多：${s.rising.length ? s.rising.map((r) => `${r.category} ${r.before}→${r.now}`).join('，') : '无'}`,
    ...satisfactionText(s, pct),
  ];
}

/** 回访 and 满意度: the rates by category and handler, then each unsatisfied case with what the petitioner may do next. */
function satisfactionText(s: PeriodStats, pct: (r: number | null) => string): string[] {
  const f = s.satisfaction;
  if (f.visited === 0) return ['回访：本期案件还没有回访记录'];
  const rates = (rows: PeriodStats['satisfaction']['byCategory']) => rows.map((r) => `${r.name} ${r.satisfied}/${r.visited}（${pct(r.rate)}）`).join('，');
  return [
    `回访 ${f.visited} 件：${f.byResult.map((r) => `${r.name} ${r.count}`).join('，')}；满意率 ${pct(f.rate)}`,
    `满意率按类别：${rates(f.byCategory)}`,
    `满意率按经办人：${rates(f.byHandler)}`,
    ...f.unsatisfied.map((u) => `  不满意：${u.number} ${u.name ?? ''}（${u.result}，经办人 ${u.handler ?? '未指定'}）${u.next}`),
  ];
}
