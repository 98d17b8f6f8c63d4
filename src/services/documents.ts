import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Settings } from '../domain/settings.js';
import { chineseDate, localDate } from '../domain/calendar.js';
import { describeError } from '../domain/problems.js';
import { writeFileNew } from '../adapters/files/fs-safe.js';
import { sha256 } from '../adapters/files/hash.js';
import { encodePaperCode } from '../domain/paper-code.js';
import type { DocumentType } from '../domain/document-types.js';
import type { CaseRow, DocumentRecord, Registry } from '../adapters/sqlite/registry.js';
import type { Workspace } from '../adapters/files/workspace.js';

export interface IssuedDocument {
  records: DocumentRecord[];
  /** Absolute paths written, to remove again if the step that made them is not recorded. */
  files: string[];
}

/**
 * Fills a template for a case and writes it as PDF and DOCX into the case's folder, each page
 * carrying the QR code that names the case and the kind. Earlier copies are never overwritten
 * (受理告知书_2). The caller records the documents in the registry.
 */
export async function issueDocument(
  ws: Workspace,
  settings: Settings,
  c: CaseRow,
  type: DocumentType,
  extra: Record<string, string>,
  now: Date,
): Promise<IssuedDocument> {
  // The renderers (pdfkit, docx, fonts) are loaded when a document is first made.
  const [{ facesFrom }, { caseData }, { letterDocx }, { letterPdf }, { fillTemplate }] = await Promise.all([
    import('../adapters/pdfkit/faces.js'),
    import('../domain/letter-data.js'),
    import('../adapters/docx/letter-docx.js'),
    import('../adapters/pdfkit/letter-pdf.js'),
    import('../adapters/templates/templates.js'),
  ]);
  const form = type === '批办单';
  const filled = fillTemplate(ws.templates, type, caseData(c, settings, now, extra), { blanksAllowed: form });
  const head = {
    issuer: settings.office.name,
    docNumber: c.number,
    date: chineseDate(localDate(now, settings.office.timezone)),
    form,
    code: encodePaperCode({ caseNumber: c.number, kind: type }),
  };
  const pdf = await letterPdf(filled, head, facesFrom(settings, ws.root), now);
  const docx = await letterDocx(filled, head);
  const folder = ws.absolute(c.folder);
  mkdirSync(folder, { recursive: true });
  const records: DocumentRecord[] = [];
  const files: string[] = [];
  try {
    // Each name is claimed by the write itself, so two processes never take the same one.
    for (let i = 1; records.length < 2; i++) {
      const stem = i === 1 ? type : `${type}_${i}`;
      for (const [ext, bytes] of [['pdf', pdf], ['docx', docx]] as const) {
        const file = path.join(folder, `${stem}.${ext}`);
        if (!(await writeFileNew(file, bytes))) break;
        files.push(file);
        records.push({ role: 'letter', kind: type, path: ws.relative(file), sha256: sha256(bytes), pages: ext === 'pdf' ? countPages(bytes) : 0, bytes: bytes.length });
      }
      if (records.length === 1) {
        // The PDF's name was free but the DOCX's was not: give that stem up whole.
        await removeIssued({ records, files });
        records.length = 0;
        files.length = 0;
      }
    }
  } catch (e) {
    await removeIssued({ records, files });
    throw e;
  }
  return { records, files };
}

/** Takes back files of a step that was not recorded, so the folder holds only what the registry knows. */
export async function removeIssued(issued: IssuedDocument): Promise<void> {
  await Promise.all(issued.files.map((f) => fs.rm(f, { force: true })));
}

function countPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

/**
 * The blank instruction sheet every registered case gets, for the clerk to print and the leader
 * to write on. Made once: a case that has one already is left alone.
 */
export async function ensureBlankSheet(ws: Workspace, settings: Settings, registry: Registry, c: CaseRow, now: Date): Promise<DocumentRecord[]> {
  if (registry.hasDocument(c.id, 'letter', '批办单')) return [];
  const issued = await issueDocument(ws, settings, c, '批办单', {}, now);
  try {
    // Another process may have made one meanwhile: then ours goes, theirs stays.
    if (registry.addDocumentsUnlessKind(c.id, '批办单', issued.records)) return issued.records;
  } catch (e) {
    await removeIssued(issued);
    throw e;
  }
  await removeIssued(issued);
  return [];
}

export interface SheetsMade {
  made: string[];
  /** Cases whose sheet could not be made, with why; the others are made regardless. */
  failed: { number: string; error: string }[];
}

/** Makes the blank instruction sheets still missing, a batch at a time, going on past a case that fails. */
export async function makeMissingSheets(ws: Workspace, settings: Settings, registry: Registry, now: Date): Promise<SheetsMade> {
  const result: SheetsMade = { made: [], failed: [] };
  let after = 0;
  const nextBatch = () => registry.casesWithout('批办单', 100, after);
  for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
    for (const c of batch) {
      after = c.id;
      try {
        if ((await ensureBlankSheet(ws, settings, registry, c, now)).length) result.made.push(c.number);
      } catch (e) {
        result.failed.push({ number: c.number, error: describeError(e) });
      }
    }
  }
  return result;
}
