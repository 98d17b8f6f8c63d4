import Database from 'better-sqlite3';
import { meanConfidence, SYSTEM_ACTOR, type Judged, type Case, type CaseDetail, type Channel, type DocumentRecord, type DocumentRole, type FieldEdit, type NewPetition, type PageRecord, type ReviewItem, type ReviewReason, type SearchHit, type VolumeRecord } from '../../domain/case.js';
import { formatCaseNumber } from '../../domain/case-number.js';
import { cleanLineText, correctedLetterText, type LineCorrection } from '../../domain/corrections.js';
import type { Extraction } from '../../domain/extract/letter-fields.js';
import { bigrams } from '../../domain/extract/text.js';
import { FIELD_NAMES, type FieldName, type LetterFields, type Provenance } from '../../domain/fields.js';
import { orderFlags, type Flag } from '../../domain/flags.js';
import { chain, type ChainedEntry, type HistoryEntry } from '../../domain/history.js';
import { fail } from '../../domain/problems.js';
import { pickRepeat } from '../../domain/repeat.js';
import { hitSnippet, isSearchable, searchableText } from '../../domain/search.js';
import { STATUSES, type CaseStatus, type Outcome, type Supervision, type Workflow } from '../../domain/workflow.js';
import { registrationText } from '../../domain/words.js';
import type { ReturnVisit, Review } from '../../domain/follow-up.js';
import type { Role } from '../../domain/roles.js';
import type { Alert, AlertKind, Charge, NewAlert, Recipient } from '../../domain/alerts.js';
import type { Contact, DutyShift, NewContact, NewDutyShift, OnDuty } from '../../domain/roster.js';
import type { NewSignReport, SignReport } from '../../domain/signs.js';
import type { AlertReader, CaseChain, ClassifierExamples, CaseQuery, CaseSort, FileNote, FlagsFor, KnownDocument, Registered, Reread, StepApplied, Store, TemplateVersion, UserRecord } from '../../ports/store.js';
import type { AuditQuery, AuditRecord, AuditRow } from '../../domain/audit.js';
import { MIGRATIONS } from './schema.js';
import type { StatsCase, StatsQuery, StatsRead } from '../../domain/reports/stats.js';
import type { CaseLeader, DutyLink, NewReceptionDay, NewScreening, ReceptionDay, Screening, ScreeningFinding } from '../../domain/duties.js';

export interface SqliteStoreOptions {
  format: string;
  short: string;
  repeatSimilarity?: number;
  repeatWithinDays?: number;
}

/** Every case query reads through this, so a case arrives with the number of the case it repeats. */
const CASES = 'SELECT c.*, r.number AS repeat_number FROM cases c LEFT JOIN cases r ON r.id = c.repeat_of';

