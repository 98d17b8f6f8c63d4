/**
 * The documents the office issues for a case (notices, replies, the instruction sheet): filled
 * from the office's templates, laid out as PDF and DOCX, written into the case's folder and
 * recorded, each page carrying the QR code that names the case and the kind.
 */
import { exists } from '../adapters/files/fs-safe.js';
import type { Actor, Case, DocumentRecord } from '../domain/case.js';
import { chineseDate, localDate } from '../domain/calendar.js';
import { DOCUMENT_TYPES, type DocumentType } from '../domain/document-types.js';
import { encodePaperCode } from '../domain/paper-code.js';
import { describeError, fail } from '../domain/problems.js';
import { can, isAssigned } from '../domain/roles.js';
import type { ServiceContext } from './context.js';
import { FileBatch } from './files.js';

export interface RenderedDocument {
  type: DocumentType;
  pdf: Buffer;
  docx: Buffer;
}

/** Fills the template for a case and lays it out; nothing is written. */
export async function renderDocument(ctx: Pick<ServiceContext, 'settings' | 'paths'>, c: Case, type: DocumentType, extra: Record<string, string>, now: Date): Promise<RenderedDocument> {
  // The renderers (pdfkit, docx, fonts) are loaded when a document is first made.
  const [{ facesFrom }, { caseData }, { issuedDocx }, { issuedPdf }, { fillTemplate }] = await Promise.all([
    import('../adapters/fonts/font-files.js'),
    import('../domain/template-data.js'),
    import('../adapters/docx/issued-docx.js'),
    import('../adapters/pdfkit/issued-pdf.js'),
    import('../adapters/templates/templates.js'),
  ]);
  const { settings, paths } = ctx;
  const form = type === '批办单';
  const filled = fillTemplate(paths.templateFolders, type, caseData(c, settings, now, extra), { blanksAllowed: form });
  const head = {
    issuer: settings.office.name,
    docNumber: c.number,
    date: chineseDate(localDate(now, settings.office.timezone)),
    form,
    code: encodePaperCode({ caseNumber: c.number, kind: type }),
  };
  const pdf = await issuedPdf(filled, head, facesFrom(settings, paths.root), now);
  const docx = await issuedDocx(filled, head);
  return { type, pdf, docx };
}

/**
 * Writes a rendered document into the case's folder under the first free name (受理告知书,
 * 受理告知书_2, …: earlier copies are never overwritten), as part of `batch`; returns the records
 * to commit.
 */
export async function writeDocument(ctx: Pick<ServiceContext, 'store' | 'paths'>, batch: FileBatch, c: Case, doc: RenderedDocument): Promise<DocumentRecord[]> {
  const stem = await freeStem(ctx, c.folder, doc.type);
  const records: DocumentRecord[] = [];
  for (const [ext, bytes] of [['pdf', doc.pdf], ['docx', doc.docx]] as const) {
    const written = await batch.write(`${c.folder}/${stem}.${ext}`, bytes);
    records.push({ role: 'issued', kind: doc.type, path: written.path, sha256: written.sha256, pages: ext === 'pdf' ? countPages(bytes) : 0, bytes: written.bytes });
  }
  return records;
}

/** A name neither recorded nor on disk, for both the PDF and the DOCX. */
async function freeStem(ctx: Pick<ServiceContext, 'store' | 'paths'>, folder: string, type: DocumentType): Promise<string> {
  for (let i = 1; ; i++) {
    const stem = i === 1 ? type : `${type}_${i}`;
    const paths = ['pdf', 'docx'].map((ext) => `${folder}/${stem}.${ext}`);
    const taken = await Promise.all(paths.map(async (p) => (await ctx.store.recordedSha(p)) !== null || (await exists(ctx.paths.absolute(p)))));
    if (!taken.some(Boolean)) return stem;
  }
}

function countPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

export interface DraftField {
  name: string;
  value: string;
  /** The value is the case's own (the registry's, the settings'), not typed on the page. */
  fromCase: boolean;
  required: boolean;
  missing: boolean;
}

export interface DocumentDraft {
  type: DocumentType;
  fields: DraftField[];
  /** Nothing the template needs is missing: the document may be issued. */
  complete: boolean;
  rendered: RenderedDocument;
}

/** The clerk issues the office's documents; a handler those of the cases assigned to them. */
function mayIssue(actor: Actor, c: Case): void {
  if (can(actor, 'issue-documents') || (actor.role !== undefined && can(actor, 'handle-assigned') && isAssigned(actor, c))) return;
  fail({ code: 'not-allowed', role: actor.role ?? '', action: '出具文书' });
}

