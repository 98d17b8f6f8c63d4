import Database from 'better-sqlite3';
import { FIELD_NAMES, type Extraction, type FieldName, type LetterFields, type Provenance } from '../../domain/extract/letter-fields.js';
import { splitLetter } from '../../domain/extract/parts.js';
import { bigrams, similarity } from '../../domain/extract/text.js';
import { formatCaseNumber } from '../../domain/case-number.js';
import { MIGRATIONS } from './schema.js';
import { chain, type ChainedEntry, type HistoryEntry } from '../../domain/history.js';
import type { CaseStatus, Outcome, Workflow } from '../../domain/workflow.js';

export type { CaseStatus } from '../../domain/workflow.js';
export type Channel = '来信' | '来访' | '电话' | '网上' | '转办';
export const CHANNELS: readonly Channel[] = ['来信', '来访', '电话', '网上', '转办'];

export interface OcrPageRecord {
  text: string;
  confidence: number;
  lowConfidence: boolean;
  rotation: number;
  skew: number;
  lines: { text: string; confidence: number; box: [number, number, number, number] }[];
}

export interface DocumentRecord {
  /**
   * original: the scan as received; searchable: its PDF with text; letter: a document we issued;
   * returned: one of our documents come back on paper (signed, stamped) and scanned in.
   */
  role: 'original' | 'searchable' | 'letter' | 'returned' | 'volume' | 'manifest';
  /** For letters and returned papers: the kind of document (批办单, 信访处理意见书, …). */
  kind?: string | null;
  /** For returned papers: their OCR text. */
  text?: string | null;
  /** For returned papers: the inbox file they came from. */
  sourceName?: string | null;
  /** Relative to the workspace root. */
  path: string;
  sha256: string;
  pages: number;
  bytes: number;
}

/** A petition to number and record: a scanned letter, or a visit, call or transfer typed in by a clerk. */
export interface NewPetition {
  channel: Channel;
  receivedAt: Date;
  year: number;
  /** The text of the letter (OCR) or of the matter as the clerk wrote it down. */
  text: string;
  extraction: Extraction;
  flags: string[];
  pages: OcrPageRecord[];
  ocrEngine: string | null;
  /** For scans: the inbox item, its fingerprint and where its files wait to be moved. */
  source?: { name: string; sha256: string; stagingDir: string };
  /** For transferred cases: the office it came from and its number there. */
  transfer?: { office: string; number: string };
  /** Who registered it, for the history; scans are registered by the program itself. */
  registeredBy?: string;
  /** Documents with paths relative to the case folder; the folder is known once numbered. */
  documents: (Omit<DocumentRecord, 'path'> & { fileName: string })[];
}

export interface CaseRow {
  id: number;
  number: string;
  year: number;
  seq: number;
  status: CaseStatus;
  channel: Channel;
  receivedAt: string;
  sourceName: string | null;
  sourceSha256: string | null;
  folder: string;
  stagingDir: string | null;
  intakeState: 'committed' | 'done';
  ocrText: string;
  ocrConfidence: number | null;
  ocrEngine: string | null;
  flags: string[];
  fields: LetterFields;
  sources: Provenance;
  urgentWords: string[];
  repeatOf: string | null;
  transfer: { office: string; number: string } | null;
  workflow: Workflow;
  /** Set when the case is bound: its archival reference, never changed after. */
  archive: { ref: string; item: number; retention: string; boundAt: string } | null;
}

export interface VolumeRecord {
  year: number;
  volume: number;
  path: string;
  sha256: string;
  bytes: number;
  pages: number;
  /** Case numbers in the volume, in order. */
  cases: string[];
  madeAt: string;
}

export interface CaseDetail extends CaseRow {
  pages: OcrPageRecord[];
  documents: DocumentRecord[];
  /** How many petitions this person has made, this one included. */
  personLetters: number;
  edits: FieldEdit[];
  history: ChainedEntry[];
}

/** The status changed under us (another clerk took a step first): nothing was written. */
export class StaleStepError extends Error {
  constructor(readonly current: CaseRow) {
    super(`case ${current.number} is now ${current.status}`);
  }
}

export interface FieldEdit {
  field: FieldName;
  oldValue: string | null;
  newValue: string | null;
  by: string;
  at: string;
}

export interface SearchHit {
  case: CaseRow;
  snippet: string;
}

export interface RegistryOptions {
  format: string;
  short: string;
  repeatSimilarity?: number;
  repeatWithinDays?: number;
}

/** Every case query reads through this, so a case arrives with the number of the case it repeats. */
const CASES = 'SELECT c.*, r.number AS repeat_number FROM cases c LEFT JOIN cases r ON r.id = c.repeat_of';

