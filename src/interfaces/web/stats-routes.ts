/**
 * The statistics and the dispute ledger in the browser: the period's figures, each count a link to
 * the case list of exactly the cases it counts, the three charts, and the report and the ledger
 * as PDF and DOCX. The figures come from the same service as the CLI's `stats` and `ledger`.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chineseDate, localDate } from '../../domain/calendar.js';
import type { Actor } from '../../domain/case.js';
import { isXinfangError } from '../../domain/problems.js';
import { isAssessmentFigure, type AssessmentFigure } from '../../domain/reports/assessment.js';
import { LEDGER_COLUMNS } from '../../domain/reports/ledger.js';
import { monthPeriod, previousPeriod, rangePeriod, yearPeriod, type Period } from '../../domain/reports/periods.js';
import type { PeriodStats } from '../../domain/reports/stats.js';
import { STATUSES } from '../../domain/workflow.js';
import { problemText, STATUS_LABEL } from '../../domain/words.js';
import type { CaseQuery } from '../../ports/store.js';
import { statsReport } from '../../services/report-documents.js';
import type { StatsMeasure } from '../../services/reports.js';
import { actorOf, type WebContext } from './server.js';

/** What the statistics call a case without a category or handling type. */
const NONE = '（未分类）';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

type Query = Record<string, string | undefined>;

/** The period asked for: a month (默认本月), a year, or a span of days. Bad input is a problem the page words. */
export function periodOf(q: Query, now: Date, timeZone: string): Period {
  if (q.kind === 'year' || (q.year && !q.kind)) return yearPeriod(q.year ?? '');
  if (q.kind === 'range' || ((q.from || q.to) && !q.kind)) return rangePeriod(q.from ?? '', q.to ?? '');
  return monthPeriod(q.month || localDate(now, timeZone).slice(0, 7));
}

/** The period as the page's own links carry it. */
export function periodQuery(p: Period): Record<string, string> {
  if (p.kind === 'month') return { kind: 'month', month: p.from.slice(0, 7) };
  if (p.kind === 'year') return { kind: 'year', year: p.from.slice(0, 4) };
  return { kind: 'range', from: p.from, to: p.to };
}

/** The case list of the cases received in a period, with more filters. */
function listLink(p: Period, filters: Record<string, string> = {}): string {
  return `/cases?${new URLSearchParams({ from: p.from, to: p.to, ...filters })}`;
}

/** The case list of a figure worked out by the service (overdue, on time, late, key persons). */
function measureLink(p: Period, measure: string, extra: Record<string, string> = {}): string {
  return `/cases?${new URLSearchParams({ measure, mfrom: p.from, mto: p.to, ...extra })}`;
}

const categoryFilter = (name: string): Record<string, string> => (name === NONE ? { nocategory: '1' } : { category: name });
const statusOf = (label: string) => STATUSES.find((s) => STATUS_LABEL[s] === label);

/**
 * The filters the statistics' links add to the case list: no category, a handling type, first
 * petitions only, and the figures the service works out (their cases by number). Undefined when
 * the link asks nothing of these.
 */
export async function statsFilters(ctx: WebContext, request: FastifyRequest, me: Actor, q: Query): Promise<Partial<CaseQuery>> {
  const filters: Partial<CaseQuery> = {};
  if (q.nocategory === '1') filters.noCategory = true;
  if (q.handling) filters.handlingType = q.handling === NONE ? null : q.handling;
  if (q.first === '1') filters.firstOnly = true;
  const measure = measureOf(q);
  if (measure) filters.numbers = await ctx.officeOf(request).reports.measureCases(me, rangePeriod(q.mfrom ?? '', q.mto ?? ''), measure);
  // The assessment's counts (/assess): one person's cases of one figure.
  if (q.measure === 'assess' && isAssessmentFigure(q.figure ?? '')) filters.numbers = await ctx.officeOf(request).assessment.figureCases(me, rangePeriod(q.mfrom ?? '', q.mto ?? ''), q.who ?? '', q.figure as AssessmentFigure);
  return filters;
}

function measureOf(q: Query): StatsMeasure | undefined {
  if (q.measure === 'overdue' || q.measure === 'on-time' || q.measure === 'late' || q.measure === 'key-persons' || q.measure === 'returned') return q.measure;
  if (q.measure === 'visited' && (q.by === 'category' || q.by === 'handler') && /^\d{1,4}$/.test(q.row ?? '')) return { visited: q.by, row: Number(q.row) };
  if (q.measure === 'person' && /^\d{1,6}$/.test(q.person ?? '')) return { person: Number(q.person) };
  return undefined;
}

