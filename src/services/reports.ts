/** What the office prints about its cases: the register book, the statistics report, the dispute ledger. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { bookCells, bookRows, type BookInfo } from '../domain/book.js';
import type { Actor, Case } from '../domain/case.js';
import { fail } from '../domain/problems.js';
import { can } from '../domain/roles.js';
import { addDays, chineseDate, localDate, localDayStart, parseMonth } from '../domain/calendar.js';
import { signLedgerRows } from '../domain/signs.js';
import { ledgerRows, type LedgerRow } from '../domain/reports/ledger.js';
import { monthPeriod, periodInstants, rangePeriod, type Period } from '../domain/reports/periods.js';
import { computeStats, statsQuery, type PeriodStats } from '../domain/reports/stats.js';
import { periodFileLabel, writeReportFiles } from './report-files.js';
import type { CaseQuery, Store } from '../ports/store.js';
import type { ServiceContext } from './context.js';
import { screeningDue, screeningLedgerRows, zeroReports, type Screening, type ScreeningDue } from '../domain/duties.js';

/** 一岗双责 in the ledger: the zero reports, who has not yet screened which unit, how many links there are. */
export interface LedgerDuties {
  zeroReports: Screening[];
  due: ScreeningDue;
  linked: number;
}

export type BookFormat = 'pdf' | 'docx';

/** Periods whose figures are kept, each until the registry changes. */
const FIGURES_KEPT = 8;

/** Figures of the statistics that no plain filter of the case list expresses. */
/** A figure of the statistics whose cases the list shows: by name, or by its row in a table of the figures (names may repeat across tables). */
export type StatsMeasure = 'overdue' | 'on-time' | 'late' | 'key-persons' | 'returned' | { person: number } | { visited: 'category' | 'handler'; row: number };

export interface PrintedBook {
  /** Relative to the workspace. */
  file: string;
  cases: number;
  period: string;
}

export interface LedgerResult {
  period: string;
  rows: LedgerRow[];
  zeroReport: boolean;
  files: string[];
  /** 一岗双责: the zero reports of the period and who has not yet screened which unit. */
  duties: LedgerDuties;
}