const COLUMN: Record<FieldName, string> = {
  name: 'petitioner_name',
  phone: 'phone',
  idNumber: 'id_number',
  address: 'address',
  letterDate: 'letter_date',
  signatories: 'signatories',
  summary: 'summary',
  category: 'category',
  handlingType: 'handling_type',
};

/** How long a statement waits for another process's write to finish before giving up. */
const BUSY_TIMEOUT_MS = 15_000;

/** The registry: the only module that speaks SQL. One SQLite file in WAL mode. */
export class Registry {
  private readonly db: Database.Database;

  constructor(file: string, private readonly options: RegistryOptions) {
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    this.useWriteAheadLog();
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  close(): void {
    this.db.close();
  }

  /**
   * Switches a new registry to WAL. While the file is not yet WAL (two processes opening a new
   * archive at once), the switch needs the file to itself and SQLite answers "busy" at once,
   * without waiting as it does for other statements; so wait and try again here, as long as
   * SQLite itself would wait. An archive already in WAL passes straight through.
   */
  private useWriteAheadLog(): void {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      try {
        this.db.pragma('journal_mode = WAL');
        return;
      } catch (e) {
        if (!(e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY')) || Date.now() >= deadline) throw e;
        // Opening is synchronous everywhere it is called; a short blocking pause is what SQLite's own wait does too.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
      }
    }
  }

  /**
   * Brings the schema up to date. The version is read again under the write lock, so two
   * processes opening a new archive at once migrate it once.
   */
  private migrate(): void {
    if ((this.db.pragma('user_version', { simple: true }) as number) >= MIGRATIONS.length) return;
    const upgrade = this.db.transaction(() => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      for (let v = version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]!);
      this.db.pragma(`user_version = ${MIGRATIONS.length}`);
      if (version > 0 && version < 3) this.backfillHistory();
    });
    upgrade.immediate();
  }

  /** Cases registered before histories were kept start theirs with their registration. */
  private backfillHistory(): void {
    const rows = this.db.prepare('SELECT id, channel, received_at, source_name FROM cases WHERE history_count = 0').all() as {
      id: number;
      channel: string;
      received_at: string;
      source_name: string | null;
    }[];
    for (const r of rows) this.appendHistory(r.id, { at: r.received_at, actor: SYSTEM_ACTOR, action: 'registered', detail: registrationDetail(r.channel, r.source_name) });
  }

