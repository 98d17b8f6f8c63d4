/**
 * A clerk's reading of the lines the OCR was unsure of (handwriting, mostly): each line's picture
 * cut from the page beside its text, the clerk's text kept beside the OCR's, the letter searched
 * and its fields read again with it. Fields a clerk set stay as they are.
 */
import { promises as fs } from 'node:fs';
import { embeddedPageJpegs } from '../adapters/pdf-lib/embedded-jpegs.js';
import { cropPng, imageSize } from '../adapters/sharp/line-image.js';
import type { Actor, CaseDetail, PageRecord } from '../domain/case.js';
import { boxOnImage, cleanLineText, estimatedFrame, latestCorrections, lineKey, MAX_LINE_CHARS, type LineCorrection } from '../domain/corrections.js';
import { extractFields } from '../domain/extract/letter-fields.js';
import { flagsAfterChange } from '../domain/flags.js';
import { fail } from '../domain/problems.js';
import { can } from '../domain/roles.js';
import type { Reread } from '../ports/store.js';
import type { CaseService } from './cases.js';
import { learnedRules } from './classifiers.js';
import type { ServiceContext } from './context.js';
import { PAGE_IMAGE_WIDTHS, type PageImageService } from './page-images.js';

/** A line as the clerk gives it: its place on the page (from 1) and the text read there. */
export interface LineChange {
  line: number;
  text: string;
}

/** One line of a page as the correcting clerk sees it. */
export interface LineForCorrection {
  line: number;
  ocrText: string;
  /** The text that holds now: the latest correction's, else the OCR's. */
  text: string;
  confidence: number;
  /** Below the settings' `ocr.lowConfidence`: shown first and marked. */
  unsure: boolean;
  corrected: Pick<LineCorrection, 'by' | 'at'> | null;
}

export class CorrectionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly cases: CaseService,
    private readonly pageImages: PageImageService,
  ) {}

  /** The lines of page `pageNo` of a case, unsure ones first, then in reading order. */
  async lines(actor: Actor, reference: string, pageNo: number): Promise<{ case: CaseDetail; lines: LineForCorrection[] }> {
    mayCorrect(actor);
    const c = await this.cases.findFor(actor, reference);
    const page = pageOf(c, pageNo);
    // The scanned lines are shown as written, personal details included: a view for the audit log, like 显示完整信息.
    await this.ctx.store.addAudit({ at: this.ctx.clock().toISOString(), actor: actor.name, kind: 'view', caseId: c.id, detail: `第 ${pageNo} 页识别文字（含身份证号、联系电话、住址）` });
    const latest = latestCorrections(c.corrections);
    const threshold = this.ctx.settings.ocr.lowConfidence;
    const lines = page.lines.map((l, i): LineForCorrection => {
      const k = latest.get(lineKey(pageNo, i + 1));
      return { line: i + 1, ocrText: l.text, text: k?.text ?? l.text, confidence: l.confidence, unsure: l.confidence < threshold, corrected: k ? { by: k.by, at: k.at } : null };
    });
    return { case: c, lines: [...lines.filter((l) => l.unsure), ...lines.filter((l) => !l.unsure)] };
  }

  /**
   * Records a clerk's reading of lines of one page. A line given as it already reads is no change;
   * a line given empty is no text (left out of the letter's text). The OCR text stays as it was.
   */
  async correctLines(actor: Actor, reference: string, pageNo: number, changes: LineChange[]): Promise<CaseDetail> {
    mayCorrect(actor);
    const c = await this.cases.findFor(actor, reference);
    const page = pageOf(c, pageNo);
    // The scanned lines are shown as written, personal details included: a view for the audit log, like 显示完整信息.
    await this.ctx.store.addAudit({ at: this.ctx.clock().toISOString(), actor: actor.name, kind: 'view', caseId: c.id, detail: `第 ${pageNo} 页识别文字（含身份证号、联系电话、住址）` });
    const latest = latestCorrections(c.corrections);
    const wanted = new Map<number, string>();
    for (const change of changes) {
      const ocr = Number.isInteger(change.line) ? page.lines[change.line - 1] : undefined;
      if (!ocr) fail({ code: 'unknown-line', caseNumber: c.number, page: pageNo, line: change.line, lines: page.lines.length });
      const text = cleanLineText(change.text);
      if ([...text].length > MAX_LINE_CHARS) fail({ code: 'line-too-long', page: pageNo, line: change.line, max: MAX_LINE_CHARS });
      const current = latest.get(lineKey(pageNo, change.line))?.text ?? ocr.text;
      if (text === current) wanted.delete(change.line);
      else wanted.set(change.line, text);
    }
    if (wanted.size === 0) fail({ code: 'no-line-change' });
    const lines = [...wanted].sort(([a], [b]) => a - b).map(([line, text]) => ({ line, text }));
    const rules = await learnedRules(this.ctx);
    const reread: Reread = (text) => {
      const extraction = extractFields(text, rules);
      return { extraction, flagsFor: (fields, flags) => flagsAfterChange(fields, flags, rules.groupThreshold, extraction.urgentWords.length > 0) };
    };
    const now = this.ctx.clock();
    const entry = { at: now.toISOString(), actor: actor.name, action: 'lines-corrected' as const, detail: `更正第 ${pageNo} 页识别文字第 ${lines.map((l) => l.line).join('、')} 行（原识别文字保留）` };
    const row = await this.ctx.store.correctLines(c.id, pageNo, lines, actor.name, now, entry, reread);
    return this.ctx.store.detail(row.id);
  }

  /** Line `lineNo` of page `pageNo` as a PNG cut from the page image; null when there is no such line or no scan. */
  async lineImage(actor: Actor, reference: string, pageNo: number, lineNo: number): Promise<Buffer | null> {
    const c = await this.cases.findFor(actor, reference);
    const page = Number.isInteger(pageNo) && pageNo >= 1 ? c.pages[pageNo - 1] : undefined;
    const line = page && Number.isInteger(lineNo) && lineNo >= 1 ? page.lines[lineNo - 1] : undefined;
    if (!page || !line) return null;
    // The largest page image: handwriting needs every pixel the screen can show.
    const picture = await this.pageImages.pageImage(c, pageNo, Math.max(...PAGE_IMAGE_WIDTHS));
    if (!picture) return null;
    const frame = page.frame ?? (await this.estimatedFrame(c, pageNo, page));
    const rect = boxOnImage(line.box, frame, await imageSize(picture));
    return rect ? cropPng(picture, rect) : null;
  }

  /** For a page read before frames were kept: worked out from the kept scan and the reading size. */
  private async estimatedFrame(c: CaseDetail, pageNo: number, page: PageRecord): Promise<{ width: number; height: number }> {
    const doc = c.documents.find((d) => d.role === 'searchable')!;
    const jpeg = (await embeddedPageJpegs(await fs.readFile(this.ctx.paths.absolute(doc.path))))?.[pageNo - 1];
    if (!jpeg) throw new Error(`${doc.path}: no JPEG for page ${pageNo}`);
    return estimatedFrame(await imageSize(jpeg.jpeg), this.ctx.settings.ocr.longSide, page.rotation, page.skew);
  }
}

function mayCorrect(actor: Actor): void {
  if (!can(actor, 'correct')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '更正识别文字' });
}

function pageOf(c: CaseDetail, pageNo: number): PageRecord {
  const page = Number.isInteger(pageNo) && pageNo >= 1 ? c.pages[pageNo - 1] : undefined;
  return page ?? fail({ code: 'unknown-page', caseNumber: c.number, page: pageNo, pages: c.pages.length });
}
