/**
 * The assessment of cadres and handlers (考核): the figures of a period per person, the cases each
 * figure counts, and the report as PDF and DOCX (A4 landscape, the ledger's fonts and tables).
 * Only leaders (and the office's terminal) may read it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../adapters/files/fs-safe.js';
import type { Actor } from '../domain/case.js';
import { localDate } from '../domain/calendar.js';
import { fail } from '../domain/problems.js';
import { computeAssessment, figureCases, mayAssess, type Assessment, type AssessmentCase, type AssessmentFigure } from '../domain/reports/assessment.js';
import type { Period } from '../domain/reports/periods.js';
import type { ServiceContext } from './context.js';

export type PaperFormat = 'pdf' | 'docx';

export interface AssessmentPaper {
  /** The file name it is offered under: 信访工作考核_2026-11.pdf */
  name: string;
  bytes: Buffer;
}

export class AssessmentService {
  constructor(private readonly ctx: ServiceContext) {}

  private must(actor: Actor): void {
    if (!mayAssess(actor)) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看考核情况' });
  }

  /** The figures of a period, per person. */
  async assess(actor: Actor, period: Period): Promise<Assessment> {
    this.must(actor);
    const { store, settings } = this.ctx;
    const [cases, screenings, links] = await Promise.all([this.cases(), store.screenings(period.from, period.to), store.dutyLinks()]);
    return computeAssessment({ cases, screenings, links }, period, settings, this.ctx.clock());
  }

  /** The numbers of the cases one figure of one person counts (the page's links); none for a person not in the assessment. */
  async figureCases(actor: Actor, period: Period, name: string, figure: AssessmentFigure): Promise<string[]> {
    const row = (await this.assess(actor, period)).rows.find((r) => r.name === name);
    return row ? figureCases(row, figure) : [];
  }

  /** The report of a period as PDF or DOCX bytes, with the name it is offered under. */
  async paper(actor: Actor, period: Period, format: PaperFormat): Promise<AssessmentPaper & { assessment: Assessment }> {
    const assessment = await this.assess(actor, period);
    const { settings, paths } = this.ctx;
    const now = this.ctx.clock();
    const { assessmentReport } = await import('./assessment-document.js');
    const report = assessmentReport(assessment, settings, localDate(now, settings.office.timezone));
    const name = `信访工作考核_${fileLabel(period)}.${format}`;
    if (format === 'pdf') {
      const [{ reportPdf }, { facesFrom }] = await Promise.all([import('../adapters/pdfkit/report-pdf.js'), import('../adapters/fonts/font-files.js')]);
      return { name, bytes: await reportPdf(report, facesFrom(settings, paths.root), now), assessment };
    }
    const { reportDocx } = await import('../adapters/docx/report-docx.js');
    return { name, bytes: await reportDocx(report), assessment };
  }

  /** The report written to a file the person named (the terminal's --pdf, --docx); returns the absolute path. */
  async writePaper(actor: Actor, period: Period, format: PaperFormat, file: string): Promise<string> {
    const target = path.resolve(file);
    const { bytes } = await this.paper(actor, period, format);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes);
    return target;
  }

  /** Every case with the petitioner's evaluation from its latest return visit (回访), null where none was recorded (未回访). */
  private async cases(): Promise<AssessmentCase[]> {
    return (await this.ctx.store.listStatsCases()).map((c) => ({ ...c, evaluation: c.workflow.returnVisit?.result ?? null }));
  }
}

function fileLabel(p: Period): string {
  return p.kind === 'month' ? p.from.slice(0, 7) : p.kind === 'year' ? p.from.slice(0, 4) : `${p.from}_${p.to}`;
}