  /** Adds an entry to a case's chain and moves the case's head to it. Call inside a transaction. */
  private appendHistory(caseId: number, entry: HistoryEntry): ChainedEntry {
    const head = this.db.prepare('SELECT number, history_head, history_count FROM cases WHERE id = ?').get(caseId) as {
      number: string;
      history_head: string | null;
      history_count: number;
    };
    const chained = chain(head.number, head.history_count ? { seq: head.history_count, hash: head.history_head ?? '' } : null, entry);
    this.db
      .prepare('INSERT INTO history (case_id, seq, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(caseId, chained.seq, chained.at, chained.actor, chained.action, chained.detail, chained.prevHash, chained.hash);
    this.db.prepare('UPDATE cases SET history_head = ?, history_count = ? WHERE id = ?').run(chained.hash, chained.seq, caseId);
    return chained;
  }

  history(caseId: number): ChainedEntry[] {
    return (this.db.prepare('SELECT * FROM history WHERE case_id = ? ORDER BY seq').all(caseId) as HistorySqlRow[]).map(toEntry);
  }

  /** Every case's chain with its head, one case at a time: for verification. */
  *chains(): Generator<{ number: string; status: CaseStatus; entries: ChainedEntry[]; head: { hash: string | null; count: number } }> {
    const cases = this.db.prepare('SELECT id, number, status, history_head, history_count FROM cases ORDER BY year, seq').all() as {
      id: number;
      number: string;
      status: CaseStatus;
      history_head: string | null;
      history_count: number;
    }[];
    for (const c of cases) yield { number: c.number, status: c.status, entries: this.history(c.id), head: { hash: c.history_head, count: c.history_count } };
  }

  /**
   * Takes one workflow step in one transaction: the status is checked again under the write lock,
   * the case updated, the history entry chained and the step's documents recorded together.
   */
  applyStep(caseId: number, from: readonly CaseStatus[], next: { status: CaseStatus; workflow: Workflow }, entry: HistoryEntry, documents: DocumentRecord[]): CaseRow {
    const step = this.db.transaction(() => {
      const before = this.caseById(caseId);
      if (!from.includes(before.status)) throw new StaleStepError(before);
      const columns = workflowColumns(next.workflow);
      const keys = Object.keys(columns);
      this.db.prepare(`UPDATE cases SET status = ?, ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(next.status, ...Object.values(columns), caseId);
      this.insertDocuments(caseId, documents);
      this.appendHistory(caseId, entry);
      return this.caseById(caseId);
    });
    return step.immediate();
  }

  /**
   * Files a returned paper (signed sheet, stamped reply) to its case with a history entry. The
   * same bytes filed twice to a case are recorded once.
   */
  fileReturnedPaper(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): { row: CaseRow; filed: boolean } {
    const file = this.db.transaction(() => {
      const first = documents[0];
      const already = first && this.db.prepare(`SELECT 1 FROM documents WHERE case_id = ? AND role = 'returned' AND sha256 = ?`).get(caseId, first.sha256);
      if (already) return { row: this.caseById(caseId), filed: false };
      this.insertDocuments(caseId, documents);
      this.appendHistory(caseId, entry);
      return { row: this.caseById(caseId), filed: true };
    });
    return file.immediate();
  }

  /** A returned paper already filed with exactly these bytes, and the inbox name it came under. */
  findReturnedPaper(sha256: string): { case: CaseRow; sourceName: string | null } | undefined {
    const doc = this.db.prepare(`SELECT case_id, source_name FROM documents WHERE role = 'returned' AND sha256 = ? AND source_name IS NOT NULL LIMIT 1`).get(sha256) as
      | { case_id: number; source_name: string | null }
      | undefined;
    return doc ? { case: this.caseById(doc.case_id), sourceName: doc.source_name } : undefined;
  }

  /** Finds a case by its exact number, as a QR code names it. */
  caseByNumber(number: string): CaseRow | undefined {
    const row = this.db.prepare(`${CASES} WHERE c.number = ?`).get(number);
    return row ? this.toCaseRow(row) : undefined;
  }

  /** Cases still open (not closed), for the deadline list. */
  openCases(): CaseRow[] {
    return this.db.prepare(`${CASES} WHERE c.status != 'closed' ORDER BY c.year, c.seq`).all().map((r) => this.toCaseRow(r));
  }

  /** Cases taken in completely that have no generated document of this kind yet, oldest first, from after `afterId`. */
  casesWithout(kind: string, limit: number, afterId = 0): CaseRow[] {
    return this.db
      .prepare(
        `${CASES} WHERE c.intake_state = 'done' AND c.id > ?
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id AND d.role = 'letter' AND d.kind = ?)
         ORDER BY c.id LIMIT ?`,
      )
      .all(afterId, kind, limit)
      .map((r) => this.toCaseRow(r));
  }

  hasDocument(caseId: number, role: DocumentRecord['role'], kind: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM documents WHERE case_id = ? AND role = ? AND kind = ?').get(caseId, role, kind));
  }

  private insertDocuments(caseId: number, documents: DocumentRecord[]): void {
    const insert = this.db.prepare('INSERT INTO documents (case_id, role, path, sha256, pages, bytes, kind, text, source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const d of documents) insert.run(caseId, d.role, d.path, d.sha256, d.pages, d.bytes, d.kind ?? null, d.text ?? null, d.sourceName ?? null);
  }

  /** The case whose letter, or one of whose original pages, has exactly these bytes. */
  findByContent(sha256: string): CaseRow | undefined {
    const row = this.db
      .prepare(
        `${CASES} WHERE c.source_sha256 = ?
           OR c.id IN (SELECT case_id FROM documents WHERE sha256 = ? AND role IN ('original', 'returned'))
         LIMIT 1`,
      )
      .get(sha256, sha256);
    return row ? this.toCaseRow(row) : undefined;
  }

  /**
   * Numbers and records a petition in one transaction. BEGIN IMMEDIATE takes the write lock first,
   * so two processes on one archive can never draw the same number, and a kill before COMMIT
   * leaves no trace: numbers never skip. Repeat petitions are linked in the same transaction.
   */
  registerPetition(petition: NewPetition, folderFor: (year: number, number: string) => string): CaseRow {
    const register = this.db.transaction(() => {
      if (petition.source) {
        const already = this.db.prepare(`${CASES} WHERE c.source_sha256 = ?`).get(petition.source.sha256);
        if (already) return { row: this.toCaseRow(already), created: false };
      }
      const seq = this.nextSeq(petition.year);
      const number = formatCaseNumber(this.options.format, { short: this.options.short, year: petition.year, seq });
      const folder = folderFor(petition.year, number);
      const { fields, sources } = petition.extraction;
      const repeatOf = this.findRepeat(petition);
      const info = this.db
        .prepare(
          `INSERT INTO cases (year, seq, number, status, channel, received_at, source_name, source_sha256,
             folder, staging_dir, intake_state, ocr_text, ocr_confidence, ocr_engine, flags,
             petitioner_name, phone, id_number, address, letter_date, signatories, summary, category, handling_type,
             field_sources, urgent_words, repeat_of, from_office, from_number)
           VALUES (?, ?, ?, 'registered', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          petition.year, seq, number, petition.channel, petition.receivedAt.toISOString(),
          petition.source?.name ?? null, petition.source?.sha256 ?? null, folder, petition.source?.stagingDir ?? null,
          petition.source ? 'committed' : 'done', petition.text, meanConfidence(petition.pages), petition.ocrEngine,
          JSON.stringify(orderFlags([...petition.flags, ...(repeatOf ? ['repeat'] : [])])),
          fields.name, fields.phone, fields.idNumber, fields.address, fields.letterDate, fields.signatories, fields.summary,
          fields.category, fields.handlingType, JSON.stringify(sources), JSON.stringify(petition.extraction.urgentWords),
          repeatOf, petition.transfer?.office ?? null, petition.transfer?.number ?? null,
        );
      const caseId = Number(info.lastInsertRowid);
      const insertPage = this.db.prepare(
        'INSERT INTO pages (case_id, page_no, text, confidence, low_confidence, rotation, skew, lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      petition.pages.forEach((p, i) =>
        insertPage.run(caseId, i + 1, p.text, p.confidence, p.lowConfidence ? 1 : 0, p.rotation, p.skew, JSON.stringify(p.lines)),
      );
      const insertDoc = this.db.prepare('INSERT INTO documents (case_id, role, path, sha256, pages, bytes) VALUES (?, ?, ?, ?, ?, ?)');
      for (const d of petition.documents) insertDoc.run(caseId, d.role, `${folder}/${d.fileName}`, d.sha256, d.pages, d.bytes);
      this.appendHistory(caseId, {
        at: petition.receivedAt.toISOString(),
        actor: petition.registeredBy ?? SYSTEM_ACTOR,
        action: 'registered',
        detail: registrationDetail(petition.channel, petition.source?.name ?? null, petition.pages.length),
      });
      this.index(caseId);
      return { row: this.caseById(caseId), created: true };
    });
    const result = register.immediate();
    if (!result.created) throw new DuplicateRaceError(result.row);
    return result.row;
  }

  private nextSeq(year: number): number {
    const row = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM cases WHERE year = ?').get(year) as { next: number };
    return row.next;
  }

  /**
   * The earlier case this petition repeats: the latest from the same person (same ID number, or
   * same name and phone), else the latest of the same category within the period whose matter
   * reads nearly the same.
   */
  private findRepeat(petition: NewPetition): number | null {
    const { fields } = petition.extraction;
    const samePerson = this.samePersonCases(fields, 1);
    if (samePerson.length) return samePerson[0]!;
    const threshold = this.options.repeatSimilarity ?? 0.5;
    const since = new Date(petition.receivedAt.getTime() - (this.options.repeatWithinDays ?? 730) * 86_400_000).toISOString();
    const body = splitLetter(petition.text).body || petition.text;
    const candidates = this.db
      .prepare('SELECT id, ocr_text FROM cases WHERE category IS ? AND received_at >= ? ORDER BY received_at DESC LIMIT 500')
      .all(fields.category, since) as { id: number; ocr_text: string }[];
    for (const c of candidates) {
      if (similarity(body, splitLetter(c.ocr_text).body || c.ocr_text) >= threshold) return c.id;
    }
    return null;
  }

  /**
   * Earlier cases of the same person, latest first: same ID number, or same name and phone, and
   * once more from what those cases add (a letter with an ID and one with name and phone join up).
   */
  private samePersonCases(fields: LetterFields, limit: number, excludeId = -1): number[] {
    const byKeys = this.db.prepare(
      `SELECT id, id_number, petitioner_name, phone FROM cases WHERE id != ? AND ((id_number IS NOT NULL AND id_number = ?)
         OR (petitioner_name IS NOT NULL AND phone IS NOT NULL AND petitioner_name = ? AND phone = ?))`,
    );
    type Row = { id: number; id_number: string | null; petitioner_name: string | null; phone: string | null };
    const found = new Map<number, Row>();
    // Each distinct identity is looked up once: a person with many letters costs one query per identity, not per letter.
    const asked = new Set<string>();
    const look = (f: { idNumber: string | null; name: string | null; phone: string | null }) => {
      if (!f.idNumber && !(f.name && f.phone)) return;
      const key = `${f.idNumber ?? ''}\0${f.name ?? ''}\0${f.phone ?? ''}`;
      if (asked.has(key)) return;
      asked.add(key);
      for (const row of byKeys.all(excludeId, f.idNumber, f.name, f.phone) as Row[]) found.set(row.id, row);
    };
    look(fields);
    for (const row of [...found.values()]) look({ idNumber: row.id_number, name: row.petitioner_name, phone: row.phone });
    return [...found.keys()].sort((a, b) => b - a).slice(0, limit);
  }

  /** Records files written into a case's folder (paths relative to the workspace root). */
  addDocuments(caseId: number, documents: DocumentRecord[]): void {
    this.db.transaction(() => this.insertDocuments(caseId, documents)).immediate();
  }

  /**
   * Gives a case its archival reference, once: the item number is the next within the year and
   * retention period, drawn under the write lock. A case that has one keeps it.
   */
  assignArchiveRef(caseId: number, retention: string, at: Date, format: (item: number) => string): CaseRow {
    return this.db
      .transaction(() => {
        const c = this.caseById(caseId);
        if (c.archive) return c;
        const { next } = this.db
          .prepare('SELECT COALESCE(MAX(archive_item), 0) + 1 AS next FROM cases WHERE year = ? AND archive_retention = ?')
          .get(c.year, retention) as { next: number };
        this.db
          .prepare('UPDATE cases SET archive_ref = ?, archive_item = ?, archive_retention = ?, bound_at = ? WHERE id = ?')
          .run(format(next), next, retention, at.toISOString(), caseId);
        return this.caseById(caseId);
      })
      .immediate();
  }

  /** Records a case's volume and manifest, replacing those of an earlier binding, with a history entry. */
  recordBinding(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): CaseRow {
    return this.db
      .transaction(() => {
        this.db.prepare(`DELETE FROM documents WHERE case_id = ? AND role IN ('volume', 'manifest')`).run(caseId);
        this.insertDocuments(caseId, documents);
        this.appendHistory(caseId, entry);
        return this.caseById(caseId);
      })
      .immediate();
  }

  /** A case with its documents, by id. */
  caseDetailById(id: number): CaseDetail {
    return this.detail(this.caseById(id));
  }

  /** Every document the registry knows, with its case folder: for verification. */
  allDocuments(): (DocumentRecord & { caseNumber: string; folder: string })[] {
    return (
      this.db.prepare('SELECT d.*, c.number AS case_number, c.folder FROM documents d JOIN cases c ON c.id = d.case_id ORDER BY d.id').all() as (DocumentRecord & {
        case_number: string;
        folder: string;
      })[]
    ).map((d) => ({ role: d.role, kind: d.kind ?? null, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes, caseNumber: d.case_number, folder: d.folder }));
  }

  /** The case folders the registry knows. */
  caseFolders(): string[] {
    return (this.db.prepare('SELECT folder FROM cases').all() as { folder: string }[]).map((r) => r.folder);
  }

  /** Replaces a year's shelf volumes. */
  replaceYearVolumes(year: number, volumes: VolumeRecord[]): void {
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM volumes WHERE year = ?').run(year);
        const insert = this.db.prepare('INSERT INTO volumes (year, volume, path, sha256, bytes, pages, cases, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        for (const v of volumes) insert.run(v.year, v.volume, v.path, v.sha256, v.bytes, v.pages, JSON.stringify(v.cases), v.madeAt);
      })
      .immediate();
  }