export class ReportService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The rows of the register book of a year or a month, as the page shows them: the first `limit`, and how many in all. */
  async bookPreview(actor: Actor, year: number, month: number | undefined, limit: number): Promise<{ rows: string[][]; total: number; period: string }> {
    return this.spanPreview(actor, this.yearSpan(year, month), limit);
  }

  /** The register book of any days (by the day a petition was received), as the page shows it. */
  async bookRangePreview(actor: Actor, from: string, to: string, limit: number): Promise<{ rows: string[][]; total: number; period: string }> {
    return this.spanPreview(actor, rangeSpan(from, to), limit);
  }

  /** The register book of a year or one month of it, landscape, as PDF or DOCX, into archive/登记簿/. */
  async book(actor: Actor, year: number, month: number | undefined, format: BookFormat): Promise<PrintedBook> {
    return this.printSpan(actor, this.yearSpan(year, month), format);
  }

  /** The register book of any days, as PDF or DOCX, into archive/登记簿/. */
  async bookRange(actor: Actor, from: string, to: string, format: BookFormat): Promise<PrintedBook> {
    return this.printSpan(actor, rangeSpan(from, to), format);
  }

  private yearSpan(year: number, month: number | undefined): BookSpan {
    if (month !== undefined) parseMonth(String(month));
    const label = month ? `${year}年${month}月` : `${year}年`;
    if (!month) return { label, query: { year } };
    const days = monthPeriod(`${year}-${month}`);
    return { label, query: { year, ...periodInstants(days, this.ctx.settings.office.timezone) } };
  }

  private async spanPreview(actor: Actor, span: BookSpan, limit: number): Promise<{ rows: string[][]; total: number; period: string }> {
    if (!can(actor, 'print-book')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看登记簿' });
    const q = this.spanQuery(span);
    // One page of the registry's number-ordered list and the count: a month of a busy year is not read whole.
    const { cases, total } = await this.ctx.store.queryCases({ ...q, sort: 'number-asc', limit, offset: 0 });
    const rows: string[][] = [];
    for await (const row of bookRows(listed(cases), this.ctx.settings)) rows.push(bookCells(row));
    return { rows, total, period: span.label };
  }

  private spanQuery(span: BookSpan): Omit<CaseQuery, 'limit' | 'offset'> {
    if ('from' in span) return periodInstants(span, this.ctx.settings.office.timezone);
    return span.query;
  }

  private async printSpan(actor: Actor, span: BookSpan, format: BookFormat): Promise<PrintedBook> {
    if (!can(actor, 'print-book')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '打印登记簿' });
    const { store, settings, paths } = this.ctx;
    const [{ facesFrom }, { writeBookPdf }, { writeBookDocx }] = await Promise.all([
      import('../adapters/fonts/font-files.js'),
      import('../adapters/pdfkit/book-pdf.js'),
      import('../adapters/docx/book-docx.js'),
    ]);
    const tz = settings.office.timezone;
    const q = this.spanQuery(span);
    const casesOfPeriod = () => pagedCases(store, q);
    const byChannel = new Map<string, number>();
    let total = 0;
    for await (const c of casesOfPeriod()) {
      total++;
      byChannel.set(c.channel, (byChannel.get(c.channel) ?? 0) + 1);
    }
    const period = span.label;
    const info: BookInfo = { office: settings.office.name, period, total, byChannel: [...byChannel.entries()], printedOn: chineseDate(localDate(this.ctx.clock(), tz)) };
    mkdirSync(paths.books, { recursive: true });
    const file = path.join(paths.books, `${period}来信来访登记簿.${format}`);
    // Read twice by the writers: once to measure the columns, once to write the rows.
    const rows = () => bookRows(casesOfPeriod(), settings);
    const faces = facesFrom(settings, paths.root);
    if (format === 'pdf') await writeBookPdf(rows, info, faces, file);
    else await writeBookDocx(rows, info, faces, file);
    return { file: paths.relative(file), cases: total, period };
  }

  /** The figures of a period; with `report`, the statistics report with its charts as PDF and DOCX into archive/报表/. */
  async stats(period: Period, options: { report?: boolean } = {}): Promise<PeriodStats & { files: string[] }> {
    const now = this.ctx.clock();
    const stats = await this.figures(period, now);
    const files: string[] = [];
    if (options.report) {
      const { statsReport } = await import('./report-documents.js');
      files.push(...(await writeReportFiles(this.ctx, `信访统计报告_${periodFileLabel(period)}`, statsReport(stats, this.ctx.settings, localDate(now, this.ctx.settings.office.timezone)), now)));
    }
    return { ...stats, files };
  }

  /**
   * The figures of a period, worked out again only when the registry changed or the day turned:
   * a statistics page, its charts and its count links ask for the same figures one after another.
   */
  private async figures(period: Period, now: Date): Promise<PeriodStats> {
    const { store, settings } = this.ctx;
    const key = JSON.stringify([period, localDate(now, settings.office.timezone), await store.changeMark()]);
    const known = this.worked.get(key);
    if (known) return known;
    const stats = computeStats(await store.statsRead(statsQuery(period, settings.office.timezone)), period, settings, now);
    if (this.worked.size >= FIGURES_KEPT) this.worked.delete(this.worked.keys().next().value!);
    this.worked.set(key, stats);
    return stats;
  }

  private readonly worked = new Map<string, PeriodStats>();

  /** The dispute screening ledger of a month as PDF and DOCX; a month with nothing found gets a signed zero report. */
  async ledger(period: Period): Promise<LedgerResult> {
    const now = this.ctx.clock();
    const { settings } = this.ctx;
    const { ledgerReport } = await import('./report-documents.js');
    const { rows, duties } = await this.ledgerContent(period);
    const files = await writeReportFiles(this.ctx, `矛盾纠纷排查台账_${periodFileLabel(period)}`, ledgerReport(rows, period.label, settings, localDate(now, settings.office.timezone), duties), now);
    return { period: period.label, rows, zeroReport: rows.length === 0, files, duties };
  }

  /** The ledger's lines (disputes in the petitions, then the risks the cadres' screenings found) and the screening duties of the period. */
  private async ledgerContent(period: Period): Promise<{ rows: LedgerRow[]; duties: LedgerDuties }> {
    const { settings, store } = this.ctx;
    const tz = settings.office.timezone;
    const [cases, screenings, links, signs] = await Promise.all([
      store.listCases(),
      store.screenings(period.from, period.to),
      store.dutyLinks(),
      store.signReports({ reportedFrom: localDayStart(period.from, tz), reportedTo: localDayStart(addDays(period.to, 1), tz) }),
    ]);
    const today = localDate(this.ctx.clock(), tz);
    const due = screeningDue(period, links, screenings, settings.duties.sensitivePeriods, today, tz);
    // The informants' reports of early signs (苗头) follow the cadres' findings.
    const signRows = signLedgerRows(signs, period, (iso) => localDate(iso, tz), settings.signs.riskLevels);
    return { rows: [...ledgerRows(cases, period, settings), ...screeningLedgerRows(screenings, period), ...signRows], duties: { zeroReports: zeroReports(screenings, period), due, linked: links.length } };
  }

  /** The figures for a person of the office (the web): only the roles that may read the reports. */
  async statsAs(actor: Actor, period: Period, options: { report?: boolean } = {}): Promise<PeriodStats & { files: string[] }> {
    if (!can(actor, 'see-reports')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看统计' });
    return this.stats(period, options);
  }

  /** The ledger for a person of the office (the web). */
  async ledgerAs(actor: Actor, period: Period): Promise<LedgerResult> {
    if (!can(actor, 'see-reports')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看排查台账' });
    return this.ledger(period);
  }

  /** The ledger's rows of a period, nothing written (the page). */
  async ledgerRowsAs(actor: Actor, period: Period): Promise<LedgerRow[]> {
    return (await this.ledgerContentAs(actor, period)).rows;
  }

  /** The ledger's rows and the screening duties of a period, nothing written (the page). */
  async ledgerContentAs(actor: Actor, period: Period): Promise<{ rows: LedgerRow[]; duties: LedgerDuties }> {
    if (!can(actor, 'see-reports')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看排查台账' });
    return this.ledgerContent(period);
  }

  /** The numbers of the cases one worked-out figure counts, from the same computation as the figure. */
  async measureCases(actor: Actor, period: Period, measure: StatsMeasure): Promise<string[]> {
    const s = await this.statsAs(actor, period);
    if (measure === 'overdue') return s.overdue.map((o) => o.number);
    if (measure === 'on-time') return s.onTime.onTimeCases;
    if (measure === 'late') return s.onTime.lateCases;
    if (measure === 'key-persons') return [...new Set(s.repeatPeople.flatMap((p) => p.cases))];
    if (measure === 'returned') return s.returned.cases;
    if ('visited' in measure) return (measure.visited === 'category' ? s.satisfaction.byCategory : s.satisfaction.byHandler)[measure.row]?.cases ?? [];
    // A person by their place in the list (names alone may be shared by two people).
    return s.repeatPeople[measure.person]?.cases ?? [];
  }
}

/** A stretch of the register book: a year's numbers (one month of them), or any days received. */
type BookSpan = { label: string; query: Omit<CaseQuery, 'limit' | 'offset'> } | { label: string; from: string; to: string };

function rangeSpan(from: string, to: string): BookSpan {
  const p = rangePeriod(from, to);
  return { label: p.label, from: p.from, to: p.to };
}

async function* listed(cases: Case[]): AsyncGenerator<Case> {
  yield* cases;
}

/** The cases of a filter in number order, a page at a time. */
async function* pagedCases(store: Store, query: Omit<CaseQuery, 'limit' | 'offset'>): AsyncGenerator<Case> {
  const page = 1_000;
  for (let offset = 0; ; offset += page) {
    const { cases } = await store.queryCases({ ...query, sort: 'number-asc', limit: page, offset });
    yield* cases;
    if (cases.length < page) return;
  }
}
