/**
 * The office's templates in the administrator's hands: read, checked while being edited (with a
 * preview filled from a sample case), saved only when the check passes, written atomically into
 * templates/, and every saved text kept with who saved it and when.
 */
import { fillTemplateText, readTemplate, templateHeaderError, writeTemplate } from '../adapters/templates/templates.js';
import type { Actor } from '../domain/case.js';
import { DOCUMENT_TYPES, type DocumentType } from '../domain/document-types.js';
import type { FilledDocument } from '../domain/issued-document.js';
import { fail, isXinfangError } from '../domain/problems.js';
import { can } from '../domain/roles.js';
import { caseData } from '../domain/template-data.js';
import { checkTemplate, knownFields, REQUIRED_FIELDS, SAMPLE_GIVEN, sampleCase, type TemplateIssue } from '../domain/template-check.js';
import { problemText } from '../domain/words.js';
import type { TemplateVersion } from '../ports/store.js';
import type { AuditService } from './audit.js';
import type { ServiceContext } from './context.js';
import { checkDocumentType } from './documents.js';

/** Who the template's text before the first save in the browser is recorded as. */
export const ORIGINAL_AUTHOR = '（原模板文件）';

export interface TemplateCheck {
  issues: TemplateIssue[];
  /** The document filled with the sample case, when the text can be filled at all. */
  preview: FilledDocument | null;
}

export class TemplateService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<{ type: DocumentType; versions: number; last: TemplateVersion | null }[]> {
    this.mustManage(actor, '管理文书模板');
    return Promise.all(
      DOCUMENT_TYPES.map(async (type) => {
        const versions = await this.ctx.store.templateVersions(type);
        return { type, versions: versions.length, last: versions[0] ?? null };
      }),
    );
  }

  async open(actor: Actor, given: string): Promise<{ type: DocumentType; text: string; known: readonly string[]; required: readonly string[] }> {
    this.mustManage(actor, '修改文书模板');
    const type = checkDocumentType(given);
    return { type, text: readTemplate(this.ctx.paths.templateFolders, type), known: knownFields(type), required: REQUIRED_FIELDS[type] };
  }

  /** What is wrong with an edited text, and the document it would make for a sample case. */
  async check(actor: Actor, given: string, text: string): Promise<TemplateCheck> {
    this.mustManage(actor, '修改文书模板');
    return this.checkText(checkDocumentType(given), normalize(text));
  }

  /** Saves the text when it passes the check; otherwise nothing is written and the problems are the error. */
  async save(actor: Actor, given: string, text: string): Promise<TemplateVersion> {
    this.mustManage(actor, '修改文书模板');
    const type = checkDocumentType(given);
    const source = normalize(text);
    const { issues } = this.checkText(type, source);
    if (issues.length) fail({ code: 'template-problems', type, issues });
    const { store, paths, clock } = this.ctx;
    // The text the office had before its first save here is kept too, so it can always be gone back to.
    if ((await store.templateVersions(type)).length === 0) {
      await store.addTemplateVersion({ type, text: readTemplate(paths.templateFolders, type), by: ORIGINAL_AUTHOR, at: clock().toISOString() });
    }
    await writeTemplate(paths.templates, type, source);
    const version = await store.addTemplateVersion({ type, text: source, by: actor.name, at: clock().toISOString() });
    await this.audit.noteAdministration(actor, `保存文书模板“${type}”（第 ${(await store.templateVersions(type)).length} 版）`);
    this.ctx.log.info({ template: type, by: actor.name }, 'template saved');
    return version;
  }

  async versions(actor: Actor, given: string): Promise<TemplateVersion[]> {
    this.mustManage(actor, '查看模板的历次版本');
    return this.ctx.store.templateVersions(checkDocumentType(given));
  }

  private checkText(type: DocumentType, source: string): TemplateCheck {
    const issues = checkTemplate(type, source);
    const header = templateHeaderError(source);
    if (header) issues.push({ kind: 'header', line: header.line });
    if (header || issues.some((i) => i.kind !== 'required-removed')) return { issues, preview: null };
    const now = this.ctx.clock();
    const data = caseData(sampleCase(now), this.ctx.settings, now, { ...SAMPLE_GIVEN });
    try {
      return { issues, preview: fillTemplateText(source, `${type}.hbs`, type, data, { blanksAllowed: type === '批办单' }) };
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return { issues: [...issues, { kind: 'render', detail: problemText(e.problem) }], preview: null };
    }
  }

  private mustManage(actor: Actor, action: string): void {
    if (!can(actor, 'manage-office')) fail({ code: 'not-allowed', role: actor.role ?? '', action });
  }
}

/** A browser's text area sends CRLF line ends; the files use LF, and end with one. */
function normalize(text: string): string {
  const lf = text.replace(/\r\n?/g, '\n');
  return lf.endsWith('\n') ? lf : `${lf}\n`;
}