  volumes(year?: number): VolumeRecord[] {
    const rows = (year === undefined ? this.db.prepare('SELECT * FROM volumes ORDER BY year, volume').all() : this.db.prepare('SELECT * FROM volumes WHERE year = ? ORDER BY volume').all(year)) as {
      year: number;
      volume: number;
      path: string;
      sha256: string;
      bytes: number;
      pages: number;
      cases: string;
      made_at: string;
    }[];
    return rows.map((r) => ({ year: r.year, volume: r.volume, path: r.path, sha256: r.sha256, bytes: r.bytes, pages: r.pages, cases: JSON.parse(r.cases) as string[], madeAt: r.made_at }));
  }

  /** Records generated documents unless the case already has one of this kind; false if it had. */
  addDocumentsUnlessKind(caseId: number, kind: string, documents: DocumentRecord[]): boolean {
    return this.db
      .transaction(() => {
        if (this.hasDocument(caseId, 'letter', kind)) return false;
        this.insertDocuments(caseId, documents);
        return true;
      })
      .immediate();
  }

  /** Runs many registrations as one transaction (each becomes a savepoint): for bulk imports. */
  inOneTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Cases committed but whose files were not yet moved into place (the process stopped in between). */
  unfinishedIntakes(): CaseRow[] {
    return this.db.prepare(`${CASES} WHERE c.intake_state = 'committed' ORDER BY c.id`).all().map((r) => this.toCaseRow(r));
  }