export interface SheetsMade {
  made: string[];
  /** Cases whose sheet could not be made, with why; the others are made regardless. */
  failed: { number: string; error: string }[];
}

export function checkDocumentType(given: string): DocumentType {
  if (!(DOCUMENT_TYPES as readonly string[]).includes(given)) fail({ code: 'bad-document-type', given, allowed: DOCUMENT_TYPES });
  return given as DocumentType;
}

export class DocumentService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Issues a document of any kind for a case, outside the workflow's steps (the CLI's `letter`). */
  async issue(c: Case, type: DocumentType, extra: Record<string, string>): Promise<DocumentRecord[]> {
    const rendered = await renderDocument(this.ctx, c, type, extra, this.ctx.clock());
    const batch = new FileBatch(this.ctx);
    let records: DocumentRecord[] = [];
    records = await batch.writing(() => writeDocument(this.ctx, batch, c, rendered));
    await batch.commit(() => this.ctx.store.addDocuments(c.id, records));
    return records;
  }

  /**
   * A document as it would go out, not issued: the template's fields with the values the case
   * gives or the person typed, the ones still missing marked; the draft PDF and DOCX shows each
   * missing one as 【待填：…】. Nothing is written or recorded.
   */
  async draft(actor: Actor, c: Case, type: DocumentType, given: Record<string, string>): Promise<DocumentDraft> {
    mayIssue(actor, c);
    const [{ templateFields }, { caseData }] = await Promise.all([import('../adapters/templates/templates.js'), import('../domain/template-data.js')]);
    const now = this.ctx.clock();
    const typed = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    const known = caseData(c, this.ctx.settings, now, {});
    const form = type === '批办单';
    const fields = templateFields(this.ctx.paths.templateFolders, type).map((f) => {
      const value = typed[f.name] ?? known[f.name] ?? '';
      // A form is written on by hand: what is not known yet stays blank on it.
      return { name: f.name, value, fromCase: typed[f.name] === undefined && value !== '', required: f.required, missing: !form && f.required && value === '' };
    });
    const holes = Object.fromEntries(fields.filter((f) => f.missing).map((f) => [f.name, `【待填：${f.name}】`]));
    const rendered = await renderDocument(this.ctx, c, type, { ...this.given(fields), ...holes }, now);
    return { type, fields, complete: fields.every((f) => !f.missing), rendered };
  }

  /** Issues a document from the page: only when no field the template needs is missing. */
  async issueAs(actor: Actor, c: Case, type: DocumentType, given: Record<string, string>): Promise<DocumentRecord[]> {
    const draft = await this.draft(actor, c, type, given);
    const missing = draft.fields.find((f) => f.missing);
    if (missing) fail({ code: 'template-field-missing', type, field: missing.name });
    return this.issue(c, type, this.given(draft.fields));
  }

  /** The values typed on the page (the case's own are filled in again when the document is made). */
  private given(fields: DraftField[]): Record<string, string> {
    return Object.fromEntries(fields.filter((f) => !f.fromCase && f.value !== '').map((f) => [f.name, f.value]));
  }

  /**
   * The blank instruction sheet every registered case gets, for the clerk to print and the leader
   * to write on. Made once: a case that has one already is left alone.
   */
  async ensureBlankSheet(c: Case): Promise<DocumentRecord[]> {
    const { store } = this.ctx;
    if (await store.hasDocument(c.id, 'issued', '批办单')) return [];
    const rendered = await renderDocument(this.ctx, c, '批办单', {}, this.ctx.clock());
    const batch = new FileBatch(this.ctx);
    let records: DocumentRecord[] = [];
    // Another process may have made one meanwhile: then ours goes, theirs stays.
    records = await batch.writing(() => writeDocument(this.ctx, batch, c, rendered));
    const made = await batch.commit(
      () => store.addDocumentsUnlessKind(c.id, '批办单', records),
      (added) => added,
    );
    return made ? records : [];
  }

  /** Makes the blank instruction sheets still missing, a batch at a time, going on past a case that fails. */
  async makeMissingSheets(): Promise<SheetsMade> {
    const result: SheetsMade = { made: [], failed: [] };
    let after = 0;
    const nextBatch = () => this.ctx.store.casesWithout('批办单', 100, after);
    for (let batch = await nextBatch(); batch.length; batch = await nextBatch()) {
      for (const c of batch) {
        after = c.id;
        try {
          if ((await this.ensureBlankSheet(c)).length) result.made.push(c.number);
        } catch (e) {
          result.failed.push({ number: c.number, error: describeError(e) });
        }
      }
    }
    return result;
  }
}

