/** Printing a report document as the office keeps it: PDF and DOCX side by side in archive/报表/. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../adapters/files/fs-safe.js';
import type { ReportDocument } from '../domain/report-document.js';
import type { Period } from '../domain/reports/periods.js';
import type { ServiceContext } from './context.js';

/** Writes a report as PDF and DOCX into archive/报表/ (each beside its name, then renamed), returning the paths relative to the workspace. */
export async function writeReportFiles(ctx: ServiceContext, stem: string, report: ReportDocument, now: Date): Promise<string[]> {
  const { settings, paths } = ctx;
  // Loaded when a report is printed, not at start-up.
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

/** A period as it names a report's files: 2026-11, 2026, or 2026-11-01_2026-11-15. */
export function periodFileLabel(p: Period): string {
  return p.kind === 'month' ? p.from.slice(0, 7) : p.kind === 'year' ? p.from.slice(0, 4) : `${p.from}_${p.to}`;
}