  markIntakeDone(caseId: number): void {
    this.db.prepare(`UPDATE cases SET intake_state = 'done', staging_dir = NULL WHERE id = ?`).run(caseId);
  }

  /** The cases of a year in number order, one at a time, for long listings such as the register book. */
  *casesOfYear(year: number): Generator<CaseRow> {
    for (const row of this.db.prepare(`${CASES} WHERE c.year = ? ORDER BY c.seq`).iterate(year)) yield this.toCaseRow(row);
  }

  listCases(): CaseRow[] {
    return this.db.prepare(`${CASES} ORDER BY c.year, c.seq`).all().map((r) => this.toCaseRow(r));
  }

  /** Finds a case by its full number, by `2026-7`, or by a bare sequence number in the latest year. */
  findCase(reference: string): CaseDetail | undefined {
    const ref = reference.trim();
    let row = this.db.prepare(`${CASES} WHERE c.number = ?`).get(ref);
    const yearSeq = ref.match(/^(\d{4})\D+(\d+)$/);
    if (!row && yearSeq) row = this.db.prepare(`${CASES} WHERE c.year = ? AND c.seq = ?`).get(Number(yearSeq[1]), Number(yearSeq[2]));
    if (!row && /^\d+$/.test(ref)) {
      row = this.db.prepare(`${CASES} WHERE c.seq = ? ORDER BY c.year DESC LIMIT 1`).get(Number(ref));
    }
    return row ? this.detail(this.toCaseRow(row)) : undefined;
  }

