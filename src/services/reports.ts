/** What the office prints about its cases: the register book, the statistics report, the dispute ledger. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../adapters/files/fs-safe.js';
import { bookCells, bookRows, inMonth, type BookInfo } from '../domain/book.js';
import type { Actor } from '../domain/case.js';
import { fail } from '../domain/problems.js';
import { can } from '../domain/roles.js';
import { chineseDate, localDate, parseMonth } from '../domain/calendar.js';
import { ledgerRows, type LedgerRow } from '../domain/reports/ledger.js';
import type { Period } from '../domain/reports/periods.js';
import { computeStats, type PeriodStats } from '../domain/reports/stats.js';
import type { ReportDocument } from '../domain/report-document.js';
import type { ServiceContext } from './context.js';

export type BookFormat = 'pdf' | 'docx';

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
}

export class ReportService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The rows of the register book of a year or a month, as the page shows them: the first `limit`, and how many in all. */
  async bookPreview(actor: Actor, year: number, month: number | undefined, limit: number): Promise<{ rows: string[][]; total: number; period: string }> {
    if (!can(actor, 'print-book')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看登记簿' });
    if (month !== undefined) parseMonth(String(month));
    const { store, settings } = this.ctx;
    const rows: string[][] = [];
    let total = 0;
    for await (const row of bookRows(inMonth(store.casesOfYear(year), settings.office.timezone, month), settings)) {
      total++;
      if (rows.length < limit) rows.push(bookCells(row));
    }
    return { rows, total, period: month ? `${year}年${month}月` : `${year}年` };
  }

  /** The register book of a year or one month of it, landscape, as PDF or DOCX, into archive/登记簿/. */
  async book(actor: Actor, year: number, month: number | undefined, format: BookFormat): Promise<PrintedBook> {
    if (!can(actor, 'print-book')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '打印登记簿' });
    if (month !== undefined) parseMonth(String(month));
    const { store, settings, paths } = this.ctx;
    const [{ facesFrom }, { writeBookPdf }, { writeBookDocx }] = await Promise.all([
      import('../adapters/fonts/font-files.js'),
      import('../adapters/pdfkit/book-pdf.js'),
      import('../adapters/docx/book-docx.js'),
    ]);
    const tz = settings.office.timezone;
    const casesOfPeriod = () => inMonth(store.casesOfYear(year), tz, month);
    const byChannel = new Map<string, number>();
    let total = 0;
    for await (const c of casesOfPeriod()) {
      total++;
      byChannel.set(c.channel, (byChannel.get(c.channel) ?? 0) + 1);
    }
    const period = month ? `${year}年${month}月` : `${year}年`;
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
    const stats = computeStats(await this.ctx.store.listCases(), period, this.ctx.settings, now);
    const files: string[] = [];
    if (options.report) {
      const { statsReport } = await import('./report-documents.js');
      files.push(...(await this.writeBoth(`信访统计报告_${fileLabel(period)}`, statsReport(stats, this.ctx.settings, localDate(now, this.ctx.settings.office.timezone)), now)));
    }
    return { ...stats, files };
  }

  /** The dispute screening ledger of a month as PDF and DOCX; a month with nothing found gets a signed zero report. */
  async ledger(period: Period): Promise<LedgerResult> {
    const now = this.ctx.clock();
    const { settings } = this.ctx;
    const { ledgerReport } = await import('./report-documents.js');
    const rows = ledgerRows(await this.ctx.store.listCases(), period, settings);
    const files = await this.writeBoth(`矛盾纠纷排查台账_${fileLabel(period)}`, ledgerReport(rows, period.label, settings, localDate(now, settings.office.timezone)), now);
    return { period: period.label, rows, zeroReport: rows.length === 0, files };
  }

  /** Writes a report as PDF and DOCX into archive/报表/, returning the paths relative to the workspace. */
  private async writeBoth(stem: string, report: ReportDocument, now: Date): Promise<string[]> {
    const { settings, paths } = this.ctx;
    const [{ reportPdf }, { reportDocx }, { facesFrom }] = await Promise.all([
      import('../adapters/pdfkit/report-pdf.js'),
      import('../adapters/docx/report-docx.js'),
      import('../adapters/fonts/font-files.js'),
    ]);
    mkdirSync(paths.reports, { recursive: true });
    const pdf = await reportPdf(report, facesFrom(settings, paths.root), now);
    const docx = await reportDocx(report);
    const files = [path.join(paths.reports, `${stem}.pdf`), path.join(paths.reports, `${stem}.docx`)];
    await writeFileAtomic(files[0]!, pdf);
    await writeFileAtomic(files[1]!, docx);
    return files.map((f) => paths.relative(f));
  }
}

function fileLabel(p: Period): string {
  return p.kind === 'month' ? p.from.slice(0, 7) : p.kind === 'year' ? p.from.slice(0, 4) : `${p.from}_${p.to}`;
}