export const COLUMN: Record<FieldName, string> = {
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

/**
 * The case list's orders, each ending on a unique key so that pages neither overlap nor skip a
 * case (cases received at the same instant go in number order), and the index that holds the list
 * in that order with every column a filter looks at (schema.ts).
 */
export const LIST_ORDER: Readonly<Record<CaseSort, { by: string; index: string }>> = {
  'received-desc': { by: 'c.received_at DESC, c.year DESC, c.seq DESC', index: 'cases_list_received' },
  'received-asc': { by: 'c.received_at, c.year, c.seq', index: 'cases_list_received' },
  'number-desc': { by: 'c.year DESC, c.seq DESC', index: 'cases_list_number' },
  'number-asc': { by: 'c.year, c.seq', index: 'cases_list_number' },
};

/** The columns the statistics read (StatsCase), in the order listStatsCases reads them by place; the repeated case's number follows. */
const STATS_COLUMNS = [
  'number', 'status', 'channel', 'received_at', 'flags', 'petitioner_name', 'phone', 'id_number', 'category', 'handling_type',
  'handler', 'instruction_leader', 'instruction_text', 'instruction_at', 'due_date', 'accepted_at', 'declined_at', 'decline_reason',
  'extension_days', 'extension_reason', 'extended_at', 'outcome', 'facts', 'basis', 'replied_at', 'reported_at', 'closed_at',
  'signed_by', 'signed_at', 'returned_at', 'return_reason', 'supervision',
  'case_leader', 'case_leader_by', 'case_leader_at', 'return_visit', 'reviews',
]
  .map((column) => `c.${column}`)
  .join(', ');

/** How long a statement waits for another process's write to finish before giving up. */
const BUSY_TIMEOUT_MS = 15_000;

/** Every status but closed: the cases still being worked on. */
const OPEN_STATUSES = STATUSES.filter((s) => s !== 'closed');

/** Cases read per query by the long listings. */
const PAGE = 500;

/**
 * Opens the registry file (made and brought up to date as needed). A file that is no database
 * (overwritten, cut short, a wrong file put in its place) is a problem the office is told of.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions): SqliteStore {
  try {
    return new SqliteStore(file, options);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') fail({ code: 'registry-damaged', file });
    throw e;
  }
}

/** The registry in one SQLite file in WAL mode: the only module that speaks SQL. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(file: string, private readonly options: SqliteStoreOptions) {
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    this.useWriteAheadLog();
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  async close(): Promise<void> {
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
      // A step that rebuilds a table (SQLite cannot loosen a column in place) must leave every reference whole.
      if ((this.db.pragma('foreign_key_check') as unknown[]).length) throw new Error('schema upgrade left broken references');
      this.db.pragma(`user_version = ${MIGRATIONS.length}`);
      if (version > 0 && version < 3) this.backfillHistory();
    });
    // References are checked once at the end, as SQLite's own procedure for rebuilding a table asks (the pragma is ignored inside a transaction).
    this.db.pragma('foreign_keys = OFF');
    try {
      upgrade.immediate();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
  }

  /** Cases registered before histories were kept start theirs with their registration. */
  private backfillHistory(): void {
    const rows = this.db.prepare('SELECT id, channel, received_at, source_name FROM cases WHERE history_count = 0').all() as {
      id: number;
      channel: string;
      received_at: string;
      source_name: string | null;
    }[];
    for (const r of rows) this.appendHistory(r.id, { at: r.received_at, actor: SYSTEM_ACTOR, action: 'registered', detail: registrationText(r.channel, r.source_name) });
  }

  /** The next value of a counter, taken inside the caller's write transaction: a rollback gives it back. */
  private take(name: string, year: number): number {
    const row = this.db
      .prepare('INSERT INTO counters (name, year, next) VALUES (?, ?, 2) ON CONFLICT (name, year) DO UPDATE SET next = next + 1 RETURNING next - 1 AS value')
      .get(name, year) as { value: number };
    return row.value;
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

  private historyOf(caseId: number): ChainedEntry[] {
    return (this.db.prepare('SELECT * FROM history WHERE case_id = ? ORDER BY seq').all(caseId) as HistorySqlRow[]).map(toEntry);
  }

  async history(caseId: number): Promise<ChainedEntry[]> {
    return this.historyOf(caseId);
  }

  async *chains(): AsyncGenerator<CaseChain> {
    for (let after = { year: 0, seq: 0 }; ; ) {
      const cases = this.db
        .prepare('SELECT id, year, seq, number, status, history_head, history_count FROM cases WHERE year > ? OR (year = ? AND seq > ?) ORDER BY year, seq LIMIT ?')
        .all(after.year, after.year, after.seq, PAGE) as {
        id: number;
        year: number;
        seq: number;
        number: string;
        status: CaseStatus;
        history_head: string | null;
        history_count: number;
      }[];
      if (cases.length === 0) return;
      for (const c of cases) yield { number: c.number, status: c.status, entries: this.historyOf(c.id), head: { hash: c.history_head, count: c.history_count } };
      after = cases[cases.length - 1]!;
    }
  }

  async applyStep(caseId: number, from: readonly CaseStatus[], next: { status: CaseStatus; workflow: Workflow }, entry: HistoryEntry, documents: DocumentRecord[]): Promise<StepApplied> {
    return this.applyStepNow(caseId, from, next, entry, documents);
  }

  /** Many steps as one transaction (each as applyStep would take it): for bulk imports such as the benchmarks'. */
  async applyMany(steps: { caseId: number; from: readonly CaseStatus[]; next: { status: CaseStatus; workflow: Workflow }; entry: HistoryEntry }[]): Promise<StepApplied[]> {
    return this.db.transaction(() => steps.map((s) => this.applyStepNow(s.caseId, s.from, s.next, s.entry, []))).immediate();
  }

  private applyStepNow(caseId: number, from: readonly CaseStatus[], next: { status: CaseStatus; workflow: Workflow }, entry: HistoryEntry, documents: DocumentRecord[]): StepApplied {
    const step = this.db.transaction((): StepApplied => {
      const before = this.caseRow(caseId);
      if (!from.includes(before.status)) return { applied: false, current: before };
      const columns = workflowColumns(next.workflow);
      const keys = Object.keys(columns);
      this.db.prepare(`UPDATE cases SET status = ?, ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(next.status, ...Object.values(columns), caseId);
      this.insertDocuments(caseId, documents);
      this.appendHistory(caseId, entry);
      return { applied: true, case: this.caseRow(caseId) };
    });
    return step.immediate();
  }

  async fileReturnedPaper(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): Promise<{ case: Case; filed: boolean }> {
    const file = this.db.transaction(() => {
      const first = documents[0];
      const already = first && this.db.prepare(`SELECT 1 FROM documents WHERE case_id = ? AND role = 'returned' AND sha256 = ?`).get(caseId, first.sha256);
      if (already) return { case: this.caseRow(caseId), filed: false };
      this.insertDocuments(caseId, documents);
      this.appendHistory(caseId, entry);
      return { case: this.caseRow(caseId), filed: true };
    });
    return file.immediate();
  }

  async findReturnedPaper(sha256: string): Promise<{ case: Case; sourceName: string | null } | undefined> {
    const doc = this.db.prepare(`SELECT case_id, source_name FROM documents WHERE role = 'returned' AND sha256 = ? AND source_name IS NOT NULL LIMIT 1`).get(sha256) as
      | { case_id: number; source_name: string | null }
      | undefined;
    return doc ? { case: this.caseRow(doc.case_id), sourceName: doc.source_name } : undefined;
  }

  async caseByNumber(number: string): Promise<Case | undefined> {
    const row = this.db.prepare(`${CASES} WHERE c.number = ?`).get(number);
    return row ? toCase(row) : undefined;
  }

  async supervisedCases(): Promise<Case[]> {
    // Only the few cases under a 督办 awaiting the answer: the dashboard asks on every visit.
    return this.db.prepare(`${CASES} WHERE c.status != 'closed' AND c.supervision IS NOT NULL AND json_extract(c.supervision, '$.answeredAt') IS NULL ORDER BY c.year, c.seq`).all().map(toCase);
  }

  async openCases(): Promise<Case[]> {
    return this.db.prepare(`${CASES} WHERE c.status != 'closed' ORDER BY c.year, c.seq`).all().map(toCase);
  }

  async casesWithout(kind: string, limit: number, afterId: number): Promise<Case[]> {
    return this.db
      .prepare(
        `${CASES} WHERE c.intake_state = 'done' AND c.id > ?
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id AND d.role = 'issued' AND d.kind = ?)
         ORDER BY c.id LIMIT ?`,
      )
      .all(afterId, kind, limit)
      .map(toCase);
  }

  async hasDocument(caseId: number, role: DocumentRole, kind: string): Promise<boolean> {
    return this.hasDocumentNow(caseId, role, kind);
  }

  private hasDocumentNow(caseId: number, role: DocumentRole, kind: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM documents WHERE case_id = ? AND role = ? AND kind = ?').get(caseId, role, kind));
  }

  private insertDocuments(caseId: number, documents: DocumentRecord[]): void {
    const insert = this.db.prepare('INSERT INTO documents (case_id, role, path, sha256, pages, bytes, kind, text, source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const d of documents) insert.run(caseId, d.role, d.path, d.sha256, d.pages, d.bytes, d.kind ?? null, d.text ?? null, d.sourceName ?? null);
  }

  async findByContent(sha256: string): Promise<Case | undefined> {
    const row = this.db
      .prepare(
        `${CASES} WHERE c.source_sha256 = ?
           OR c.id IN (SELECT case_id FROM documents WHERE sha256 = ? AND role IN ('original', 'returned'))
         LIMIT 1`,
      )
      .get(sha256, sha256);
    return row ? toCase(row) : undefined;
  }

  /**
   * Numbers and records a petition in one transaction. BEGIN IMMEDIATE takes the write lock first
   * and the number comes from the year's counter row, so two processes can never draw the same
   * number, and a kill before COMMIT leaves no trace: numbers never skip. Repeat petitions are
   * linked in the same transaction.
   */
  async register(petition: NewPetition, folderFor: (year: number, number: string) => string): Promise<Registered> {
    return this.registerNow(petition, folderFor);
  }

  private registerNow(petition: NewPetition, folderFor: (year: number, number: string) => string): Registered {
    const register = this.db.transaction((): Registered => {
      if (petition.source) {
        const already = this.db.prepare(`${CASES} WHERE c.source_sha256 = ?`).get(petition.source.sha256);
        if (already) return { created: false, existing: toCase(already) };
      }
      const seq = this.take('case', petition.year);
      const number = formatCaseNumber(this.options.format, { short: this.options.short, year: petition.year, seq });
      const folder = folderFor(petition.year, number);
      const { fields, sources } = petition.extraction;
      const repeatOf = this.findRepeat(petition);
      const info = this.db
        .prepare(
          `INSERT INTO cases (year, seq, number, status, channel, received_at, source_name, source_sha256,
             folder, staging_dir, intake_state, ocr_text, ocr_confidence, ocr_engine, flags,
             petitioner_name, phone, id_number, address, letter_date, signatories, summary, category, handling_type,
             field_sources, urgent_words, repeat_of, from_office, from_number, judgements)
           VALUES (?, ?, ?, 'registered', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          petition.year, seq, number, petition.channel, petition.receivedAt.toISOString(),
          petition.source?.name ?? null, petition.source?.sha256 ?? null, folder, petition.source?.stagingDir ?? null,
          petition.source ? 'committed' : 'done', petition.text, meanConfidence(petition.pages), petition.ocrEngine,
          JSON.stringify(orderFlags([...petition.flags, ...(repeatOf ? (['repeat'] as const) : [])])),
          fields.name, fields.phone, fields.idNumber, fields.address, fields.letterDate, fields.signatories, fields.summary,
          fields.category, fields.handlingType, JSON.stringify(sources), JSON.stringify(petition.extraction.urgentWords),
          repeatOf, petition.transfer?.office ?? null, petition.transfer?.number ?? null, JSON.stringify(petition.extraction.judged ?? {}),
        );
      // A category or handling type the clerk gave is an example the classifiers learn from.
      if (sources.category === 'clerk' || sources.handlingType === 'clerk') this.take('examples', 0);
      const caseId = Number(info.lastInsertRowid);
      if (petition.receivedBy) this.db.prepare('UPDATE cases SET received_by_leader = ? WHERE id = ?').run(petition.receivedBy, caseId);
      const insertPage = this.db.prepare(
        'INSERT INTO pages (case_id, page_no, text, confidence, low_confidence, rotation, skew, lines, frame_width, frame_height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      petition.pages.forEach((p, i) =>
        insertPage.run(caseId, i + 1, p.text, p.confidence, p.lowConfidence ? 1 : 0, p.rotation, p.skew, JSON.stringify(p.lines), p.frame?.width ?? null, p.frame?.height ?? null),
      );
      const insertDoc = this.db.prepare('INSERT INTO documents (case_id, role, path, sha256, pages, bytes) VALUES (?, ?, ?, ?, ?, ?)');
      for (const d of petition.documents) insertDoc.run(caseId, d.role, `${folder}/${d.fileName}`, d.sha256, d.pages, d.bytes);
      this.appendHistory(caseId, {
        at: petition.receivedAt.toISOString(),
        actor: petition.registeredBy ?? SYSTEM_ACTOR,
        action: 'registered',
        detail: registrationText(petition.channel, petition.source?.name ?? null, petition.pages.length) + (petition.receivedBy ? `，接访领导 ${petition.receivedBy}` : ''),
      });
      this.index(caseId);
      return { created: true, case: this.caseRow(caseId) };
    });
    return register.immediate();
  }

  /** Registers many petitions as one transaction (each a savepoint): for bulk imports such as the benchmarks'. */
  async registerMany(petitions: NewPetition[], folderFor: (year: number, number: string) => string): Promise<Registered[]> {
    return this.db.transaction(() => petitions.map((p) => this.registerNow(p, folderFor))).immediate();
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
    const since = new Date(petition.receivedAt.getTime() - (this.options.repeatWithinDays ?? 730) * 86_400_000).toISOString();
    const candidates = this.db
      .prepare('SELECT id, COALESCE(corrected_text, ocr_text) AS text FROM cases WHERE category IS ? AND received_at >= ? ORDER BY received_at DESC LIMIT 500')
      .all(fields.category, since) as { id: number; text: string }[];
    return pickRepeat([], petition.text, candidates, this.options.repeatSimilarity ?? 0.5);
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

  async addDocuments(caseId: number, documents: DocumentRecord[]): Promise<void> {
    this.db.transaction(() => this.insertDocuments(caseId, documents)).immediate();
  }

  async assignReference(caseId: number, retention: string, at: Date, format: (item: number) => string): Promise<Case> {
    return this.db
      .transaction(() => {
        const c = this.caseRow(caseId);
        if (c.binding) return c;
        const item = this.take(`binding:${retention}`, c.year);
        this.db
          .prepare('UPDATE cases SET archive_ref = ?, archive_item = ?, archive_retention = ?, bound_at = ? WHERE id = ?')
          .run(format(item), item, retention, at.toISOString(), caseId);
        return this.caseRow(caseId);
      })
      .immediate();
  }

  async recordBinding(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): Promise<Case> {
    return this.db
      .transaction(() => {
        this.db.prepare(`DELETE FROM documents WHERE case_id = ? AND role IN ('volume', 'manifest')`).run(caseId);
        this.insertDocuments(caseId, documents);
        this.appendHistory(caseId, entry);
        return this.caseRow(caseId);
      })
      .immediate();
  }

  async detail(id: number): Promise<CaseDetail> {
    return this.detailOf(this.caseRow(id));
  }

  async caseById(id: number): Promise<Case> {
    return this.caseRow(id);
  }

  async allDocuments(): Promise<KnownDocument[]> {
    return (
      this.db.prepare('SELECT d.*, c.number AS case_number, c.folder FROM documents d JOIN cases c ON c.id = d.case_id ORDER BY d.id').all() as (DocumentRecord & {
        case_number: string;
        folder: string;
      })[]
    ).map((d) => ({ role: d.role, kind: d.kind ?? null, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes, caseNumber: d.case_number, folder: d.folder }));
  }

  async caseFolders(): Promise<string[]> {
    return (this.db.prepare('SELECT folder FROM cases').all() as { folder: string }[]).map((r) => r.folder);
  }

  async recordedSha(path: string): Promise<string | null> {
    const row = (this.db.prepare('SELECT sha256 FROM documents WHERE path = ?').get(path) ?? this.db.prepare('SELECT sha256 FROM volumes WHERE path = ?').get(path)) as
      | { sha256: string }
      | undefined;
    return row?.sha256 ?? null;
  }

  async addYearVolumes(year: number, volumes: VolumeRecord[], options: { supersede: boolean; entry: (v: VolumeRecord) => HistoryEntry }): Promise<void> {
    this.db
      .transaction(() => {
        if (options.supersede) this.db.prepare('UPDATE volumes SET superseded_at = ? WHERE year = ? AND superseded_at IS NULL').run(volumes[0]?.madeAt ?? new Date().toISOString(), year);
        const insert = this.db.prepare('INSERT INTO volumes (year, volume, edition, path, sha256, bytes, pages, cases, made_at, superseded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)');
        const caseId = this.db.prepare('SELECT id FROM cases WHERE number = ?').pluck();
        for (const v of volumes) {
          insert.run(v.year, v.volume, v.edition, v.path, v.sha256, v.bytes, v.pages, JSON.stringify(v.cases), v.madeAt);
          const entry = options.entry(v);
          for (const number of v.cases) {
            const id = caseId.get(number) as number | undefined;
            if (id !== undefined) this.appendHistory(id, entry);
          }
        }
      })
      .immediate();
  }

  async volumes(year?: number): Promise<VolumeRecord[]> {
    const order = 'ORDER BY year, volume, edition';
    const rows = (year === undefined ? this.db.prepare(`SELECT * FROM volumes ${order}`).all() : this.db.prepare(`SELECT * FROM volumes WHERE year = ? ${order}`).all(year)) as {
      year: number;
      volume: number;
      edition: number;
      path: string;
      sha256: string;
      bytes: number;
      pages: number;
      cases: string;
      made_at: string;
      superseded_at: string | null;
    }[];
    return rows.map((r) => ({ year: r.year, volume: r.volume, edition: r.edition, path: r.path, sha256: r.sha256, bytes: r.bytes, pages: r.pages, cases: JSON.parse(r.cases) as string[], madeAt: r.made_at, supersededAt: r.superseded_at }));
  }

  async addDocumentsUnlessKind(caseId: number, kind: string, documents: DocumentRecord[]): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (this.hasDocumentNow(caseId, 'issued', kind)) return false;
        this.insertDocuments(caseId, documents);
        return true;
      })
      .immediate();
  }

  async unfinishedIntakes(): Promise<Case[]> {
    return this.db.prepare(`${CASES} WHERE c.intake_state = 'committed' ORDER BY c.id`).all().map(toCase);
  }

  async markIntakeDone(caseId: number): Promise<void> {
    this.db.prepare(`UPDATE cases SET intake_state = 'done', staging_dir = NULL WHERE id = ?`).run(caseId);
  }

  async noteUploads(uploads: { sha256: string; name: string; by: string; at: Date }[]): Promise<void> {
    const insert = this.db.prepare('INSERT INTO uploads (sha256, name, uploaded_by, at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const u of uploads) insert.run(u.sha256, u.name, u.by, u.at.toISOString());
    })();
  }

  async uploaderOf(sha256s: string[]): Promise<string | undefined> {
    if (sha256s.length === 0) return undefined;
    const row = this.db
      .prepare(`SELECT uploaded_by FROM uploads WHERE sha256 IN (${sha256s.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`)
      .get(...sha256s) as { uploaded_by: string } | undefined;
    return row?.uploaded_by;
  }

  async *casesOfYear(year: number): AsyncGenerator<Case> {
    for (let after = 0; ; ) {
      const page = this.db.prepare(`${CASES} WHERE c.year = ? AND c.seq > ? ORDER BY c.seq LIMIT ?`).all(year, after, PAGE).map(toCase);
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1]!.seq;
    }
  }

  async changeMark(): Promise<string> {
    // Moved by triggers on every write to cases, from any connection; the sessions' writes leave it be.
    return String((this.db.prepare('SELECT n FROM cases_version WHERE id = 1').get() as { n: number }).n);
  }

  async listStatsCases(): Promise<StatsCase[]> {
    return this.statsCases('1 = 1', []);
  }

  async statsRead(q: StatsQuery): Promise<StatsRead> {
    // Plain counts are added up in SQL; only cases needing a rule per case (deadlines, people) are read out.
    return this.db.transaction(() => {
      const period = [storedInstant(q.period.from), storedInstant(q.period.to)];
      const inPeriod = 'c.received_at >= ? AND c.received_at < ?';
      const counted = (column: string, where: string, args: unknown[]) =>
        (this.db.prepare(`SELECT ${column}, COUNT(*) FROM cases c WHERE ${where} GROUP BY ${column} ORDER BY MIN(c.year * 100000000 + c.seq)`).raw().all(...args) as [string | null, number][]).map(([key, count]) => ({ key, count }));
      // The period's cases are scanned once, grouped by every field at the same time; each field's counts are summed from those groups.
      const groups = this.db
        .prepare(`SELECT c.category, c.channel, c.handling_type, c.status, c.case_leader, c.repeat_of IS NULL, COUNT(*), MIN(c.year * 100000000 + c.seq) FROM cases c WHERE ${inPeriod} GROUP BY 1, 2, 3, 4, 5, 6`)
        .raw()
        .all(...period) as [string | null, string, string | null, string, string | null, number, number, number][];
      const summed = (field: 0 | 1 | 2 | 3 | 4) => {
        const sums = new Map<string | null, { count: number; first: number }>();
        for (const g of groups) {
          const known = sums.get(g[field]);
          if (known) {
            known.count += g[6];
            known.first = Math.min(known.first, g[7]);
          } else sums.set(g[field], { count: g[6], first: g[7] });
        }
        return [...sums].sort((a, b) => a[1].first - b[1].first).map(([key, { count }]) => ({ key, count }));
      };
      const firstGroups = groups.filter((g) => g[5] === 1);
      const firstTotal = firstGroups.reduce((n, g) => n + g[6], 0);
      const firstClosed = firstGroups.filter((g) => g[3] === 'closed').reduce((n, g) => n + g[6], 0);
      const monthCount = this.db.prepare('SELECT COUNT(*) FROM cases c WHERE c.received_at >= ? AND c.received_at < ?').pluck();
      const numbers = (where: string, args: unknown[]) => this.db.prepare(`SELECT c.number FROM cases c WHERE ${inPeriod} AND ${where} ORDER BY c.year, c.seq`).pluck().all(...period, ...args) as string[];
      const flagged = (flag: Flag) => numbers('EXISTS (SELECT 1 FROM json_each(c.flags) WHERE value = ?)', [flag]);
      const window = [storedInstant(q.window.from), storedInstant(q.window.to)];
      // A person of two petitions or more shares a key with another petition of the window; the others are read no further.
      const people = `c.id IN (
        WITH w AS (SELECT id, id_number, petitioner_name, phone FROM cases WHERE received_at >= ? AND received_at < ?)
        SELECT id FROM w WHERE (id_number <> '' AND id_number IN (SELECT id_number FROM w WHERE id_number <> '' GROUP BY id_number HAVING COUNT(*) > 1))
          OR (petitioner_name <> '' AND phone <> '' AND (petitioner_name, phone) IN (SELECT petitioner_name, phone FROM w WHERE petitioner_name <> '' AND phone <> '' GROUP BY petitioner_name, phone HAVING COUNT(*) > 1)))`;
      return {
        byCategory: summed(0),
        byChannel: summed(1),
        byHandlingType: summed(2),
        byStatus: summed(3),
        first: { total: firstTotal, closed: firstClosed },
        beforeByCategory: counted('c.category', inPeriod, [storedInstant(q.before.from), storedInstant(q.before.to)]),
        byMonth: q.months.map((m) => monthCount.get(storedInstant(m.from), storedInstant(m.to)) as number),
        group: flagged('group'),
        urgent: flagged('urgent'),
        byCaseLeader: summed(4).filter((x) => x.key !== null),
        returned: numbers('c.returned_at IS NOT NULL', []),
        answered: this.statsCases(`${inPeriod} AND (c.replied_at IS NOT NULL OR c.declined_at IS NOT NULL)`, period),
        open: this.statsCases(`c.received_at < ? AND c.status <> 'closed'`, [period[1]]),
        people: this.statsCases(people, window),
        visited: this.statsCases(`${inPeriod} AND c.return_visit IS NOT NULL`, period),
      };
    })();
  }

  /** The cases matching `where`, only what the statistics read of them, in number order. */
  private statsCases(where: string, args: unknown[]): StatsCase[] {
    // Rows as arrays read by place, not objects: building a keyed object per row costs more than the query at 100,000 cases.
    const rows = this.db.prepare(`SELECT ${STATS_COLUMNS}, r.number FROM cases c LEFT JOIN cases r ON r.id = c.repeat_of WHERE ${where} ORDER BY c.year, c.seq`).raw().all(...args) as (string | number | null)[][];
    return rows.map(toStatsCase);
  }

  async listCases(): Promise<Case[]> {
    return this.db.prepare(`${CASES} ORDER BY c.year, c.seq`).all().map(toCase);
  }

  async findCase(reference: string): Promise<CaseDetail | undefined> {
    const ref = reference.trim();
    let row = this.db.prepare(`${CASES} WHERE c.number = ?`).get(ref);
    const yearSeq = ref.match(/^(\d{4})\D+(\d+)$/);
    if (!row && yearSeq) row = this.db.prepare(`${CASES} WHERE c.year = ? AND c.seq = ?`).get(Number(yearSeq[1]), Number(yearSeq[2]));
    if (!row && /^\d+$/.test(ref)) {
      row = this.db.prepare(`${CASES} WHERE c.seq = ? ORDER BY c.year DESC LIMIT 1`).get(Number(ref));
    }
    return row ? this.detailOf(toCase(row)) : undefined;
  }

  async editFields(caseId: number, changes: Partial<LetterFields>, by: string, at: Date, flagsFor: FlagsFor, entry?: HistoryEntry, options: { reviewed?: boolean } = {}): Promise<Case> {
    const edit = this.db.transaction(() => {
      let changed = false;
      const before = this.caseRow(caseId);
      const fields = { ...before.fields };
      const sources = { ...before.sources };
      const record = this.db.prepare('INSERT INTO field_edits (case_id, field, old_value, new_value, by, at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const field of FIELD_NAMES) {
        if (!(field in changes)) continue;
        const next = changes[field] ?? null;
        const old = fields[field];
        const firstConfirmation = before.sources[field] !== 'clerk';
        sources[field] = 'clerk';
        if (field === 'category' || field === 'handlingType') {
          this.take('examples', 0);
          // A judgement the clerk confirms unchanged is on record too: it is what the classifiers learn from.
          if (old === next && firstConfirmation && next !== null) record.run(caseId, field, String(old), String(next), by, at.toISOString());
        }
        if (old === next) continue;
        record.run(caseId, field, old === null ? null : String(old), next === null ? null : String(next), by, at.toISOString());
        (fields as Record<FieldName, unknown>)[field] = next;
        changed = true;
      }
      const flags = flagsFor(fields, before.flags);
      // Who the petitioner is may only now be known: an earlier case of the same person makes this a repeat.
      const personChanged = changed && (['name', 'phone', 'idNumber'] as const).some((f) => f in changes);
      if (personChanged && before.repeatOf === null) {
        const earlier = this.samePersonCases(fields, 1_000, caseId).find((id) => this.db.prepare('SELECT received_at < ? AS earlier FROM cases WHERE id = ?').pluck().get(before.receivedAt, id) === 1);
        if (earlier !== undefined) {
          this.db.prepare('UPDATE cases SET repeat_of = ? WHERE id = ?').run(earlier, caseId);
          flags.push('repeat');
        }
      }
      this.writeFields(caseId, fields, sources, flags);
      if (options.reviewed) this.db.prepare('UPDATE cases SET reviewed_at = ?, reviewed_by = ? WHERE id = ?').run(at.toISOString(), by, caseId);
      if ((changed || options.reviewed) && entry) this.appendHistory(caseId, entry);
      return this.caseRow(caseId);
    });
    return edit.immediate();
  }

  async applyExtraction(caseId: number, extraction: Extraction, flagsFor: FlagsFor): Promise<Case> {
    return this.db.transaction(() => this.applyExtractionNow(caseId, extraction, flagsFor)).immediate();
  }

  async correctLines(caseId: number, pageNo: number, lines: { line: number; text: string }[], by: string, at: Date, entry: HistoryEntry, reread: Reread): Promise<Case> {
    const correct = this.db.transaction(() => {
      const page = this.db.prepare('SELECT lines FROM pages WHERE case_id = ? AND page_no = ?').get(caseId, pageNo) as { lines: string } | undefined;
      if (!page) throw new RangeError(`case ${caseId} has no page ${pageNo}`);
      const read = JSON.parse(page.lines) as PageRecord['lines'];
      const insert = this.db.prepare('INSERT INTO line_corrections (case_id, page_no, line_no, ocr_text, text, by, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const l of lines) {
        const ocr = read[l.line - 1];
        if (!ocr) throw new RangeError(`page ${pageNo} of case ${caseId} has no line ${l.line}`);
        insert.run(caseId, pageNo, l.line, ocr.text, cleanLineText(l.text), by, at.toISOString());
      }
      const text = correctedLetterText(this.pagesOf(caseId), this.correctionsOf(caseId));
      this.db.prepare('UPDATE cases SET corrected_text = ? WHERE id = ?').run(text, caseId);
      const { extraction, flagsFor } = reread(text);
      this.applyExtractionNow(caseId, extraction, flagsFor);
      this.appendHistory(caseId, entry);
      return this.caseRow(caseId);
    });
    return correct.immediate();
  }

  private correctionsOf(caseId: number): LineCorrection[] {
    const rows = this.db.prepare('SELECT page_no, line_no, ocr_text, text, by, at FROM line_corrections WHERE case_id = ? ORDER BY id').all(caseId) as {
      page_no: number;
      line_no: number;
      ocr_text: string;
      text: string;
      by: string;
      at: string;
    }[];
    return rows.map((r) => ({ page: r.page_no, line: r.line_no, ocrText: r.ocr_text, text: r.text, by: r.by, at: r.at }));
  }

  private pagesOf(caseId: number): PageRecord[] {
    const pages = this.db.prepare('SELECT * FROM pages WHERE case_id = ? ORDER BY page_no').all(caseId) as PageSqlRow[];
    return pages.map((p) => ({
      text: p.text,
      confidence: p.confidence,
      lowConfidence: p.low_confidence === 1,
      rotation: p.rotation,
      skew: p.skew,
      lines: JSON.parse(p.lines) as PageRecord['lines'],
      ...(p.frame_width && p.frame_height ? { frame: { width: p.frame_width, height: p.frame_height } } : {}),
    }));
  }

  /** An automatic pass over a case's fields, inside the caller's transaction. */
  private applyExtractionNow(caseId: number, extraction: Extraction, flagsFor: FlagsFor): Case {
    const before = this.caseRow(caseId);
    const fields = { ...before.fields };
    const sources: Provenance = { ...before.sources };
    for (const field of FIELD_NAMES) {
      if (before.sources[field] === 'clerk') continue;
      (fields as Record<FieldName, unknown>)[field] = extraction.fields[field];
      if (extraction.sources[field]) sources[field] = extraction.sources[field];
      else delete sources[field];
    }
    this.db.prepare('UPDATE cases SET urgent_words = ?, judgements = ? WHERE id = ?').run(JSON.stringify(extraction.urgentWords), JSON.stringify(extraction.judged ?? {}), caseId);
    this.writeFields(caseId, fields, sources, flagsFor(fields, before.flags));
    return this.caseRow(caseId);
  }

  private writeFields(caseId: number, fields: LetterFields, sources: Provenance, flags: Flag[]): void {
    const sets = FIELD_NAMES.map((f) => `${COLUMN[f]} = ?`).join(', ');
    this.db
      .prepare(`UPDATE cases SET ${sets}, field_sources = ?, flags = ? WHERE id = ?`)
      .run(...FIELD_NAMES.map((f) => fields[f]), JSON.stringify(sources), JSON.stringify(orderFlags(flags)), caseId);
    this.index(caseId);
  }

  async classifierExamples(limit: number, knownVersion?: number): Promise<ClassifierExamples> {
    const version = (this.db.prepare("SELECT next FROM counters WHERE name = 'examples' AND year = 0").pluck().get() as number | undefined) ?? 0;
    if (version === knownVersion) return { version, examples: null };
    const rows = this.db
      .prepare(
        `SELECT COALESCE(corrected_text, ocr_text) AS text, category, handling_type AS handlingType,
                json_extract(field_sources, '$.category') = 'clerk' AS categoryConfirmed,
                json_extract(field_sources, '$.handlingType') = 'clerk' AS handlingConfirmed
           FROM cases WHERE json_extract(field_sources, '$.category') = 'clerk' OR json_extract(field_sources, '$.handlingType') = 'clerk'
          ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as { text: string; category: string | null; handlingType: string | null; categoryConfirmed: number; handlingConfirmed: number }[];
    return {
      version,
      examples: rows.map((r) => ({ text: r.text, category: r.categoryConfirmed ? r.category : null, handlingType: r.handlingConfirmed ? r.handlingType : null })),
    };
  }

  async reviewQueue(lowConfidence: number, keyFields: readonly FieldName[], options: { openOnly?: boolean; judgedBelow?: number } = {}): Promise<ReviewItem[]> {
    // Open cases are read through the status index: the dashboard asks for these on every visit.
    const open = options.openOnly ? `c.status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) AND ` : '';
    // A case a clerk has marked as looked at stays out for what was unsure or missing then; a flag
    // set since (an ID number that does not check) brings it back.
    const judgedBelow = options.judgedBelow ?? 0;
    const unsureCategory = `(json_extract(c.field_sources, '$.category') IS NOT 'clerk' AND json_extract(c.judgements, '$.category') < ?)`;
    const unsure = `c.reviewed_at IS NULL AND (c.ocr_confidence < ? OR c.flags LIKE '%low-confidence%' OR c.flags LIKE '%text-unread%' OR ${unsureCategory} OR ${keyFields.map((f) => `c.${COLUMN[f]} IS NULL`).join(' OR ')})`;
    const rows = this.db
      .prepare(`${CASES} WHERE ${open}(c.flags LIKE '%id-checksum%' OR (${unsure}))`)
      .all(...(options.openOnly ? OPEN_STATUSES : []), lowConfidence, judgedBelow) as Record<string, unknown>[];
    return rows
      .map((r) => {
        const c = toCase(r);
        const reviewed = r.reviewed_at !== null;
        const missing = reviewed ? [] : keyFields.filter((f) => c.fields[f] === null);
        const reasons: ReviewReason[] = [
          ...(!reviewed && ((c.ocrConfidence !== null && c.ocrConfidence < lowConfidence) || c.flags.includes('low-confidence')) ? (['low-confidence'] as const) : []),
          ...(!reviewed && c.flags.includes('text-unread') ? (['text-unread'] as const) : []),
          ...(c.flags.includes('id-checksum') ? (['id-checksum'] as const) : []),
          ...(!reviewed && c.sources.category !== 'clerk' && c.judged.category !== undefined && c.judged.category < judgedBelow ? (['category-unsure'] as const) : []),
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
  async search(query: string, limit: number): Promise<SearchHit[]> {
    const grams = bigrams(query);
    if (grams.length === 0 || !isSearchable(query)) return [];
    const rows = this.db
      .prepare(
        `SELECT c.*, r.number AS repeat_number FROM case_search s JOIN cases c ON c.id = s.rowid
           LEFT JOIN cases r ON r.id = c.repeat_of
         WHERE case_search MATCH ? ORDER BY bm25(case_search) LIMIT ?`,
      )
      .all(`"${grams.join(' ')}"`, limit)
      .map(toCase);
    return rows.map((c) => ({ case: c, snippet: hitSnippet(c, query) }));
  }

  /**
   * The web case list. The count and the page's ids are read from a list index alone (INDEXED BY):
   * without statistics SQLite would take an equality index such as the category's for a few rows,
   * then read the whole row, letter and all, of each of thousands of matches to check the other
   * filters (0.05–0.3 s a page at 100,000 cases, against 2–20 ms). Only the page's own rows are read
   * whole, so a deep page skips index entries, not letters. Count and page are one snapshot.
   */
  async queryCases(query: CaseQuery): Promise<{ cases: Case[]; total: number }> {
    const order = LIST_ORDER[query.sort ?? 'received-desc'];
    if (!order) throw new RangeError(`unknown case order: ${String(query.sort)}`);
    // SQLite reads a negative LIMIT as no limit at all: a bad page size must not list the whole registry.
    for (const [name, n] of [['limit', query.limit], ['offset', query.offset]] as const) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number, 0 or more: ${n}`);
    }
    const filter = caseFilter(query);
    if (!filter) return { cases: [], total: 0 };
    const { where, params } = filter;
    const read = this.db.transaction(() => {
      const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM cases c INDEXED BY ${order.index} WHERE ${where}`).get(...params) as { n: number }).n;
      const cases = this.db
        .prepare(`${CASES} WHERE c.id IN (SELECT c.id FROM cases c INDEXED BY ${order.index} WHERE ${where} ORDER BY ${order.by} LIMIT ? OFFSET ?) ORDER BY ${order.by}`)
        .all(...params, query.limit, query.offset)
        .map(toCase);
      return { cases, total };
    });
    return read();
  }

  private index(caseId: number): void {
    const row = this.caseRow(caseId);
    this.db.prepare('DELETE FROM case_search WHERE rowid = ?').run(caseId);
    this.db.prepare('INSERT INTO case_search (rowid, grams) VALUES (?, ?)').run(caseId, bigrams(searchableText(row)).join(' '));
  }

  async noteFiles(owner: string, files: { temp: string; final: string; sha256: string }[]): Promise<number[]> {
    const insert = this.db.prepare(`INSERT INTO file_journal (owner, kind, temp, final, sha256) VALUES (?, 'write', ?, ?, ?)`);
    return this.db.transaction(() => files.map((f) => Number(insert.run(owner, f.temp, f.final, f.sha256).lastInsertRowid))).immediate();
  }

  async noteRemovals(owner: string, paths: string[]): Promise<number[]> {
    const insert = this.db.prepare(`INSERT INTO file_journal (owner, kind, final) VALUES (?, 'remove', ?)`);
    return this.db.transaction(() => paths.map((p) => Number(insert.run(owner, p).lastInsertRowid))).immediate();
  }

  async forget(ids: number[]): Promise<void> {
    const remove = this.db.prepare('DELETE FROM file_journal WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => remove.run(id))).immediate();
  }

  async notes(): Promise<FileNote[]> {
    const rows = this.db.prepare('SELECT * FROM file_journal ORDER BY id').all() as { id: number; owner: string; kind: string; temp: string | null; final: string; sha256: string | null }[];
    return rows.map((r) => (r.kind === 'write' ? { id: r.id, owner: r.owner, kind: 'write', temp: r.temp ?? '', final: r.final, sha256: r.sha256 ?? '' } : { id: r.id, owner: r.owner, kind: 'remove', final: r.final }));
  }

  async addUser(user: Omit<UserRecord, 'id' | 'disabled'>): Promise<UserRecord | null> {
    const info = this.db.prepare('INSERT OR IGNORE INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(user.name, user.role, user.passwordHash, user.createdAt);
    return info.changes ? this.userRow(this.db.prepare('SELECT * FROM users WHERE id = ?').get(Number(info.lastInsertRowid))) : null;
  }

  async userByName(name: string): Promise<UserRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name);
    return row ? this.userRow(row) : undefined;
  }

  async userById(id: number): Promise<UserRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id);
    return row ? this.userRow(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.db.prepare('SELECT * FROM users ORDER BY id').all().map((r) => this.userRow(r));
  }

  async updateUser(id: number, changes: Partial<Pick<UserRecord, 'role' | 'disabled' | 'passwordHash'>>): Promise<UserRecord> {
    const columns: [string, unknown][] = [];
    if (changes.role !== undefined) columns.push(['role', changes.role]);
    if (changes.disabled !== undefined) columns.push(['disabled', changes.disabled ? 1 : 0]);
    if (changes.passwordHash !== undefined) columns.push(['password_hash', changes.passwordHash]);
    if (columns.length) this.db.prepare(`UPDATE users SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...columns.map(([, v]) => v), id);
    return this.userRow(this.db.prepare('SELECT * FROM users WHERE id = ?').get(id));
  }

  async signInFailures(key: string): Promise<{ count: number; last: string } | undefined> {
    const row = this.db.prepare('SELECT count, last_at FROM sign_in_failures WHERE key = ?').get(key) as { count: number; last_at: string } | undefined;
    return row ? { count: row.count, last: row.last_at } : undefined;
  }

  async recordSignInFailure(key: string, at: Date): Promise<number> {
    const row = this.db
      .prepare('INSERT INTO sign_in_failures (key, count, last_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET count = count + 1, last_at = excluded.last_at RETURNING count')
      .get(key, at.toISOString()) as { count: number };
    return row.count;
  }

  async clearSignInFailures(key: string): Promise<void> {
    this.db.prepare('DELETE FROM sign_in_failures WHERE key = ?').run(key);
  }

  async saveSession(id: string, data: string, expiresAt: Date): Promise<void> {
    this.db.prepare('INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at').run(id, data, expiresAt.toISOString());
  }

  async session(id: string): Promise<{ data: string; expiresAt: string } | undefined> {
    const row = this.db.prepare('SELECT data, expires_at FROM sessions WHERE id = ?').get(id) as { data: string; expires_at: string } | undefined;
    return row ? { data: row.data, expiresAt: row.expires_at } : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString()).changes;
  }

  async addAlerts(alerts: NewAlert[]): Promise<Alert[]> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO alerts (key, kind, case_id, sign_id, on_duty, deadline, due_date, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const recipient = this.db.prepare('INSERT INTO alert_recipients (alert_id, role, user_name) VALUES (?, ?, ?)');
    const ids = this.db
      .transaction(() =>
        alerts.flatMap((a) => {
          const info = insert.run(a.key, a.kind, a.caseId, a.signId ?? null, a.onDuty?.length ? JSON.stringify(a.onDuty) : null, a.deadline, a.dueDate, JSON.stringify(a.recipients), a.createdAt);
          if (!info.changes) return [];
          const id = Number(info.lastInsertRowid);
          for (const r of a.recipients) recipient.run(id, 'role' in r ? r.role : null, 'user' in r ? r.user : null);
          return [id];
        }),
      )
      .immediate();
    return this.alertRows(`a.id IN (${ids.map(() => '?').join(', ') || 'NULL'})`, ids, ids.length);
  }

  async alertsFor(reader: AlertReader, options: { unreadOnly?: boolean; awaitingCharge?: boolean; limit: number }): Promise<{ alerts: Alert[]; total: number }> {
    const terms: string[] = [];
    const params: unknown[] = [];
    if (reader.role !== undefined) {
      terms.push('a.id IN (SELECT alert_id FROM alert_recipients WHERE role = ? UNION ALL SELECT alert_id FROM alert_recipients WHERE user_name = ?)');
      params.push(reader.role, reader.name);
    }
    if (options.unreadOnly) {
      terms.push('NOT EXISTS (SELECT 1 FROM alert_reads r WHERE r.alert_id = a.id AND r.user_name = ?)');
      params.push(reader.name);
    }
    if (options.awaitingCharge) terms.push(`a.charge_at IS NULL AND a.kind IN ('urgent', 'group')`);
    const where = terms.join(' AND ') || '1';
    return this.db.transaction(() => {
      const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM alerts a WHERE ${where}`).get(...params) as { n: number }).n;
      return { alerts: this.alertRows(where, params, options.limit), total };
    })();
  }

  async alertById(id: number): Promise<Alert | undefined> {
    return this.alertRows('a.id = ?', [id], 1)[0];
  }

  async alertMark(readerName: string): Promise<string> {
    const row = this.db
      .prepare('SELECT (SELECT COALESCE(MAX(id), 0) FROM alerts) AS alerts, (SELECT COALESCE(MAX(id), 0) FROM alert_reads WHERE user_name = ?) AS reads')
      .get(readerName) as { alerts: number; reads: number };
    return `${row.alerts}.${row.reads}`;
  }

  async markAlertRead(id: number, readerName: string, at: Date): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO alert_reads (alert_id, user_name, at) VALUES (?, ?, ?)').run(id, readerName, at.toISOString()).changes > 0;
  }

  async takeCharge(id: number, charge: Charge, entry: HistoryEntry): Promise<{ taken: boolean; alert: Alert }> {
    return this.db
      .transaction(() => {
        const info = this.db
          .prepare('UPDATE alerts SET charge_person = ?, charge_note = ?, charge_by = ?, charge_at = ? WHERE id = ? AND charge_at IS NULL')
          .run(charge.person, charge.note, charge.by, charge.at, id);
        const alert = this.alertRows('a.id = ?', [id], 1)[0]!;
        if (info.changes && alert.caseId !== null) this.appendHistory(alert.caseId, entry);
        return { taken: info.changes > 0, alert };
      })
      .immediate();
  }

  /** Alerts with their case's number and matter and who read them, latest first. */
  private alertRows(where: string, params: unknown[], limit: number): Alert[] {
    const rows = this.db
      .prepare(
        `SELECT a.*, COALESCE(c.number, s.number) AS number, COALESCE(c.year, s.year) AS year, COALESCE(c.seq, s.seq) AS seq,
                c.petitioner_name, COALESCE(c.summary, s.matter) AS summary, COALESCE(c.urgent_words, '[]') AS urgent_words, c.signatories,
                s.place AS sign_place, s.people AS sign_people, s.risk AS sign_risk, s.reporter AS sign_reporter
           FROM alerts a LEFT JOIN cases c ON c.id = a.case_id LEFT JOIN sign_reports s ON s.id = a.sign_id WHERE ${where} ORDER BY a.id DESC LIMIT ?`,
      )
      .all(...params, limit) as AlertSqlRow[];
    if (rows.length === 0) return [];
    const reads = this.db
      .prepare(`SELECT alert_id, user_name, at FROM alert_reads WHERE alert_id IN (${rows.map(() => '?').join(', ')}) ORDER BY id`)
      .all(...rows.map((r) => r.id)) as { alert_id: number; user_name: string; at: string }[];
    return rows.map((r) => toAlert(r, reads));
  }

  async addAudit(record: AuditRecord): Promise<void> {
    this.db.prepare('INSERT INTO audit (at, actor, kind, case_id, detail) VALUES (?, ?, ?, ?, ?)').run(record.at, record.actor, record.kind, record.caseId, record.detail);
  }

  /**
   * The log's own entries, the field edits and every case's history, as one list, newest first.
   * Each of the three is read newest first through its index on the time and cut to the page's
   * end before they are merged, so a first page does not sort years of history.
   */
  async auditLog(query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
    const arms = [
      { table: 'audit', actor: 'actor', kind: null, columns: 'at, actor, kind, case_id, NULL AS field, NULL AS old_value, NULL AS new_value, NULL AS action, detail' },
      { table: 'field_edits', actor: 'by', kind: 'edit', columns: "at, by AS actor, 'edit' AS kind, case_id, field, old_value, new_value, NULL AS action, '' AS detail" },
      { table: 'history', actor: 'actor', kind: 'history', columns: "at, actor, 'history' AS kind, case_id, NULL AS field, NULL AS old_value, NULL AS new_value, action, detail" },
    ].filter((arm) => !query.kind || arm.kind === null || arm.kind === query.kind);
    const parts = arms.map((arm) => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (arm.kind === null && query.kind) (where.push('kind = ?'), args.push(query.kind));
      if (query.actor) (where.push(`${arm.actor} = ?`), args.push(query.actor));
      if (query.caseId !== undefined) (where.push('case_id = ?'), args.push(query.caseId));
      if (query.from) (where.push('at >= ?'), args.push(query.from));
      if (query.to) (where.push('at < ?'), args.push(query.to));
      return { arm, where: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
    });
    const total = parts.reduce((sum, p) => sum + (this.db.prepare(`SELECT COUNT(*) AS n FROM ${p.arm.table} ${p.where}`).get(...p.args) as { n: number }).n, 0);
    const end = query.offset + query.limit;
    const union = parts.map((p) => `SELECT * FROM (SELECT ${p.arm.columns} FROM ${p.arm.table} ${p.where} ORDER BY at DESC, kind, case_id, field, action LIMIT ${end})`).join(' UNION ALL ');
    const args = parts.flatMap((p) => p.args);
    const from = `FROM (${union}) l LEFT JOIN cases c ON c.id = l.case_id`;
    const rows = this.db.prepare(`SELECT l.*, c.number, c.year, c.seq ${from} ORDER BY l.at DESC, l.kind, l.case_id, l.field, l.action LIMIT ? OFFSET ?`).all(...args, query.limit, query.offset) as {
      at: string;
      actor: string;
      kind: AuditRow['kind'];
      number: string | null;
      year: number | null;
      seq: number | null;
      field: AuditRow['field'];
      old_value: string | null;
      new_value: string | null;
      action: AuditRow['action'];
      detail: string;
    }[];
    return {
      total,
      rows: rows.map((r) => ({
        at: r.at,
        actor: r.actor,
        kind: r.kind,
        caseNumber: r.number,
        caseRef: r.year !== null ? `${r.year}-${r.seq}` : null,
        field: r.field,
        oldValue: r.old_value,
        newValue: r.new_value,
        action: r.action,
        detail: r.detail,
      })),
    };
  }

  async addTemplateVersion(version: Omit<TemplateVersion, 'id'>): Promise<TemplateVersion> {
    const id = Number(this.db.prepare('INSERT INTO template_versions (type, text, by, at) VALUES (?, ?, ?, ?)').run(version.type, version.text, version.by, version.at).lastInsertRowid);
    return { id, ...version };
  }

  async templateVersions(type: string): Promise<TemplateVersion[]> {
    return this.db.prepare('SELECT id, type, text, by, at FROM template_versions WHERE type = ? ORDER BY id DESC').all(type) as TemplateVersion[];
  }

  // Leaders' reception days, 包案 and cadres' duties (一岗双责).

  async addReceptionDay(day: NewReceptionDay): Promise<ReceptionDay> {
    const id = Number(this.db.prepare('INSERT INTO reception_days (day, leader, place, time, by, at) VALUES (?, ?, ?, ?, ?, ?)').run(day.day, day.leader, day.place, day.time, day.by, day.at).lastInsertRowid);
    return { id, ...day };
  }

  async removeReceptionDay(id: number): Promise<ReceptionDay | undefined> {
    const row = this.db.prepare('SELECT * FROM reception_days WHERE id = ?').get(id) as ReceptionDay | undefined;
    if (row) this.db.prepare('DELETE FROM reception_days WHERE id = ?').run(id);
    return row;
  }

  async receptionDays(from: string, to: string): Promise<ReceptionDay[]> {
    return this.db.prepare('SELECT * FROM reception_days WHERE day >= ? AND day <= ? ORDER BY day, id').all(from, to) as ReceptionDay[];
  }

  async setCaseLeader(caseId: number, leader: CaseLeader, entry: HistoryEntry): Promise<Case> {
    return this.db
      .transaction(() => {
        this.db.prepare('UPDATE cases SET case_leader = ?, case_leader_by = ?, case_leader_at = ? WHERE id = ?').run(leader.leader, leader.by, leader.at, caseId);
        this.appendHistory(caseId, entry);
        return this.caseRow(caseId);
      })
      .immediate();
  }

  async addDutyLink(link: Omit<DutyLink, 'id'>): Promise<DutyLink | null> {
    const info = this.db.prepare('INSERT OR IGNORE INTO duty_links (cadre, unit, kind, by, at) VALUES (?, ?, ?, ?, ?)').run(link.cadre, link.unit, link.kind, link.by, link.at);
    return info.changes ? { id: Number(info.lastInsertRowid), ...link } : null;
  }

  async removeDutyLink(cadre: string, unit: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM duty_links WHERE cadre = ? AND unit = ?').run(cadre, unit).changes > 0;
  }

  async dutyLinks(): Promise<DutyLink[]> {
    return this.db.prepare('SELECT * FROM duty_links ORDER BY cadre, id').all() as DutyLink[];
  }

  async addScreening(screening: NewScreening): Promise<Screening> {
    const id = Number(
      this.db
        .prepare('INSERT INTO screenings (cadre, unit, day, finding, by, at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(screening.cadre, screening.unit, screening.day, screening.finding ? JSON.stringify(screening.finding) : null, screening.by, screening.at).lastInsertRowid,
    );
    return { id, ...screening };
  }

  async screenings(from: string, to: string): Promise<Screening[]> {
    const rows = this.db.prepare('SELECT * FROM screenings WHERE day >= ? AND day <= ? ORDER BY day, id').all(from, to) as (Omit<Screening, 'finding'> & { finding: string | null })[];
    return rows.map((r) => ({ ...r, finding: r.finding ? (JSON.parse(r.finding) as ScreeningFinding) : null }));
  }

  async addSignReport(report: NewSignReport, format: (year: number, seq: number) => string): Promise<SignReport> {
    const add = this.db.transaction(() => {
      const seq = this.take('sign', report.year);
      const info = this.db
        .prepare('INSERT INTO sign_reports (year, seq, number, source, place, people, matter, risk, reporter, reported_at, by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(report.year, seq, format(report.year, seq), report.source, report.place, report.people, report.matter, report.risk, report.reporter, report.reportedAt, report.by, report.at);
      return Number(info.lastInsertRowid);
    });
    return (await this.signReportById(add.immediate()))!;
  }

  async signReportById(id: number): Promise<SignReport | undefined> {
    const row = this.db.prepare(`${SIGNS} WHERE s.id = ?`).get(id);
    return row ? toSign(row) : undefined;
  }

  async findSignReport(reference: string): Promise<SignReport | undefined> {
    const ref = reference.trim();
    let row = this.db.prepare(`${SIGNS} WHERE s.number = ?`).get(ref);
    const yearSeq = ref.match(/^(\d{4})\D+(\d+)$/);
    if (!row && yearSeq) row = this.db.prepare(`${SIGNS} WHERE s.year = ? AND s.seq = ?`).get(Number(yearSeq[1]), Number(yearSeq[2]));
    if (!row && /^\d+$/.test(ref)) row = this.db.prepare(`${SIGNS} WHERE s.seq = ? ORDER BY s.year DESC LIMIT 1`).get(Number(ref));
    return row ? toSign(row) : undefined;
  }

  async signReports(options: { by?: string; reportedFrom?: string; reportedTo?: string } = {}): Promise<SignReport[]> {
    const terms: string[] = [];
    const params: unknown[] = [];
    if (options.by !== undefined) (terms.push('s.by = ?'), params.push(options.by));
    if (options.reportedFrom !== undefined) (terms.push('s.reported_at >= ?'), params.push(options.reportedFrom));
    if (options.reportedTo !== undefined) (terms.push('s.reported_at < ?'), params.push(options.reportedTo));
    const where = terms.length ? `WHERE ${terms.join(' AND ')}` : '';
    return (this.db.prepare(`${SIGNS} ${where} ORDER BY s.year DESC, s.seq DESC`).all(...params) as unknown[]).map(toSign);
  }

  async endSignReport(id: number, end: { status: 'case' | 'closed'; caseId: number | null; outcome: string; by: string; at: string }): Promise<boolean> {
    return (
      this.db
        .prepare("UPDATE sign_reports SET status = ?, case_id = ?, outcome = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'")
        .run(end.status, end.caseId, end.outcome, end.by, end.at, id).changes > 0
    );
  }

  async setDutyShift(shift: NewDutyShift): Promise<DutyShift> {
    return this.db
      .prepare(
        `INSERT INTO duty_roster (day, person, phone, post, by, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (day, person) DO UPDATE SET phone = excluded.phone, post = excluded.post, by = excluded.by, at = excluded.at RETURNING *`,
      )
      .get(shift.day, shift.person, shift.phone, shift.post, shift.by, shift.at) as DutyShift;
  }

  async removeDutyShift(id: number): Promise<DutyShift | undefined> {
    return this.db.prepare('DELETE FROM duty_roster WHERE id = ? RETURNING *').get(id) as DutyShift | undefined;
  }

  async dutyShifts(from: string, to: string): Promise<DutyShift[]> {
    return this.db.prepare('SELECT * FROM duty_roster WHERE day >= ? AND day <= ? ORDER BY day, id').all(from, to) as DutyShift[];
  }

  async setContact(contact: NewContact): Promise<Contact> {
    const row = this.db
      .prepare(
        `INSERT INTO contacts (name, post, phones, by, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET post = excluded.post, phones = excluded.phones, by = excluded.by, at = excluded.at RETURNING *`,
      )
      .get(contact.name, contact.post, JSON.stringify(contact.phones), contact.by, contact.at) as Omit<Contact, 'phones'> & { phones: string };
    return { ...row, phones: JSON.parse(row.phones) as string[] };
  }

  async removeContact(name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM contacts WHERE name = ?').run(name).changes > 0;
  }

  async contacts(): Promise<Contact[]> {
    const rows = this.db.prepare('SELECT * FROM contacts ORDER BY id').all() as (Omit<Contact, 'phones'> & { phones: string })[];
    return rows.map((r) => ({ ...r, phones: JSON.parse(r.phones) as string[] }));
  }

  private userRow(raw: unknown): UserRecord {
    const r = raw as { id: number; name: string; role: Role; password_hash: string; disabled: number; created_at: string };
    return { id: r.id, name: r.name, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at };
  }

  private caseRow(id: number): Case {
    return toCase(this.db.prepare(`${CASES} WHERE c.id = ?`).get(id));
  }

  private detailOf(row: Case): CaseDetail {
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
      pages: this.pagesOf(row.id),
      documents: documents.map((d) => ({ role: d.role, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes, kind: d.kind ?? null, text: d.text ?? null, sourceName: d.source_name ?? null })),
      history: this.historyOf(row.id),
      personLetters: this.samePersonCases(row.fields, 1_000_000, row.id).length + 1,
      edits: edits.map((e): FieldEdit => ({ field: e.field, oldValue: e.old_value, newValue: e.new_value, by: e.by, at: e.at })),
      corrections: this.correctionsOf(row.id),
    };
  }
}

/**
 * The WHERE of a case list query, every value a bound parameter; null when no case can match (an
 * empty status list, text too short to search).
 */
function caseFilter(query: CaseQuery): { where: string; params: unknown[] } | null {
  const terms: string[] = [];
  const params: unknown[] = [];
  const term = (sql: string, ...values: unknown[]) => {
    terms.push(sql);
    params.push(...values);
  };
  if (query.status) {
    if (query.status.length === 0) return null;
    term(`c.status IN (${query.status.map(() => '?').join(', ')})`, ...query.status);
  }
  if (query.category !== undefined) term('c.category = ?', query.category);
  if (query.channel !== undefined) term('c.channel = ?', query.channel);
  if (query.handler !== undefined) term('c.handler = ?', query.handler);
  if (query.caseLeader !== undefined) term('c.case_leader = ?', query.caseLeader);
  if (query.receivedFrom !== undefined) term('c.received_at >= ?', storedInstant(query.receivedFrom));
  if (query.receivedTo !== undefined) term('c.received_at < ?', storedInstant(query.receivedTo));
  // Flags are written by JSON.stringify, so a flag is in the array exactly when its JSON string is in the text.
  if (query.flag !== undefined) term('instr(c.flags, ?) > 0', JSON.stringify(query.flag));
  if (query.year !== undefined) term('c.year = ?', query.year);
  if (query.noCategory) term('c.category IS NULL');
  if (query.handlingType !== undefined) term(query.handlingType === null ? 'c.handling_type IS NULL' : 'c.handling_type = ?', ...(query.handlingType === null ? [] : [query.handlingType]));
  if (query.firstOnly) term('c.repeat_of IS NULL');
  if (query.numbers !== undefined) {
    if (query.numbers.length === 0) return null;
    term('c.number IN (SELECT value FROM json_each(?))', JSON.stringify(query.numbers));
  }
  if (query.text !== undefined) {
    const grams = bigrams(query.text);
    if (grams.length === 0 || !isSearchable(query.text)) return null;
    // search()'s phrase of pairs, as a set of ids checked in the list index: a join would read the row of every case a common word finds.
    term('c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)', `"${grams.join(' ')}"`);
  }
  return { where: terms.length ? terms.join(' AND ') : '1', params };
}

/** An instant as the registry writes it (toISOString), so that comparing the text compares the time. */
export function storedInstant(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an ISO instant: ${iso}`);
  return at.toISOString();
}

export function toCase(raw: unknown): Case {
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
    correctedText: (r.corrected_text as string | null | undefined) ?? null,
    ocrConfidence: (r.ocr_confidence as number | null) ?? null,
    ocrEngine: (r.ocr_engine as string | null) ?? null,
    flags: JSON.parse(r.flags as string) as Flag[],
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
    judged: JSON.parse((r.judgements as string | null) ?? '{}') as Judged,
    urgentWords: JSON.parse((r.urgent_words as string | null) ?? '[]') as string[],
    repeatOf: (r.repeat_number as string | null) ?? null,
    transfer: r.from_office ? { office: r.from_office as string, number: (r.from_number as string | null) ?? '' } : null,
    workflow: toWorkflow(r),
    binding: r.archive_ref ? { ref: r.archive_ref as string, item: r.archive_item as number, retention: r.archive_retention as string, boundAt: r.bound_at as string } : null,
    receivedBy: (r.received_by_leader as string | null | undefined) ?? null,
    caseLeader: r.case_leader ? { leader: r.case_leader as string, by: (r.case_leader_by as string | null) ?? '', at: (r.case_leader_at as string | null) ?? '' } : null,
  };
}

/** A row of STATS_COLUMNS and the repeat's number, read by place (both adapters read them so). */
export function toStatsCase(v: (string | number | null)[]): StatsCase {
  return {
    number: v[0] as string,
    status: v[1] as CaseStatus,
    channel: v[2] as Channel,
    receivedAt: v[3] as string,
    flags: JSON.parse(v[4] as string) as Flag[],
    fields: { name: textOrNull(v[5]!), phone: textOrNull(v[6]!), idNumber: textOrNull(v[7]!), category: textOrNull(v[8]!), handlingType: textOrNull(v[9]!) },
    workflow: {
      instruction: v[13] ? { handler: textOrNull(v[10]!), leader: textOrNull(v[11]!) ?? '', text: textOrNull(v[12]!) ?? '', at: v[13] as string, due: textOrNull(v[14]!) } : null,
      acceptedAt: textOrNull(v[15]!),
      declinedAt: textOrNull(v[16]!),
      declineReason: textOrNull(v[17]!),
      extension: v[20] ? { days: (v[18] as number | null) ?? 0, reason: textOrNull(v[19]!) ?? '', at: v[20] as string } : null,
      outcome: textOrNull(v[21]!) as Outcome | null,
      facts: textOrNull(v[22]!),
      basis: textOrNull(v[23]!),
      repliedAt: textOrNull(v[24]!),
      reportedAt: textOrNull(v[25]!),
      closedAt: textOrNull(v[26]!),
      signedBy: textOrNull(v[27]!),
      signedAt: textOrNull(v[28]!),
      returnedAt: textOrNull(v[29]!),
      returnReason: textOrNull(v[30]!),
      supervision: v[31] ? (JSON.parse(v[31] as string) as Supervision) : null,
      returnVisit: v[35] ? (JSON.parse(v[35] as string) as ReturnVisit) : null,
      reviews: v[36] ? (JSON.parse(v[36] as string) as Review[]) : [],
    },
    caseLeader: v[32] ? { leader: v[32] as string, by: textOrNull(v[33]!) ?? '', at: textOrNull(v[34]!) ?? '' } : null,
    repeatOf: textOrNull(v[37]!),
  };
}

const textOrNull = (v: string | number | null | undefined): string | null => (v as string | null | undefined) ?? null;

/** An alert's row (alerts joined with its case or sign report) and the reads of it, as both adapters read them. */
export function toAlert(r: AlertSqlRow, reads: readonly { alert_id: number; user_name: string; at: string }[]): Alert {
  return {
    id: r.id,
    key: r.key,
    kind: r.kind as AlertKind,
    caseId: r.case_id,
    signId: r.sign_id,
    sign: r.sign_id !== null ? { id: r.sign_id, place: r.sign_place ?? '', people: r.sign_people ?? '', risk: r.sign_risk ?? '', reporter: r.sign_reporter ?? '' } : null,
    onDuty: r.on_duty ? (JSON.parse(r.on_duty) as OnDuty[]) : [],
    deadline: r.deadline as Alert['deadline'],
    dueDate: r.due_date,
    recipients: JSON.parse(r.recipients) as Recipient[],
    createdAt: r.created_at,
    case: { number: r.number, year: r.year, seq: r.seq, name: r.petitioner_name, summary: r.summary, urgentWords: JSON.parse(r.urgent_words) as string[], signatories: r.signatories },
    readBy: reads.filter((x) => x.alert_id === r.id).map((x) => ({ user: x.user_name, at: x.at })),
    charge: r.charge_at ? { person: r.charge_person ?? '', note: r.charge_note ?? '', by: r.charge_by ?? '', at: r.charge_at } : null,
  };
}

export const SIGNS = 'SELECT s.*, c.number AS case_number FROM sign_reports s LEFT JOIN cases c ON c.id = s.case_id';

export function toSign(raw: unknown): SignReport {
  const r = raw as Record<string, unknown>;
  return {
    id: r.id as number,
    year: r.year as number,
    seq: r.seq as number,
    number: r.number as string,
    source: r.source as SignReport['source'],
    place: r.place as string,
    people: r.people as string,
    matter: r.matter as string,
    risk: r.risk as string,
    reporter: r.reporter as string,
    reportedAt: r.reported_at as string,
    by: r.by as string,
    at: r.at as string,
    status: r.status as SignReport['status'],
    caseId: (r.case_id as number | null) ?? null,
    caseNumber: (r.case_number as string | null) ?? null,
    outcome: (r.outcome as string | null) ?? null,
    closedBy: (r.closed_by as string | null) ?? null,
    closedAt: (r.closed_at as string | null) ?? null,
  };
}

export interface AlertSqlRow {
  id: number;
  key: string;
  kind: string;
  case_id: number | null;
  sign_id: number | null;
  on_duty: string | null;
  sign_place: string | null;
  sign_people: string | null;
  sign_risk: string | null;
  sign_reporter: string | null;
  deadline: string | null;
  due_date: string | null;
  recipients: string;
  created_at: string;
  charge_person: string | null;
  charge_note: string | null;
  charge_by: string | null;
  charge_at: string | null;
  number: string;
  year: number;
  seq: number;
  petitioner_name: string | null;
  summary: string | null;
  urgent_words: string;
  signatories: number | null;
}

export interface HistorySqlRow {
  seq: number;
  at: string;
  actor: string;
  action: HistoryEntry['action'];
  detail: string;
  prev_hash: string;
  hash: string;
}

export function toEntry(r: HistorySqlRow): ChainedEntry {
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, detail: r.detail, prevHash: r.prev_hash, hash: r.hash };
}

export function workflowColumns(w: Workflow): Record<string, string | number | null> {
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
    signed_by: w.signedBy,
    signed_at: w.signedAt,
    returned_at: w.returnedAt,
    return_reason: w.returnReason,
    supervision: w.supervision ? JSON.stringify(w.supervision) : null,
    return_visit: w.returnVisit ? JSON.stringify(w.returnVisit) : null,
    reviews: w.reviews.length ? JSON.stringify(w.reviews) : null,
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
    signedBy: text('signed_by'),
    signedAt: text('signed_at'),
    returnedAt: text('returned_at'),
    returnReason: text('return_reason'),
    supervision: text('supervision') ? (JSON.parse(text('supervision')!) as Supervision) : null,
    returnVisit: text('return_visit') ? (JSON.parse(text('return_visit')!) as ReturnVisit) : null,
    reviews: text('reviews') ? (JSON.parse(text('reviews')!) as Review[]) : [],
  };
}

export interface PageSqlRow {
  text: string;
  confidence: number;
  low_confidence: number;
  rotation: number;
  skew: number;
  lines: string;
  frame_width: number | null;
  frame_height: number | null;
}