  /**
   * A clerk's corrections: each changed field is recorded with who and when, and marked as the
   * clerk's, so no automatic pass overwrites it.
   */
  editFields(caseId: number, changes: Partial<LetterFields>, by: string, at: Date, flagsFor: (fields: LetterFields, flags: string[]) => string[]): CaseRow {
    const edit = this.db.transaction(() => {
      const before = this.caseById(caseId);
      const fields = { ...before.fields };
      const sources = { ...before.sources };
      const record = this.db.prepare('INSERT INTO field_edits (case_id, field, old_value, new_value, by, at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const field of FIELD_NAMES) {
        if (!(field in changes)) continue;
        const next = changes[field] ?? null;
        const old = fields[field];
        sources[field] = 'clerk';
        if (old === next) continue;
        record.run(caseId, field, old === null ? null : String(old), next === null ? null : String(next), by, at.toISOString());
        (fields as Record<FieldName, unknown>)[field] = next;
      }
      this.writeFields(caseId, fields, sources, flagsFor(fields, before.flags));
      return this.caseById(caseId);
    });
    return edit.immediate();
  }

  /** An automatic pass over a case: fields a clerk set are kept as they are. */
  applyExtraction(caseId: number, extraction: Extraction, flagsFor: (fields: LetterFields, flags: string[]) => string[]): CaseRow {
    const apply = this.db.transaction(() => {
      const before = this.caseById(caseId);
      const fields = { ...before.fields };
      const sources: Provenance = { ...before.sources };
      for (const field of FIELD_NAMES) {
        if (before.sources[field] === 'clerk') continue;
        (fields as Record<FieldName, unknown>)[field] = extraction.fields[field];
        if (extraction.sources[field]) sources[field] = extraction.sources[field];
        else delete sources[field];
      }
      this.db.prepare('UPDATE cases SET urgent_words = ? WHERE id = ?').run(JSON.stringify(extraction.urgentWords), caseId);
      this.writeFields(caseId, fields, sources, flagsFor(fields, before.flags));
      return this.caseById(caseId);
    });
    return apply.immediate();
  }

  private writeFields(caseId: number, fields: LetterFields, sources: Provenance, flags: string[]): void {
    const sets = FIELD_NAMES.map((f) => `${COLUMN[f]} = ?`).join(', ');
    this.db
      .prepare(`UPDATE cases SET ${sets}, field_sources = ?, flags = ? WHERE id = ?`)
      .run(...FIELD_NAMES.map((f) => fields[f]), JSON.stringify(sources), JSON.stringify(orderFlags(flags)), caseId);
    this.index(caseId);
  }

  /**
   * Cases a person should look at: OCR unsure, key fields missing, or an ID number that does not
   * check. Worst first: most missing fields, then lowest confidence.
   */
  reviewQueue(lowConfidence: number, keyFields: readonly FieldName[]): { case: CaseRow; missing: FieldName[]; reasons: string[] }[] {
    const rows = this.db
      .prepare(
        `${CASES} WHERE c.ocr_confidence < ? OR c.flags LIKE '%id-checksum%' OR ${keyFields.map((f) => `c.${COLUMN[f]} IS NULL`).join(' OR ')}`,
      )
      .all(lowConfidence)
      .map((r) => this.toCaseRow(r));
    return rows
      .map((c) => {
        const missing = keyFields.filter((f) => c.fields[f] === null);
        const reasons = [
          ...(c.ocrConfidence !== null && c.ocrConfidence < lowConfidence ? ['low-confidence'] : []),
          ...(c.flags.includes('id-checksum') ? ['id-checksum'] : []),
        ];
        return { case: c, missing, reasons };
      })
      .sort((a, b) => b.missing.length + b.reasons.length - (a.missing.length + a.reasons.length) || (a.case.ocrConfidence ?? 1) - (b.case.ocrConfidence ?? 1));
  }