export function addStatsRoutes(app: FastifyInstance, ctx: WebContext): void {
  const tzOf = (request: FastifyRequest) => ctx.officeOf(request).settings.office.timezone;

  /** The period of the request, or the page saying what is wrong with it. */
  const askedPeriod = (request: FastifyRequest) => periodOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request));

  const refused = (request: FastifyRequest, reply: FastifyReply, e: unknown, view: string) => {
    if (!isXinfangError(e)) throw e;
    const status = e.problem.code === 'not-allowed' ? 403 : 422;
    return ctx.page(request, reply, view, { title: view === 'stats' ? '统计' : '排查台账', error: problemText(e.problem), form: formOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request)) }, status);
  };

  app.get('/stats', async (request, reply) => {
    let period: Period;
    let stats: PeriodStats;
    try {
      period = askedPeriod(request);
      stats = await ctx.officeOf(request).reports.statsAs(actorOf(request), period);
    } catch (e) {
      return refused(request, reply, e, 'stats');
    }
    return ctx.page(request, reply, 'stats', { title: '统计', ...statsView(stats, period), form: formOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request)) });
  });

  /** The report's charts as SVG, drawn from the figures of the period (the drawing is cached by its figures). */
  app.get('/stats/charts/:index', async (request, reply) => {
    const index = Number((request.params as { index: string }).index.replace(/\.svg$/, ''));
    try {
      const period = askedPeriod(request);
      const stats = await ctx.officeOf(request).reports.statsAs(actorOf(request), period);
      const charts = statsReport(stats, ctx.officeOf(request).settings, stats.asOf).sections.flatMap((s) => (s.chart ? [s.chart] : []));
      const chart = Number.isInteger(index) ? charts[index] : undefined;
      if (!chart) return ctx.page(request, reply, 'message', { title: '找不到页面', message: '没有这张图表。' }, 404);
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-cache').send(chart.svg);
    } catch (e) {
      return refused(request, reply, e, 'stats');
    }
  });

  app.get('/stats/download', async (request, reply) => {
    const format = (request.query as Query).format === 'docx' ? 'docx' : 'pdf';
    try {
      const stats = await ctx.officeOf(request).reports.statsAs(actorOf(request), askedPeriod(request), { report: true });
      return sendWritten(request, reply, stats.files, format);
    } catch (e) {
      return refused(request, reply, e, 'stats');
    }
  });

  app.get('/ledger', async (request, reply) => {
    try {
      const period = askedPeriod(request);
      const { rows, duties } = await ctx.officeOf(request).reports.ledgerContentAs(actorOf(request), period);
      const query = new URLSearchParams(periodQuery(period)).toString();
      const unit = (u: { cadre: string; unit: string }) => `${u.cadre}：${u.unit}`;
      return ctx.page(request, reply, 'ledger', {
        title: '排查台账',
        label: period.label,
        headers: [...LEDGER_COLUMNS.map((c) => c.title), '案件编号'],
        rows: rows.map((r) => ({ cells: LEDGER_COLUMNS.map((c) => r[c.key]), number: r.caseNumber, ref: refOf(r.caseNumber) })),
        count: rows.length,
        // 一岗双责: the zero reports of the period and who has not screened yet.
        linked: duties.linked,
        zeroReports: duties.zeroReports.map((z) => ({ day: chineseDate(z.day), cadre: z.cadre, unit: z.unit, by: z.by })),
        notScreened: duties.due.month.map(unit),
        daily: duties.due.days.filter((d) => d.missing.length).map((d) => ({ day: chineseDate(d.day), period: d.period, missing: d.missing.map(unit) })),
        query,
        form: formOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request)),
      });
    } catch (e) {
      return refused(request, reply, e, 'ledger');
    }
  });

  app.get('/ledger/download', async (request, reply) => {
    const format = (request.query as Query).format === 'docx' ? 'docx' : 'pdf';
    try {
      const ledger = await ctx.officeOf(request).reports.ledgerAs(actorOf(request), askedPeriod(request));
      return sendWritten(request, reply, ledger.files, format);
    } catch (e) {
      return refused(request, reply, e, 'ledger');
    }
  });

  /** The file the service just wrote into archive/报表/, never a path from the URL. */
  function sendWritten(request: FastifyRequest, reply: FastifyReply, files: string[], format: 'pdf' | 'docx'): FastifyReply {
    const file = ctx.officeOf(request).paths.absolute(files.find((f) => f.endsWith(`.${format}`))!);
    reply.type(format === 'pdf' ? 'application/pdf' : DOCX);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`);
    return reply.send(createReadStream(file));
  }
}




/** The case page's address takes the full number as well as `2026-7`. */
const refOf = (number: string) => encodeURIComponent(number);

/** The period form as it was filled in (or this month). */
export function formOf(q: Query, now: Date, timeZone: string) {
  const today = localDate(now, timeZone);
  const kind = q.kind === 'year' || q.kind === 'range' ? q.kind : q.year && !q.kind ? 'year' : (q.from || q.to) && !q.kind ? 'range' : 'month';
  return {
    month: q.month || today.slice(0, 7),
    year: q.year || today.slice(0, 4),
    from: q.from ?? '',
    to: q.to ?? '',
    isMonth: kind === 'month',
    isYear: kind === 'year',
    isRange: kind === 'range',
  };
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** The figures as the page shows them, each count with the link to its cases. */
function statsView(s: PeriodStats, p: Period) {
  const before = previousPeriod(p);
  const query = new URLSearchParams(periodQuery(p)).toString();
  const rows = (list: { name: string; count: number }[], filter: (name: string) => Record<string, string> | undefined) =>
    list.map((r) => {
      const f = filter(r.name);
      return { name: r.name, count: r.count, link: f ? listLink(p, f) : null };
    });
  return {
    label: s.period.label,
    asOf: s.asOf,
    query,
    total: { count: s.total, link: listLink(p) },
    byCategory: s.byCategory.map((c) => {
      const then = s.byCategoryBefore.find((b) => b.name === c.name)?.count ?? 0;
      return { name: c.name, count: c.count, link: listLink(p, categoryFilter(c.name)), before: then, beforeLink: listLink(before, categoryFilter(c.name)), rising: c.count > then };
    }),
    beforeLabel: before.label,
    byChannel: rows(s.byChannel, (name) => ({ channel: name })),
    // The cases of the period each leader is in charge of (包案): the list of the same cases.
    byCaseLeader: rows(s.byCaseLeader, (name) => ({ caseleader: name })),
    byHandlingType: rows(s.byHandlingType, (name) => ({ handling: name })),
    byStatus: rows(s.byStatus, (label) => {
      const status = statusOf(label);
      return status ? { status } : undefined;
    }),
    first: { total: s.firstPetitions.total, totalLink: listLink(p, { first: '1' }), closed: s.firstPetitions.closed, closedLink: listLink(p, { first: '1', status: 'closed' }), rate: pct(s.firstPetitions.rate) },
    onTime: {
      answered: s.onTime.answered,
      onTime: s.onTime.onTime,
      onTimeLink: measureLink(p, 'on-time'),
      late: s.onTime.late,
      lateLink: measureLink(p, 'late'),
      rate: pct(s.onTime.rate),
    },
    overdue: { count: s.overdue.length, link: measureLink(p, 'overdue'), rows: s.overdue.map((o) => ({ ...o, ref: refOf(o.number) })) },
    repeatPeople: {
      count: s.repeatPeople.length,
      link: measureLink(p, 'key-persons'),
      rows: s.repeatPeople.map((r, i) => ({ name: r.name, count: r.count, inPeriod: r.inPeriod, link: measureLink(p, 'person', { person: String(i) }) })),
    },
    group: { count: s.group.count, link: listLink(p, { flag: 'group' }) },
    returned: { count: s.returned.count, link: measureLink(p, 'returned') },
    urgent: { count: s.urgent.count, link: listLink(p, { flag: 'urgent' }) },
    rising: s.rising.map((r) => ({ ...r, link: listLink(p, categoryFilter(r.category)) })),
    satisfaction: {
      visited: s.satisfaction.visited,
      rate: pct(s.satisfaction.rate),
      byResult: s.satisfaction.byResult,
      byCategory: s.satisfaction.byCategory.map((r, i) => ({ ...r, rate: pct(r.rate), link: measureLink(p, 'visited', { by: 'category', row: String(i) }) })),
      byHandler: s.satisfaction.byHandler.map((r, i) => ({ ...r, rate: pct(r.rate), link: measureLink(p, 'visited', { by: 'handler', row: String(i) }) })),
      unsatisfied: s.satisfaction.unsatisfied.map((u) => ({ ...u, ref: refOf(u.number) })),
    },
    charts: [
      { src: `/stats/charts/0.svg?${query}`, alt: '各类别件数' },
      { src: `/stats/charts/1.svg?${query}`, alt: '按期与超期（已答复）' },
      { src: `/stats/charts/2.svg?${query}`, alt: '近十二个月各月登记件数' },
    ],
  };
}