  /**
   * Full-text search over every field and the letter's text. Text is indexed as overlapping
   * character pairs, so any Chinese substring of two characters or more is found without a word
   * list; a query is the phrase of its pairs. Ranked by bm25.
   */
  search(query: string, limit = 20): SearchHit[] {
    const grams = bigrams(query);
    if (grams.length === 0 || [...query.replace(/[^\p{L}\p{N}]/gu, '')].length < 2) return [];
    const rows = this.db
      .prepare(
        `SELECT c.*, r.number AS repeat_number FROM case_search s JOIN cases c ON c.id = s.rowid
           LEFT JOIN cases r ON r.id = c.repeat_of
         WHERE case_search MATCH ? ORDER BY bm25(case_search) LIMIT ?`,
      )
      .all(`"${grams.join(' ')}"`, limit)
      .map((r) => this.toCaseRow(r));
    return rows.map((c) => ({ case: c, snippet: snippet(c.ocrText, query) ?? snippet(fieldsText(c), query) ?? fieldsText(c).slice(0, 40) }));
  }

  private index(caseId: number): void {
    const row = this.caseById(caseId);
    this.db.prepare('DELETE FROM case_search WHERE rowid = ?').run(caseId);
    this.db.prepare('INSERT INTO case_search (rowid, grams) VALUES (?, ?)').run(caseId, bigrams(searchableText(row)).join(' '));
  }

  private caseById(id: number): CaseRow {
    return this.toCaseRow(this.db.prepare(`${CASES} WHERE c.id = ?`).get(id));
  }

  private detail(row: CaseRow): CaseDetail {
    const pages = this.db.prepare('SELECT * FROM pages WHERE case_id = ? ORDER BY page_no').all(row.id) as PageSqlRow[];
    const documents = this.db.prepare('SELECT * FROM documents WHERE case_id = ? ORDER BY id').all(row.id) as (DocumentRecord & { source_name?: string | null })[];
    const edits = this.db.prepare('SELECT field, old_value, new_value, by, at FROM field_edits WHERE case_id = ? ORDER BY id').all(row.id) as {
      field: FieldName;
      old_value: string | null;
      new_value: string | null;
      by: string;
      at: string;
    }[];
    return {
      ...row,
      pages: pages.map((p) => ({
        text: p.text,
        confidence: p.confidence,
        lowConfidence: p.low_confidence === 1,
        rotation: p.rotation,
        skew: p.skew,
        lines: JSON.parse(p.lines) as OcrPageRecord['lines'],
      })),
      documents: documents.map((d) => ({ role: d.role, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes, kind: d.kind ?? null, text: d.text ?? null, sourceName: d.source_name ?? null })),
      history: this.history(row.id),
      personLetters: this.samePersonCases(row.fields, 1_000_000, row.id).length + 1,
      edits: edits.map((e) => ({ field: e.field, oldValue: e.old_value, newValue: e.new_value, by: e.by, at: e.at })),
    };
  }

  private toCaseRow(raw: unknown): CaseRow {
    const r = raw as Record<string, unknown>;
    return {
      id: r.id as number,
      number: r.number as string,
      year: r.year as number,
      seq: r.seq as number,
      status: r.status as CaseStatus,
      channel: r.channel as Channel,
      receivedAt: r.received_at as string,
      sourceName: (r.source_name as string | null) ?? null,
      sourceSha256: (r.source_sha256 as string | null) ?? null,
      folder: r.folder as string,
      stagingDir: (r.staging_dir as string | null) ?? null,
      intakeState: r.intake_state as 'committed' | 'done',
      ocrText: r.ocr_text as string,
      ocrConfidence: (r.ocr_confidence as number | null) ?? null,
      ocrEngine: (r.ocr_engine as string | null) ?? null,
      flags: JSON.parse(r.flags as string) as string[],
      fields: {
        name: (r.petitioner_name as string | null) ?? null,
        phone: (r.phone as string | null) ?? null,
        idNumber: (r.id_number as string | null) ?? null,
        address: (r.address as string | null) ?? null,
        letterDate: (r.letter_date as string | null) ?? null,
        signatories: (r.signatories as number | null) ?? null,
        summary: (r.summary as string | null) ?? null,
        category: (r.category as string | null) ?? null,
        handlingType: (r.handling_type as string | null) ?? null,
      },
      sources: JSON.parse((r.field_sources as string | null) ?? '{}') as Provenance,
      urgentWords: JSON.parse((r.urgent_words as string | null) ?? '[]') as string[],
      repeatOf: (r.repeat_number as string | null) ?? null,
      transfer: r.from_office ? { office: r.from_office as string, number: (r.from_number as string | null) ?? '' } : null,
      workflow: toWorkflow(r),
      archive: r.archive_ref
        ? { ref: r.archive_ref as string, item: r.archive_item as number, retention: r.archive_retention as string, boundAt: r.bound_at as string }
        : null,
    };
  }
}

/** Another process registered the same letter first; ours is simply not needed. */
export class DuplicateRaceError extends Error {
  constructor(readonly existing: CaseRow) {
    super(`letter already registered as ${existing.number}`);
  }
}

/** The history's actor for what the program does by itself. */
export const SYSTEM_ACTOR = '系统';

function registrationDetail(channel: string, sourceName: string | null, pages = 0): string {
  if (sourceName) return `${channel}扫描件“${sourceName}”自动登记${pages ? `，共 ${pages} 页` : ''}`;
  return `${channel}，人工登记`;
}

interface HistorySqlRow {
  seq: number;
  at: string;
  actor: string;
  action: HistoryEntry['action'];
  detail: string;
  prev_hash: string;
  hash: string;
}

function toEntry(r: HistorySqlRow): ChainedEntry {
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, detail: r.detail, prevHash: r.prev_hash, hash: r.hash };
}

function workflowColumns(w: Workflow): Record<string, string | number | null> {
  return {
    instruction_leader: w.instruction?.leader ?? null,
    instruction_text: w.instruction?.text ?? null,
    instruction_at: w.instruction?.at ?? null,
    handler: w.instruction?.handler ?? null,
    due_date: w.instruction?.due ?? null,
    accepted_at: w.acceptedAt,
    declined_at: w.declinedAt,
    decline_reason: w.declineReason,
    extension_days: w.extension?.days ?? null,
    extension_reason: w.extension?.reason ?? null,
    extended_at: w.extension?.at ?? null,
    outcome: w.outcome,
    facts: w.facts,
    basis: w.basis,
    replied_at: w.repliedAt,
    reported_at: w.reportedAt,
    closed_at: w.closedAt,
  };
}

function toWorkflow(r: Record<string, unknown>): Workflow {
  const text = (k: string) => (r[k] as string | null | undefined) ?? null;
  return {
    instruction: text('instruction_at')
      ? { leader: text('instruction_leader') ?? '', text: text('instruction_text') ?? '', handler: text('handler'), at: text('instruction_at') ?? '', due: text('due_date') }
      : null,
    acceptedAt: text('accepted_at'),
    declinedAt: text('declined_at'),
    declineReason: text('decline_reason'),
    extension: text('extended_at') ? { days: (r.extension_days as number | null) ?? 0, reason: text('extension_reason') ?? '', at: text('extended_at') ?? '' } : null,
    outcome: text('outcome') as Outcome | null,
    facts: text('facts'),
    basis: text('basis'),
    repliedAt: text('replied_at'),
    reportedAt: text('reported_at'),
    closedAt: text('closed_at'),
  };
}

interface PageSqlRow {
  text: string;
  confidence: number;
  low_confidence: number;
  rotation: number;
  skew: number;
  lines: string;
}

/** Flags a leader must see first come first. */
const FLAG_ORDER = ['urgent', 'group', 'repeat', 'low-confidence', 'id-checksum'];

function orderFlags(flags: string[]): string[] {
  const unique = [...new Set(flags)];
  const rank = (f: string) => (FLAG_ORDER.includes(f) ? FLAG_ORDER.indexOf(f) : FLAG_ORDER.length);
  return unique.sort((a, b) => rank(a) - rank(b));
}

function meanConfidence(pages: OcrPageRecord[]): number | null {
  if (pages.length === 0) return null;
  return pages.reduce((sum, p) => sum + p.confidence, 0) / pages.length;
}

function fieldsText(c: CaseRow): string {
  const f = c.fields;
  return [c.number, f.name, f.phone, f.idNumber, f.address, f.category, f.handlingType, f.summary, c.transfer?.office, c.transfer?.number].filter(Boolean).join('；');
}

function searchableText(c: CaseRow): string {
  return `${fieldsText(c)}\n${c.ocrText}`;
}

/** About 40 characters of the text around the first match, the match in 【】; undefined if absent. */
export function snippet(text: string, query: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ');
  const needle = query.replace(/\s+/g, '');
  const squeezed = flat.replace(/\s/g, '');
  const at = squeezed.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return undefined;
  const from = Math.max(0, at - 15);
  const to = Math.min(squeezed.length, at + needle.length + 15);
  return `${from > 0 ? '…' : ''}${squeezed.slice(from, at)}【${squeezed.slice(at, at + needle.length)}】${squeezed.slice(at + needle.length, to)}${to < squeezed.length ? '…' : ''}`;
}
