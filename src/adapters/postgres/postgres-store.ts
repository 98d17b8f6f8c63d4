import type pg from 'pg';
import { meanConfidence, SYSTEM_ACTOR, type Case, type CaseDetail, type DocumentRecord, type DocumentRole, type FieldEdit, type NewPetition, type PageRecord, type ReviewItem, type ReviewReason, type SearchHit, type VolumeRecord } from '../../domain/case.js';
import { formatCaseNumber } from '../../domain/case-number.js';
import { cleanLineText, correctedLetterText, type LineCorrection } from '../../domain/corrections.js';
import type { Extraction } from '../../domain/extract/letter-fields.js';
import { bigrams } from '../../domain/extract/text.js';
import { FIELD_NAMES, type FieldName, type LetterFields, type Provenance } from '../../domain/fields.js';
import { orderFlags, type Flag } from '../../domain/flags.js';
import { chain, type ChainedEntry, type HistoryEntry } from '../../domain/history.js';
import { pickRepeat } from '../../domain/repeat.js';
import { hitSnippet, isSearchable, searchableText } from '../../domain/search.js';
import { STATUSES, type CaseStatus, type Workflow } from '../../domain/workflow.js';
import { registrationText } from '../../domain/words.js';
import type { Role } from '../../domain/roles.js';
import type { Alert, Charge, NewAlert } from '../../domain/alerts.js';
import type { Contact, DutyShift, NewContact, NewDutyShift } from '../../domain/roster.js';
import type { NewSignReport, SignReport } from '../../domain/signs.js';
import type { AlertReader, CaseChain, ClassifierExamples, CaseQuery, FileNote, FlagsFor, KnownDocument, Registered, Reread, StepApplied, Store, TemplateVersion, UserRecord } from '../../ports/store.js';
import type { AuditQuery, AuditRecord, AuditRow } from '../../domain/audit.js';
import type { StatsCase, StatsQuery, StatsRead } from '../../domain/reports/stats.js';
import type { CaseLeader, DutyLink, NewReceptionDay, NewScreening, ReceptionDay, Screening, ScreeningFinding } from '../../domain/duties.js';
import { COLUMN, LIST_ORDER, SIGNS, storedInstant, toAlert, toCase, toEntry, toSign, toStatsCase, workflowColumns, type AlertSqlRow, type HistorySqlRow, type PageSqlRow } from '../sqlite/sqlite-store.js';
import { migrate } from './migrate.js';
import { inTransaction, openPool, Sql } from './sql.js';

export interface PostgresStoreOptions {
  format: string;
  short: string;
  repeatSimilarity?: number;
  repeatWithinDays?: number;
  /** Connections this process keeps at most (default 10). */
  poolSize?: number;
  /** The schema the registry lives in (a district's community, `c_<code>`), made if missing; default the database's own search_path. */
  schema?: string;
}

/** Every case query reads through this, so a case arrives with the number of the case it repeats. */
const CASES = 'SELECT c.*, r.number AS repeat_number FROM cases c LEFT JOIN cases r ON r.id = c.repeat_of';

/** The columns the statistics read (StatsCase), in the order statsCases reads them by place; the repeated case's number follows. */
const STATS_COLUMNS = [
  'number', 'status', 'channel', 'received_at', 'flags', 'petitioner_name', 'phone', 'id_number', 'category', 'handling_type',
  'handler', 'instruction_leader', 'instruction_text', 'instruction_at', 'due_date', 'accepted_at', 'declined_at', 'decline_reason',
  'extension_days', 'extension_reason', 'extended_at', 'outcome', 'facts', 'basis', 'replied_at', 'reported_at', 'closed_at',
  'signed_by', 'signed_at', 'returned_at', 'return_reason', 'supervision',
  'case_leader', 'case_leader_by', 'case_leader_at', 'return_visit', 'reviews',
]
  .map((column) => `c.${column}`)
  .join(', ');

const OPEN_STATUSES = STATUSES.filter((s) => s !== 'closed');

/** Cases read per query by the long listings. */
const PAGE = 500;

/** A consistent read of several statements. */
const SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * The search's rank, the shape of bm25 for one phrase: how often the text holds it, less for a
 * long text (the length of a typical case's text standing in for the average).
 */
const RANK = `(tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length(s.squeezed) / 500.0)))`;

/**
 * Opens the registry on PostgreSQL and brings its schema up to date (migrate.ts). The connection
 * string names the database: `postgresql://user:password@host/xinfang`, or on the same machine
 * `postgresql:///xinfang?host=/var/run/postgresql`.
 */
export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions): Promise<PostgresStore> {
  const pool = openPool(connectionString, options.poolSize, options.schema);
  try {
    if (options.schema) await createSchema(pool, options.schema);
    await migrate(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return new PostgresStore(pool, options);
}

/** A schema made if missing; two processes making it at once both go on (IF NOT EXISTS alone races on the catalogue). */
export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (e) {
    if (!['23505', '42P06'].includes((e as { code?: string }).code ?? '')) throw e;
  }
}

/**
 * The registry on PostgreSQL, for many writers on many machines. Every write is one transaction
 * that first locks what it changes: a case's row before its history grows (so two steps on one
 * case chain one after the other), the year's counter row (SELECT … FOR UPDATE) before a number
 * is drawn, so numbers are never given twice nor skipped, and a rollback gives a number back.
 */
export class PostgresStore implements Store {
  private readonly db: Sql;

  constructor(private readonly pool: pg.Pool, private readonly options: PostgresStoreOptions) {
    this.db = new Sql(pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private tx<R>(work: (db: Sql) => Promise<R>): Promise<R> {
    return inTransaction(this.pool, work);
  }

  private snapshot<R>(work: (db: Sql) => Promise<R>): Promise<R> {
    return inTransaction(this.pool, work, SNAPSHOT);
  }

  /** The next value of a counter, inside the caller's transaction (its row locked until the end): a rollback gives it back. */
  private async take(db: Sql, name: string, year: number): Promise<number> {
    const row = await db.get<{ value: number }>(
      'INSERT INTO counters (name, year, next) VALUES (?, ?, 2) ON CONFLICT (name, year) DO UPDATE SET next = counters.next + 1 RETURNING next - 1 AS value',
      name,
      year,
    );
    return row!.value;
  }

  /** Locks a counter row (made if missing) for the rest of the caller's transaction; its next value. */
  private async lockCounter(db: Sql, name: string, year: number): Promise<number> {
    await db.run('INSERT INTO counters (name, year, next) VALUES (?, ?, 1) ON CONFLICT (name, year) DO NOTHING', name, year);
    return (await db.get<{ next: number }>('SELECT next FROM counters WHERE name = ? AND year = ? FOR UPDATE', name, year))!.next;
  }

  /** Locks a case's row for the rest of the caller's transaction. */
  private async lockCase(db: Sql, caseId: number): Promise<void> {
    if (!(await db.get('SELECT id FROM cases WHERE id = ? FOR UPDATE', caseId))) throw new RangeError(`no case ${caseId}`);
  }

  /** Adds an entry to a case's chain and moves the case's head to it, the case's row locked first. */
  private async appendHistory(db: Sql, caseId: number, entry: HistoryEntry): Promise<ChainedEntry> {
    const head = (await db.get<{ number: string; history_head: string | null; history_count: number }>('SELECT number, history_head, history_count FROM cases WHERE id = ? FOR UPDATE', caseId))!;
    const chained = chain(head.number, head.history_count ? { seq: head.history_count, hash: head.history_head ?? '' } : null, entry);
    await db.run(
      'INSERT INTO history (case_id, seq, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      caseId, chained.seq, chained.at, chained.actor, chained.action, chained.detail, chained.prevHash, chained.hash,
    );
    await db.run('UPDATE cases SET history_head = ?, history_count = ? WHERE id = ?', chained.hash, chained.seq, caseId);
    return chained;
  }

  private async historyOf(db: Sql, caseId: number): Promise<ChainedEntry[]> {
    return (await db.all<HistorySqlRow>('SELECT * FROM history WHERE case_id = ? ORDER BY seq', caseId)).map(toEntry);
  }

  async history(caseId: number): Promise<ChainedEntry[]> {
    return this.historyOf(this.db, caseId);
  }

  async *chains(): AsyncGenerator<CaseChain> {
    for (let after = { year: 0, seq: 0 }; ; ) {
      const cases = await this.db.all<{ id: number; year: number; seq: number; number: string; status: CaseStatus; history_head: string | null; history_count: number }>(
        'SELECT id, year, seq, number, status, history_head, history_count FROM cases WHERE year > ? OR (year = ? AND seq > ?) ORDER BY year, seq LIMIT ?',
        after.year, after.year, after.seq, PAGE,
      );
      if (cases.length === 0) return;
      const entries = await this.db.all<HistorySqlRow & { case_id: number }>('SELECT * FROM history WHERE case_id = ANY(?::int[]) ORDER BY case_id, seq', cases.map((c) => c.id));
      const byCase = new Map<number, ChainedEntry[]>();
      for (const e of entries) {
        const list = byCase.get(e.case_id) ?? [];
        list.push(toEntry(e));
        byCase.set(e.case_id, list);
      }
      for (const c of cases) yield { number: c.number, status: c.status, entries: byCase.get(c.id) ?? [], head: { hash: c.history_head, count: c.history_count } };
      after = cases[cases.length - 1]!;
    }
  }

  async applyStep(caseId: number, from: readonly CaseStatus[], next: { status: CaseStatus; workflow: Workflow }, entry: HistoryEntry, documents: DocumentRecord[]): Promise<StepApplied> {
    return this.tx(async (db): Promise<StepApplied> => {
      await this.lockCase(db, caseId);
      const before = await this.caseRow(db, caseId);
      if (!from.includes(before.status)) return { applied: false, current: before };
      const columns = workflowColumns(next.workflow);
      const keys = Object.keys(columns);
      await db.run(`UPDATE cases SET status = ?, ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, next.status, ...Object.values(columns), caseId);
      await this.insertDocuments(db, caseId, documents);
      await this.appendHistory(db, caseId, entry);
      return { applied: true, case: await this.caseRow(db, caseId) };
    });
  }

  async fileReturnedPaper(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): Promise<{ case: Case; filed: boolean }> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      const first = documents[0];
      const already = first && (await db.get(`SELECT 1 FROM documents WHERE case_id = ? AND role = 'returned' AND sha256 = ?`, caseId, first.sha256));
      if (already) return { case: await this.caseRow(db, caseId), filed: false };
      await this.insertDocuments(db, caseId, documents);
      await this.appendHistory(db, caseId, entry);
      return { case: await this.caseRow(db, caseId), filed: true };
    });
  }

  async findReturnedPaper(sha256: string): Promise<{ case: Case; sourceName: string | null } | undefined> {
    const doc = await this.db.get<{ case_id: number; source_name: string | null }>(
      `SELECT case_id, source_name FROM documents WHERE role = 'returned' AND sha256 = ? AND source_name IS NOT NULL ORDER BY id LIMIT 1`,
      sha256,
    );
    return doc ? { case: await this.caseRow(this.db, doc.case_id), sourceName: doc.source_name } : undefined;
  }

  async caseByNumber(number: string): Promise<Case | undefined> {
    const row = await this.db.get(`${CASES} WHERE c.number = ?`, number);
    return row ? toCase(row) : undefined;
  }

  async supervisedCases(): Promise<Case[]> {
    return (await this.db.all(`${CASES} WHERE c.status != 'closed' AND c.supervision IS NOT NULL AND (c.supervision::jsonb ->> 'answeredAt') IS NULL ORDER BY c.year, c.seq`)).map(toCase);
  }

  async openCases(): Promise<Case[]> {
    return (await this.db.all(`${CASES} WHERE c.status != 'closed' ORDER BY c.year, c.seq`)).map(toCase);
  }

  async casesWithout(kind: string, limit: number, afterId: number): Promise<Case[]> {
    const rows = await this.db.all(
      `${CASES} WHERE c.intake_state = 'done' AND c.id > ?
         AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id AND d.role = 'issued' AND d.kind = ?)
       ORDER BY c.id LIMIT ?`,
      afterId, kind, limit,
    );
    return rows.map(toCase);
  }

  async hasDocument(caseId: number, role: DocumentRole, kind: string): Promise<boolean> {
    return this.hasDocumentNow(this.db, caseId, role, kind);
  }

  private async hasDocumentNow(db: Sql, caseId: number, role: DocumentRole, kind: string): Promise<boolean> {
    return Boolean(await db.get('SELECT 1 FROM documents WHERE case_id = ? AND role = ? AND kind = ?', caseId, role, kind));
  }

  private async insertDocuments(db: Sql, caseId: number, documents: DocumentRecord[]): Promise<void> {
    for (const d of documents) {
      await db.run(
        'INSERT INTO documents (case_id, role, path, sha256, pages, bytes, kind, text, source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        caseId, d.role, d.path, d.sha256, d.pages, d.bytes, d.kind ?? null, d.text ?? null, d.sourceName ?? null,
      );
    }
  }

  async findByContent(sha256: string): Promise<Case | undefined> {
    const row = await this.db.get(
      `${CASES} WHERE c.source_sha256 = ?
         OR c.id IN (SELECT case_id FROM documents WHERE sha256 = ? AND role IN ('original', 'returned'))
       ORDER BY c.id LIMIT 1`,
      sha256, sha256,
    );
    return row ? toCase(row) : undefined;
  }

  /**
   * Numbers and records a petition in one transaction. The year's counter row is locked first
   * (SELECT … FOR UPDATE): registrations of a year, from any process on any machine, pass one at a
   * time from there to COMMIT, so the scan is looked for and the number drawn with nothing in
   * between; the counter moves in the same transaction, so a rollback gives the number back.
   */
  async register(petition: NewPetition, folderFor: (year: number, number: string) => string): Promise<Registered> {
    return this.tx((db) => this.registerNow(db, petition, folderFor));
  }

  private async registerNow(db: Sql, petition: NewPetition, folderFor: (year: number, number: string) => string): Promise<Registered> {
    const seq = await this.lockCounter(db, 'case', petition.year);
    if (petition.source) {
      const already = await db.get(`${CASES} WHERE c.source_sha256 = ? ORDER BY c.id LIMIT 1`, petition.source.sha256);
      if (already) return { created: false, existing: toCase(already) };
    }
    await db.run(`UPDATE counters SET next = next + 1 WHERE name = 'case' AND year = ?`, petition.year);
    const number = formatCaseNumber(this.options.format, { short: this.options.short, year: petition.year, seq });
    const folder = folderFor(petition.year, number);
    const { fields, sources } = petition.extraction;
    const repeatOf = await this.findRepeat(db, petition);
    const inserted = await db.get<{ id: number }>(
      `INSERT INTO cases (year, seq, number, status, channel, received_at, source_name, source_sha256,
         folder, staging_dir, intake_state, ocr_text, ocr_confidence, ocr_engine, flags,
         petitioner_name, phone, id_number, address, letter_date, signatories, summary, category, handling_type,
         field_sources, urgent_words, repeat_of, from_office, from_number, judgements, received_by_leader)
       VALUES (?, ?, ?, 'registered', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      petition.year, seq, number, petition.channel, petition.receivedAt.toISOString(),
      petition.source?.name ?? null, petition.source?.sha256 ?? null, folder, petition.source?.stagingDir ?? null,
      petition.source ? 'committed' : 'done', petition.text, meanConfidence(petition.pages), petition.ocrEngine,
      JSON.stringify(orderFlags([...petition.flags, ...(repeatOf ? (['repeat'] as const) : [])])),
      fields.name, fields.phone, fields.idNumber, fields.address, fields.letterDate, fields.signatories, fields.summary,
      fields.category, fields.handlingType, JSON.stringify(sources), JSON.stringify(petition.extraction.urgentWords),
      repeatOf, petition.transfer?.office ?? null, petition.transfer?.number ?? null, JSON.stringify(petition.extraction.judged ?? {}),
      petition.receivedBy ?? null,
    );
    const caseId = inserted!.id;
    // A category or handling type the clerk gave is an example the classifiers learn from.
    if (sources.category === 'clerk' || sources.handlingType === 'clerk') await this.take(db, 'examples', 0);
    for (const [i, p] of petition.pages.entries()) {
      await db.run(
        'INSERT INTO pages (case_id, page_no, text, confidence, low_confidence, rotation, skew, lines, frame_width, frame_height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        caseId, i + 1, p.text, p.confidence, p.lowConfidence ? 1 : 0, p.rotation, p.skew, JSON.stringify(p.lines), p.frame?.width ?? null, p.frame?.height ?? null,
      );
    }
    for (const d of petition.documents) {
      await db.run('INSERT INTO documents (case_id, role, path, sha256, pages, bytes) VALUES (?, ?, ?, ?, ?, ?)', caseId, d.role, `${folder}/${d.fileName}`, d.sha256, d.pages, d.bytes);
    }
    await this.appendHistory(db, caseId, {
      at: petition.receivedAt.toISOString(),
      actor: petition.registeredBy ?? SYSTEM_ACTOR,
      action: 'registered',
      detail: registrationText(petition.channel, petition.source?.name ?? null, petition.pages.length) + (petition.receivedBy ? `，接访领导 ${petition.receivedBy}` : ''),
    });
    await this.index(db, caseId);
    return { created: true, case: await this.caseRow(db, caseId) };
  }

  /** Registers many petitions as one transaction: for bulk imports such as the benchmarks'. */
  async registerMany(petitions: NewPetition[], folderFor: (year: number, number: string) => string): Promise<Registered[]> {
    return this.tx(async (db) => {
      const done: Registered[] = [];
      for (const p of petitions) done.push(await this.registerNow(db, p, folderFor));
      return done;
    });
  }

  /** The earlier case this petition repeats, as the SQLite adapter finds it. */
  private async findRepeat(db: Sql, petition: NewPetition): Promise<number | null> {
    const { fields } = petition.extraction;
    const samePerson = await this.samePersonCases(db, fields, 1);
    if (samePerson.length) return samePerson[0]!;
    const since = new Date(petition.receivedAt.getTime() - (this.options.repeatWithinDays ?? 730) * 86_400_000).toISOString();
    const candidates = await db.all<{ id: number; text: string }>(
      'SELECT id, COALESCE(corrected_text, ocr_text) AS text FROM cases WHERE category IS NOT DISTINCT FROM ? AND received_at >= ? ORDER BY received_at DESC, id DESC LIMIT 500',
      fields.category, since,
    );
    return pickRepeat([], petition.text, candidates, this.options.repeatSimilarity ?? 0.5);
  }

  /** Earlier cases of the same person, latest first (see the SQLite adapter). */
  private async samePersonCases(db: Sql, fields: LetterFields, limit: number, excludeId = -1): Promise<number[]> {
    type Row = { id: number; id_number: string | null; petitioner_name: string | null; phone: string | null };
    const found = new Map<number, Row>();
    const asked = new Set<string>();
    const look = async (f: { idNumber: string | null; name: string | null; phone: string | null }) => {
      if (!f.idNumber && !(f.name && f.phone)) return;
      const key = `${f.idNumber ?? ''}\0${f.name ?? ''}\0${f.phone ?? ''}`;
      if (asked.has(key)) return;
      asked.add(key);
      const rows = await db.all<Row>(
        `SELECT id, id_number, petitioner_name, phone FROM cases WHERE id != ? AND ((id_number IS NOT NULL AND id_number = ?::text)
           OR (petitioner_name IS NOT NULL AND phone IS NOT NULL AND petitioner_name = ?::text AND phone = ?::text))`,
        excludeId, f.idNumber, f.name, f.phone,
      );
      for (const row of rows) found.set(row.id, row);
    };
    await look(fields);
    for (const row of [...found.values()]) await look({ idNumber: row.id_number, name: row.petitioner_name, phone: row.phone });
    return [...found.keys()].sort((a, b) => b - a).slice(0, limit);
  }

  async addDocuments(caseId: number, documents: DocumentRecord[]): Promise<void> {
    await this.tx((db) => this.insertDocuments(db, caseId, documents));
  }

  async assignReference(caseId: number, retention: string, at: Date, format: (item: number) => string): Promise<Case> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      const c = await this.caseRow(db, caseId);
      if (c.binding) return c;
      const item = await this.take(db, `binding:${retention}`, c.year);
      await db.run('UPDATE cases SET archive_ref = ?, archive_item = ?, archive_retention = ?, bound_at = ? WHERE id = ?', format(item), item, retention, at.toISOString(), caseId);
      return this.caseRow(db, caseId);
    });
  }

  async recordBinding(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): Promise<Case> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      await db.run(`DELETE FROM documents WHERE case_id = ? AND role IN ('volume', 'manifest')`, caseId);
      await this.insertDocuments(db, caseId, documents);
      await this.appendHistory(db, caseId, entry);
      return this.caseRow(db, caseId);
    });
  }

  async detail(id: number): Promise<CaseDetail> {
    return this.detailOf(this.db, await this.caseRow(this.db, id));
  }

  async caseById(id: number): Promise<Case> {
    return this.caseRow(this.db, id);
  }

  async allDocuments(): Promise<KnownDocument[]> {
    const rows = await this.db.all<DocumentRecord & { case_number: string; folder: string }>('SELECT d.*, c.number AS case_number, c.folder FROM documents d JOIN cases c ON c.id = d.case_id ORDER BY d.id');
    return rows.map((d) => ({ role: d.role, kind: d.kind ?? null, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes, caseNumber: d.case_number, folder: d.folder }));
  }

  async caseFolders(): Promise<string[]> {
    return (await this.db.all<{ folder: string }>('SELECT folder FROM cases ORDER BY id')).map((r) => r.folder);
  }

  async recordedSha(path: string): Promise<string | null> {
    const row = (await this.db.get<{ sha256: string }>('SELECT sha256 FROM documents WHERE path = ?', path)) ?? (await this.db.get<{ sha256: string }>('SELECT sha256 FROM volumes WHERE path = ?', path));
    return row?.sha256 ?? null;
  }

  async addYearVolumes(year: number, volumes: VolumeRecord[], options: { supersede: boolean; entry: (v: VolumeRecord) => HistoryEntry }): Promise<void> {
    await this.tx(async (db) => {
      if (options.supersede) await db.run('UPDATE volumes SET superseded_at = ? WHERE year = ? AND superseded_at IS NULL', volumes[0]?.madeAt ?? new Date().toISOString(), year);
      for (const v of volumes) {
        await db.run(
          'INSERT INTO volumes (year, volume, edition, path, sha256, bytes, pages, cases, made_at, superseded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
          v.year, v.volume, v.edition, v.path, v.sha256, v.bytes, v.pages, JSON.stringify(v.cases), v.madeAt,
        );
        const entry = options.entry(v);
        for (const number of v.cases) {
          const id = (await db.get<{ id: number }>('SELECT id FROM cases WHERE number = ?', number))?.id;
          if (id !== undefined) await this.appendHistory(db, id, entry);
        }
      }
    });
  }

  async volumes(year?: number): Promise<VolumeRecord[]> {
    type Row = { year: number; volume: number; edition: number; path: string; sha256: string; bytes: number; pages: number; cases: string; made_at: string; superseded_at: string | null };
    const order = 'ORDER BY year, volume, edition';
    const rows = year === undefined ? await this.db.all<Row>(`SELECT * FROM volumes ${order}`) : await this.db.all<Row>(`SELECT * FROM volumes WHERE year = ? ${order}`, year);
    return rows.map((r) => ({ year: r.year, volume: r.volume, edition: r.edition, path: r.path, sha256: r.sha256, bytes: r.bytes, pages: r.pages, cases: JSON.parse(r.cases) as string[], madeAt: r.made_at, supersededAt: r.superseded_at }));
  }

  async addDocumentsUnlessKind(caseId: number, kind: string, documents: DocumentRecord[]): Promise<boolean> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      if (await this.hasDocumentNow(db, caseId, 'issued', kind)) return false;
      await this.insertDocuments(db, caseId, documents);
      return true;
    });
  }

  async unfinishedIntakes(): Promise<Case[]> {
    return (await this.db.all(`${CASES} WHERE c.intake_state = 'committed' ORDER BY c.id`)).map(toCase);
  }

  async markIntakeDone(caseId: number): Promise<void> {
    await this.db.run(`UPDATE cases SET intake_state = 'done', staging_dir = NULL WHERE id = ?`, caseId);
  }

  async noteUploads(uploads: { sha256: string; name: string; by: string; at: Date }[]): Promise<void> {
    await this.tx(async (db) => {
      for (const u of uploads) await db.run('INSERT INTO uploads (sha256, name, uploaded_by, at) VALUES (?, ?, ?, ?)', u.sha256, u.name, u.by, u.at.toISOString());
    });
  }

  async uploaderOf(sha256s: string[]): Promise<string | undefined> {
    if (sha256s.length === 0) return undefined;
    const row = await this.db.get<{ uploaded_by: string }>('SELECT uploaded_by FROM uploads WHERE sha256 = ANY(?::text[]) ORDER BY id DESC LIMIT 1', sha256s);
    return row?.uploaded_by;
  }

  async *casesOfYear(year: number): AsyncGenerator<Case> {
    for (let after = 0; ; ) {
      const page = (await this.db.all(`${CASES} WHERE c.year = ? AND c.seq > ? ORDER BY c.seq LIMIT ?`, year, after, PAGE)).map(toCase);
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1]!.seq;
    }
  }

  async changeMark(): Promise<string> {
    // A sequence moved by a trigger on every write to cases, from any connection (schema.ts step 18).
    const row = await this.db.get<{ last_value: number; is_called: boolean }>('SELECT last_value, is_called FROM cases_version');
    return String(row!.is_called ? row!.last_value : 0);
  }

  async listStatsCases(): Promise<StatsCase[]> {
    return this.statsCases(this.db, '1 = 1', []);
  }

  async statsRead(q: StatsQuery): Promise<StatsRead> {
    return this.snapshot(async (db) => {
      const period = [storedInstant(q.period.from), storedInstant(q.period.to)];
      const inPeriod = 'c.received_at >= ? AND c.received_at < ?';
      const counted = async (column: string, where: string, args: unknown[]) =>
        ((await db.raw(`SELECT ${column}, COUNT(*) FROM cases c WHERE ${where} GROUP BY ${column} ORDER BY MIN(c.year * 100000000::bigint + c.seq)`, ...args)) as [string | null, number][]).map(([key, count]) => ({ key, count }));
      const groups = (await db.raw(
        `SELECT c.category, c.channel, c.handling_type, c.status, c.case_leader, (c.repeat_of IS NULL)::int, COUNT(*), MIN(c.year * 100000000::bigint + c.seq) FROM cases c WHERE ${inPeriod} GROUP BY 1, 2, 3, 4, 5, 6`,
        ...period,
      )) as [string | null, string, string | null, string, string | null, number, number, number][];
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
      const numbers = async (where: string, args: unknown[]) => (await db.raw(`SELECT c.number FROM cases c WHERE ${inPeriod} AND ${where} ORDER BY c.year, c.seq`, ...period, ...args)).map((r) => r[0] as string);
      const flagged = (flag: Flag) => numbers('c.flags::jsonb @> jsonb_build_array(?::text)', [flag]);
      const window = [storedInstant(q.window.from), storedInstant(q.window.to)];
      const people = `c.id IN (
        WITH w AS (SELECT id, id_number, petitioner_name, phone FROM cases WHERE received_at >= ? AND received_at < ?)
        SELECT id FROM w WHERE (id_number <> '' AND id_number IN (SELECT id_number FROM w WHERE id_number <> '' GROUP BY id_number HAVING COUNT(*) > 1))
          OR (petitioner_name <> '' AND phone <> '' AND (petitioner_name, phone) IN (SELECT petitioner_name, phone FROM w WHERE petitioner_name <> '' AND phone <> '' GROUP BY petitioner_name, phone HAVING COUNT(*) > 1)))`;
      const byMonth: number[] = [];
      for (const m of q.months) byMonth.push((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases c WHERE c.received_at >= ? AND c.received_at < ?', storedInstant(m.from), storedInstant(m.to)))!.n);
      return {
        byCategory: summed(0),
        byChannel: summed(1),
        byHandlingType: summed(2),
        byStatus: summed(3),
        first: { total: firstTotal, closed: firstClosed },
        beforeByCategory: await counted('c.category', inPeriod, [storedInstant(q.before.from), storedInstant(q.before.to)]),
        byMonth,
        group: await flagged('group'),
        urgent: await flagged('urgent'),
        byCaseLeader: summed(4).filter((x) => x.key !== null),
        returned: await numbers('c.returned_at IS NOT NULL', []),
        answered: await this.statsCases(db, `${inPeriod} AND (c.replied_at IS NOT NULL OR c.declined_at IS NOT NULL)`, period),
        open: await this.statsCases(db, `c.received_at < ? AND c.status <> 'closed'`, [period[1]]),
        people: await this.statsCases(db, people, window),
        visited: await this.statsCases(db, `${inPeriod} AND c.return_visit IS NOT NULL`, period),
      };
    });
  }

  /** The cases matching `where`, only what the statistics read of them, in number order (as the SQLite adapter reads them). */
  private async statsCases(db: Sql, where: string, args: unknown[]): Promise<StatsCase[]> {
    const rows = (await db.raw(`SELECT ${STATS_COLUMNS}, r.number FROM cases c LEFT JOIN cases r ON r.id = c.repeat_of WHERE ${where} ORDER BY c.year, c.seq`, ...args)) as (string | number | null)[][];
    return rows.map(toStatsCase);
  }

  async listCases(): Promise<Case[]> {
    return (await this.db.all(`${CASES} ORDER BY c.year, c.seq`)).map(toCase);
  }

  async findCase(reference: string): Promise<CaseDetail | undefined> {
    const ref = reference.trim();
    let row = await this.db.get(`${CASES} WHERE c.number = ?`, ref);
    const yearSeq = ref.match(/^(\d{4})\D+(\d+)$/);
    // A number no INTEGER column holds names no case (PostgreSQL would refuse the comparison; SQLite finds nothing).
    const seqOf = (digits: string) => (Number(digits) <= 2_147_483_647 ? Number(digits) : null);
    if (!row && yearSeq && seqOf(yearSeq[2]!) !== null) row = await this.db.get(`${CASES} WHERE c.year = ? AND c.seq = ?`, Number(yearSeq[1]), seqOf(yearSeq[2]!));
    if (!row && /^\d+$/.test(ref) && seqOf(ref) !== null) row = await this.db.get(`${CASES} WHERE c.seq = ? ORDER BY c.year DESC LIMIT 1`, seqOf(ref));
    return row ? this.detailOf(this.db, toCase(row)) : undefined;
  }

  async editFields(caseId: number, changes: Partial<LetterFields>, by: string, at: Date, flagsFor: FlagsFor, entry?: HistoryEntry, options: { reviewed?: boolean } = {}): Promise<Case> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      let changed = false;
      const before = await this.caseRow(db, caseId);
      const fields = { ...before.fields };
      const sources = { ...before.sources };
      const record = (field: string, oldValue: string | null, newValue: string | null) =>
        db.run('INSERT INTO field_edits (case_id, field, old_value, new_value, by, at) VALUES (?, ?, ?, ?, ?, ?)', caseId, field, oldValue, newValue, by, at.toISOString());
      for (const field of FIELD_NAMES) {
        if (!(field in changes)) continue;
        const next = changes[field] ?? null;
        const old = fields[field];
        const firstConfirmation = before.sources[field] !== 'clerk';
        sources[field] = 'clerk';
        if (field === 'category' || field === 'handlingType') {
          await this.take(db, 'examples', 0);
          if (old === next && firstConfirmation && next !== null) await record(field, String(old), String(next));
        }
        if (old === next) continue;
        await record(field, old === null ? null : String(old), next === null ? null : String(next));
        (fields as Record<FieldName, unknown>)[field] = next;
        changed = true;
      }
      const flags = flagsFor(fields, before.flags);
      const personChanged = changed && (['name', 'phone', 'idNumber'] as const).some((f) => f in changes);
      if (personChanged && before.repeatOf === null) {
        const candidates = await this.samePersonCases(db, fields, 1_000, caseId);
        let earlier: number | undefined;
        for (const id of candidates) {
          const row = await db.get<{ earlier: boolean }>('SELECT received_at < ? AS earlier FROM cases WHERE id = ?', before.receivedAt, id);
          if (row?.earlier) {
            earlier = id;
            break;
          }
        }
        if (earlier !== undefined) {
          await db.run('UPDATE cases SET repeat_of = ? WHERE id = ?', earlier, caseId);
          flags.push('repeat');
        }
      }
      await this.writeFields(db, caseId, fields, sources, flags);
      if (options.reviewed) await db.run('UPDATE cases SET reviewed_at = ?, reviewed_by = ? WHERE id = ?', at.toISOString(), by, caseId);
      if ((changed || options.reviewed) && entry) await this.appendHistory(db, caseId, entry);
      return this.caseRow(db, caseId);
    });
  }

  async applyExtraction(caseId: number, extraction: Extraction, flagsFor: FlagsFor): Promise<Case> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      return this.applyExtractionNow(db, caseId, extraction, flagsFor);
    });
  }

  async correctLines(caseId: number, pageNo: number, lines: { line: number; text: string }[], by: string, at: Date, entry: HistoryEntry, reread: Reread): Promise<Case> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      const page = await db.get<{ lines: string }>('SELECT lines FROM pages WHERE case_id = ? AND page_no = ?', caseId, pageNo);
      if (!page) throw new RangeError(`case ${caseId} has no page ${pageNo}`);
      const read = JSON.parse(page.lines) as PageRecord['lines'];
      for (const l of lines) {
        const ocr = read[l.line - 1];
        if (!ocr) throw new RangeError(`page ${pageNo} of case ${caseId} has no line ${l.line}`);
        await db.run('INSERT INTO line_corrections (case_id, page_no, line_no, ocr_text, text, by, at) VALUES (?, ?, ?, ?, ?, ?, ?)', caseId, pageNo, l.line, ocr.text, cleanLineText(l.text), by, at.toISOString());
      }
      const text = correctedLetterText(await this.pagesOf(db, caseId), await this.correctionsOf(db, caseId));
      await db.run('UPDATE cases SET corrected_text = ? WHERE id = ?', text, caseId);
      const { extraction, flagsFor } = reread(text);
      await this.applyExtractionNow(db, caseId, extraction, flagsFor);
      await this.appendHistory(db, caseId, entry);
      return this.caseRow(db, caseId);
    });
  }

  private async correctionsOf(db: Sql, caseId: number): Promise<LineCorrection[]> {
    const rows = await db.all<{ page_no: number; line_no: number; ocr_text: string; text: string; by: string; at: string }>(
      'SELECT page_no, line_no, ocr_text, text, by, at FROM line_corrections WHERE case_id = ? ORDER BY id',
      caseId,
    );
    return rows.map((r) => ({ page: r.page_no, line: r.line_no, ocrText: r.ocr_text, text: r.text, by: r.by, at: r.at }));
  }

  private async pagesOf(db: Sql, caseId: number): Promise<PageRecord[]> {
    const pages = await db.all<PageSqlRow>('SELECT * FROM pages WHERE case_id = ? ORDER BY page_no', caseId);
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

  private async applyExtractionNow(db: Sql, caseId: number, extraction: Extraction, flagsFor: FlagsFor): Promise<Case> {
    const before = await this.caseRow(db, caseId);
    const fields = { ...before.fields };
    const sources: Provenance = { ...before.sources };
    for (const field of FIELD_NAMES) {
      if (before.sources[field] === 'clerk') continue;
      (fields as Record<FieldName, unknown>)[field] = extraction.fields[field];
      if (extraction.sources[field]) sources[field] = extraction.sources[field];
      else delete sources[field];
    }
    await db.run('UPDATE cases SET urgent_words = ?, judgements = ? WHERE id = ?', JSON.stringify(extraction.urgentWords), JSON.stringify(extraction.judged ?? {}), caseId);
    await this.writeFields(db, caseId, fields, sources, flagsFor(fields, before.flags));
    return this.caseRow(db, caseId);
  }

  private async writeFields(db: Sql, caseId: number, fields: LetterFields, sources: Provenance, flags: Flag[]): Promise<void> {
    const sets = FIELD_NAMES.map((f) => `${COLUMN[f]} = ?`).join(', ');
    await db.run(`UPDATE cases SET ${sets}, field_sources = ?, flags = ? WHERE id = ?`, ...FIELD_NAMES.map((f) => fields[f]), JSON.stringify(sources), JSON.stringify(orderFlags(flags)), caseId);
    await this.index(db, caseId);
  }

  async classifierExamples(limit: number, knownVersion?: number): Promise<ClassifierExamples> {
    const version = (await this.db.get<{ next: number }>("SELECT next FROM counters WHERE name = 'examples' AND year = 0"))?.next ?? 0;
    if (version === knownVersion) return { version, examples: null };
    const rows = await this.db.all<{ text: string; category: string | null; handlingtype: string | null; category_confirmed: boolean; handling_confirmed: boolean }>(
      `SELECT COALESCE(corrected_text, ocr_text) AS text, category, handling_type AS handlingtype,
              (field_sources::jsonb ->> 'category') IS NOT DISTINCT FROM 'clerk' AS category_confirmed,
              (field_sources::jsonb ->> 'handlingType') IS NOT DISTINCT FROM 'clerk' AS handling_confirmed
         FROM cases WHERE (field_sources::jsonb ->> 'category') = 'clerk' OR (field_sources::jsonb ->> 'handlingType') = 'clerk'
        ORDER BY id DESC LIMIT ?`,
      limit,
    );
    return {
      version,
      examples: rows.map((r) => ({ text: r.text, category: r.category_confirmed ? r.category : null, handlingType: r.handling_confirmed ? r.handlingtype : null })),
    };
  }

  async reviewQueue(lowConfidence: number, keyFields: readonly FieldName[], options: { openOnly?: boolean; judgedBelow?: number } = {}): Promise<ReviewItem[]> {
    const open = options.openOnly ? 'c.status = ANY(?::text[]) AND ' : '';
    const judgedBelow = options.judgedBelow ?? 0;
    const unsureCategory = `((c.field_sources::jsonb ->> 'category') IS DISTINCT FROM 'clerk' AND (c.judgements::jsonb ->> 'category')::double precision < ?)`;
    const missing = keyFields.map((f) => `c.${COLUMN[f]} IS NULL`);
    const unsure = `c.reviewed_at IS NULL AND (c.ocr_confidence < ? OR c.flags LIKE '%low-confidence%' OR c.flags LIKE '%text-unread%' OR ${[unsureCategory, ...missing].join(' OR ')})`;
    const rows = await this.db.all(`${CASES} WHERE ${open}(c.flags LIKE '%id-checksum%' OR (${unsure})) ORDER BY c.id`, ...(options.openOnly ? [OPEN_STATUSES] : []), lowConfidence, judgedBelow);
    return rows
      .map((r) => {
        const c = toCase(r);
        const reviewed = r.reviewed_at !== null;
        const missingFields = reviewed ? [] : keyFields.filter((f) => c.fields[f] === null);
        const reasons: ReviewReason[] = [
          ...(!reviewed && ((c.ocrConfidence !== null && c.ocrConfidence < lowConfidence) || c.flags.includes('low-confidence')) ? (['low-confidence'] as const) : []),
          ...(!reviewed && c.flags.includes('text-unread') ? (['text-unread'] as const) : []),
          ...(c.flags.includes('id-checksum') ? (['id-checksum'] as const) : []),
          ...(!reviewed && c.sources.category !== 'clerk' && c.judged.category !== undefined && c.judged.category < judgedBelow ? (['category-unsure'] as const) : []),
        ];
        return { case: c, missing: missingFields, reasons };
      })
      .sort((a, b) => b.missing.length + b.reasons.length - (a.missing.length + a.reasons.length) || (a.case.ocrConfidence ?? 1) - (b.case.ocrConfidence ?? 1));
  }

  /**
   * Full-text search over every field and the letter's text, any Chinese substring of two
   * characters or more. Each case's text is kept squeezed (letters and digits only, lower case,
   * the form the SQLite adapter's pairs are cut from) with the set of its character pairs under a
   * GIN index: the index finds the cases holding every pair of the query (a two-character query is
   * one pair, which a trigram index could not look up), and the squeezed text is then checked for
   * the query itself, which is what SQLite's phrase of pairs matches. Ranked as bm25 ranks one phrase.
   */
  async search(query: string, limit: number): Promise<SearchHit[]> {
    const probe = searchProbe(query);
    if (!probe) return [];
    const rows = await this.db.all(
      `SELECT c.*, r.number AS repeat_number FROM (
         SELECT case_id, squeezed, (length(squeezed) - length(replace(squeezed, ?, ''))) / length(?)::double precision AS tf
           FROM case_search WHERE grams @> ?::text[] AND strpos(squeezed, ?) > 0
       ) s JOIN cases c ON c.id = s.case_id LEFT JOIN cases r ON r.id = c.repeat_of
       ORDER BY ${RANK} DESC, c.id LIMIT ?`,
      probe.squeezed, probe.squeezed, probe.grams, probe.squeezed, limit,
    );
    return rows.map(toCase).map((c) => ({ case: c, snippet: hitSnippet(c, query) }));
  }

  /** The web case list: the count and the page in one snapshot. */
  async queryCases(query: CaseQuery): Promise<{ cases: Case[]; total: number }> {
    const order = LIST_ORDER[query.sort ?? 'received-desc'];
    if (!order) throw new RangeError(`unknown case order: ${String(query.sort)}`);
    for (const [name, n] of [['limit', query.limit], ['offset', query.offset]] as const) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number, 0 or more: ${n}`);
    }
    const filter = caseFilter(query);
    if (!filter) return { cases: [], total: 0 };
    const { where, params } = filter;
    return this.snapshot(async (db) => {
      const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`, ...params))!.n;
      const cases = (await db.all(`${CASES} WHERE ${where} ORDER BY ${order.by} LIMIT ? OFFSET ?`, ...params, query.limit, query.offset)).map(toCase);
      return { cases, total };
    });
  }

  private async index(db: Sql, caseId: number): Promise<void> {
    await indexCase(db, await this.caseRow(db, caseId));
  }

  async noteFiles(owner: string, files: { temp: string; final: string; sha256: string }[]): Promise<number[]> {
    return this.tx(async (db) => {
      const ids: number[] = [];
      for (const f of files) ids.push((await db.get<{ id: number }>(`INSERT INTO file_journal (owner, kind, temp, final, sha256) VALUES (?, 'write', ?, ?, ?) RETURNING id`, owner, f.temp, f.final, f.sha256))!.id);
      return ids;
    });
  }

  async noteRemovals(owner: string, paths: string[]): Promise<number[]> {
    return this.tx(async (db) => {
      const ids: number[] = [];
      for (const p of paths) ids.push((await db.get<{ id: number }>(`INSERT INTO file_journal (owner, kind, final) VALUES (?, 'remove', ?) RETURNING id`, owner, p))!.id);
      return ids;
    });
  }

  async forget(ids: number[]): Promise<void> {
    await this.db.run('DELETE FROM file_journal WHERE id = ANY(?::int[])', ids);
  }

  async notes(): Promise<FileNote[]> {
    const rows = await this.db.all<{ id: number; owner: string; kind: string; temp: string | null; final: string; sha256: string | null }>('SELECT * FROM file_journal ORDER BY id');
    return rows.map((r) => (r.kind === 'write' ? { id: r.id, owner: r.owner, kind: 'write', temp: r.temp ?? '', final: r.final, sha256: r.sha256 ?? '' } : { id: r.id, owner: r.owner, kind: 'remove', final: r.final }));
  }

  async addUser(user: Omit<UserRecord, 'id' | 'disabled'>): Promise<UserRecord | null> {
    const row = await this.db.get('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING *', user.name, user.role, user.passwordHash, user.createdAt);
    return row ? userRow(row) : null;
  }

  async userByName(name: string): Promise<UserRecord | undefined> {
    const row = await this.db.get('SELECT * FROM users WHERE name = ?', name);
    return row ? userRow(row) : undefined;
  }

  async userById(id: number): Promise<UserRecord | undefined> {
    const row = await this.db.get('SELECT * FROM users WHERE id = ?', id);
    return row ? userRow(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.all('SELECT * FROM users ORDER BY id')).map(userRow);
  }

  async updateUser(id: number, changes: Partial<Pick<UserRecord, 'role' | 'disabled' | 'passwordHash'>>): Promise<UserRecord> {
    const columns: [string, unknown][] = [];
    if (changes.role !== undefined) columns.push(['role', changes.role]);
    if (changes.disabled !== undefined) columns.push(['disabled', changes.disabled ? 1 : 0]);
    if (changes.passwordHash !== undefined) columns.push(['password_hash', changes.passwordHash]);
    if (columns.length) await this.db.run(`UPDATE users SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, ...columns.map(([, v]) => v), id);
    return userRow(await this.db.get('SELECT * FROM users WHERE id = ?', id));
  }

  async signInFailures(key: string): Promise<{ count: number; last: string } | undefined> {
    const row = await this.db.get<{ count: number; last_at: string }>('SELECT count, last_at FROM sign_in_failures WHERE key = ?', key);
    return row ? { count: row.count, last: row.last_at } : undefined;
  }

  async recordSignInFailure(key: string, at: Date): Promise<number> {
    const row = await this.db.get<{ count: number }>(
      'INSERT INTO sign_in_failures (key, count, last_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET count = sign_in_failures.count + 1, last_at = excluded.last_at RETURNING count',
      key, at.toISOString(),
    );
    return row!.count;
  }

  async clearSignInFailures(key: string): Promise<void> {
    await this.db.run('DELETE FROM sign_in_failures WHERE key = ?', key);
  }

  async saveSession(id: string, data: string, expiresAt: Date): Promise<void> {
    await this.db.run('INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at', id, data, expiresAt.toISOString());
  }

  async session(id: string): Promise<{ data: string; expiresAt: string } | undefined> {
    const row = await this.db.get<{ data: string; expires_at: string }>('SELECT data, expires_at FROM sessions WHERE id = ?', id);
    return row ? { data: row.data, expiresAt: row.expires_at } : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id = ?', id);
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.db.run('DELETE FROM sessions WHERE expires_at <= ?', now.toISOString());
  }

  async addAlerts(alerts: NewAlert[]): Promise<Alert[]> {
    const ids = await this.tx(async (db) => {
      const ids: number[] = [];
      for (const a of alerts) {
        const row = await db.get<{ id: number }>(
          'INSERT INTO alerts (key, kind, case_id, sign_id, on_duty, deadline, due_date, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id',
          a.key, a.kind, a.caseId, a.signId ?? null, a.onDuty?.length ? JSON.stringify(a.onDuty) : null, a.deadline, a.dueDate, JSON.stringify(a.recipients), a.createdAt,
        );
        if (!row) continue;
        for (const r of a.recipients) await db.run('INSERT INTO alert_recipients (alert_id, role, user_name) VALUES (?, ?, ?)', row.id, 'role' in r ? r.role : null, 'user' in r ? r.user : null);
        ids.push(row.id);
      }
      return ids;
    });
    return this.alertRows(this.db, 'a.id = ANY(?::int[])', [ids], ids.length);
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
    const where = terms.join(' AND ') || 'TRUE';
    return this.snapshot(async (db) => {
      const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM alerts a WHERE ${where}`, ...params))!.n;
      return { alerts: await this.alertRows(db, where, params, options.limit), total };
    });
  }

  async alertById(id: number): Promise<Alert | undefined> {
    return (await this.alertRows(this.db, 'a.id = ?', [id], 1))[0];
  }

  async alertMark(readerName: string): Promise<string> {
    const row = await this.db.get<{ alerts: number; reads: number }>(
      'SELECT (SELECT COALESCE(MAX(id), 0) FROM alerts) AS alerts, (SELECT COALESCE(MAX(id), 0) FROM alert_reads WHERE user_name = ?) AS reads',
      readerName,
    );
    return `${row!.alerts}.${row!.reads}`;
  }

  async markAlertRead(id: number, readerName: string, at: Date): Promise<boolean> {
    return (await this.db.run('INSERT INTO alert_reads (alert_id, user_name, at) VALUES (?, ?, ?) ON CONFLICT (alert_id, user_name) DO NOTHING', id, readerName, at.toISOString())) > 0;
  }

  async takeCharge(id: number, charge: Charge, entry: HistoryEntry): Promise<{ taken: boolean; alert: Alert }> {
    return this.tx(async (db) => {
      const changed = await db.run('UPDATE alerts SET charge_person = ?, charge_note = ?, charge_by = ?, charge_at = ? WHERE id = ? AND charge_at IS NULL', charge.person, charge.note, charge.by, charge.at, id);
      const alert = (await this.alertRows(db, 'a.id = ?', [id], 1))[0]!;
      if (changed && alert.caseId !== null) await this.appendHistory(db, alert.caseId, entry);
      return { taken: changed > 0, alert };
    });
  }

  private async alertRows(db: Sql, where: string, params: unknown[], limit: number): Promise<Alert[]> {
    const rows = await db.all<AlertSqlRow>(
      `SELECT a.*, COALESCE(c.number, s.number) AS number, COALESCE(c.year, s.year) AS year, COALESCE(c.seq, s.seq) AS seq,
              c.petitioner_name, COALESCE(c.summary, s.matter) AS summary, COALESCE(c.urgent_words, '[]') AS urgent_words, c.signatories,
              s.place AS sign_place, s.people AS sign_people, s.risk AS sign_risk, s.reporter AS sign_reporter
         FROM alerts a LEFT JOIN cases c ON c.id = a.case_id LEFT JOIN sign_reports s ON s.id = a.sign_id WHERE ${where} ORDER BY a.id DESC LIMIT ?`,
      ...params, limit,
    );
    if (rows.length === 0) return [];
    const reads = await db.all<{ alert_id: number; user_name: string; at: string }>('SELECT alert_id, user_name, at FROM alert_reads WHERE alert_id = ANY(?::int[]) ORDER BY id', rows.map((r) => r.id));
    return rows.map((r) => toAlert(r, reads));
  }

  async addAudit(record: AuditRecord): Promise<void> {
    await this.db.run('INSERT INTO audit (at, actor, kind, case_id, detail) VALUES (?, ?, ?, ?, ?)', record.at, record.actor, record.kind, record.caseId, record.detail);
  }

  /** The log's own entries, the field edits and every case's history, as one list, newest first (as the SQLite adapter reads them; NULLs sort first, as there). */
  async auditLog(query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
    const arms = [
      { table: 'audit', actor: 'actor', kind: null, columns: 'at, actor, kind, case_id, NULL::text AS field, NULL::text AS old_value, NULL::text AS new_value, NULL::text AS action, detail' },
      { table: 'field_edits', actor: 'by', kind: 'edit', columns: "at, by AS actor, 'edit'::text AS kind, case_id, field, old_value, new_value, NULL::text AS action, ''::text AS detail" },
      { table: 'history', actor: 'actor', kind: 'history', columns: "at, actor, 'history'::text AS kind, case_id, NULL::text AS field, NULL::text AS old_value, NULL::text AS new_value, action, detail" },
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
    const order = (p: string) => `${p}at DESC, ${p}kind, ${p}case_id NULLS FIRST, ${p}field NULLS FIRST, ${p}action NULLS FIRST`;
    return this.snapshot(async (db) => {
      let total = 0;
      for (const p of parts) total += (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${p.arm.table} ${p.where}`, ...p.args))!.n;
      const end = query.offset + query.limit;
      const union = parts.map((p, i) => `SELECT * FROM (SELECT ${p.arm.columns} FROM ${p.arm.table} ${p.where} ORDER BY ${order('')} LIMIT ${end}) arm${i}`).join(' UNION ALL ');
      const args = parts.flatMap((p) => p.args);
      const rows = await db.all<{
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
      }>(`SELECT l.*, c.number, c.year, c.seq FROM (${union}) l LEFT JOIN cases c ON c.id = l.case_id ORDER BY ${order('l.')} LIMIT ? OFFSET ?`, ...args, query.limit, query.offset);
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
    });
  }

  async addTemplateVersion(version: Omit<TemplateVersion, 'id'>): Promise<TemplateVersion> {
    const row = await this.db.get<{ id: number }>('INSERT INTO template_versions (type, text, by, at) VALUES (?, ?, ?, ?) RETURNING id', version.type, version.text, version.by, version.at);
    return { id: row!.id, ...version };
  }

  async templateVersions(type: string): Promise<TemplateVersion[]> {
    return this.db.all<TemplateVersion>('SELECT id, type, text, by, at FROM template_versions WHERE type = ? ORDER BY id DESC', type);
  }

  // Leaders' reception days, 包案 and cadres' duties (一岗双责).

  async addReceptionDay(day: NewReceptionDay): Promise<ReceptionDay> {
    const row = await this.db.get<{ id: number }>('INSERT INTO reception_days (day, leader, place, time, by, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', day.day, day.leader, day.place, day.time, day.by, day.at);
    return { id: row!.id, ...day };
  }

  async removeReceptionDay(id: number): Promise<ReceptionDay | undefined> {
    return this.db.get<ReceptionDay>('DELETE FROM reception_days WHERE id = ? RETURNING *', id);
  }

  async receptionDays(from: string, to: string): Promise<ReceptionDay[]> {
    return this.db.all<ReceptionDay>('SELECT * FROM reception_days WHERE day >= ? AND day <= ? ORDER BY day, id', from, to);
  }

  async setCaseLeader(caseId: number, leader: CaseLeader, entry: HistoryEntry): Promise<Case> {
    return this.tx(async (db) => {
      await this.lockCase(db, caseId);
      await db.run('UPDATE cases SET case_leader = ?, case_leader_by = ?, case_leader_at = ? WHERE id = ?', leader.leader, leader.by, leader.at, caseId);
      await this.appendHistory(db, caseId, entry);
      return this.caseRow(db, caseId);
    });
  }

  async addDutyLink(link: Omit<DutyLink, 'id'>): Promise<DutyLink | null> {
    const row = await this.db.get<{ id: number }>('INSERT INTO duty_links (cadre, unit, kind, by, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cadre, unit) DO NOTHING RETURNING id', link.cadre, link.unit, link.kind, link.by, link.at);
    return row ? { id: row.id, ...link } : null;
  }

  async removeDutyLink(cadre: string, unit: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM duty_links WHERE cadre = ? AND unit = ?', cadre, unit)) > 0;
  }

  async dutyLinks(): Promise<DutyLink[]> {
    return this.db.all<DutyLink>('SELECT * FROM duty_links ORDER BY cadre, id');
  }

  // Informants' reports of early signs (苗头), the duty roster and the contact list.

  async addSignReport(report: NewSignReport, format: (year: number, seq: number) => string): Promise<SignReport> {
    const id = await this.tx(async (db) => {
      const seq = await this.take(db, 'sign', report.year);
      const row = await db.get<{ id: number }>(
        'INSERT INTO sign_reports (year, seq, number, source, place, people, matter, risk, reporter, reported_at, by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        report.year, seq, format(report.year, seq), report.source, report.place, report.people, report.matter, report.risk, report.reporter, report.reportedAt, report.by, report.at,
      );
      return row!.id;
    });
    return (await this.signReportById(id))!;
  }

  async signReportById(id: number): Promise<SignReport | undefined> {
    const row = await this.db.get(`${SIGNS} WHERE s.id = ?`, id);
    return row ? toSign(row) : undefined;
  }

  async findSignReport(reference: string): Promise<SignReport | undefined> {
    const ref = reference.trim();
    let row = await this.db.get(`${SIGNS} WHERE s.number = ?`, ref);
    const yearSeq = ref.match(/^(\d{4})\D+(\d+)$/);
    if (!row && yearSeq) row = await this.db.get(`${SIGNS} WHERE s.year = ? AND s.seq = ?`, Number(yearSeq[1]), Number(yearSeq[2]));
    if (!row && /^\d+$/.test(ref)) row = await this.db.get(`${SIGNS} WHERE s.seq = ? ORDER BY s.year DESC LIMIT 1`, Number(ref));
    return row ? toSign(row) : undefined;
  }

  async signReports(options: { by?: string; reportedFrom?: string; reportedTo?: string } = {}): Promise<SignReport[]> {
    const terms: string[] = [];
    const params: unknown[] = [];
    if (options.by !== undefined) (terms.push('s.by = ?'), params.push(options.by));
    if (options.reportedFrom !== undefined) (terms.push('s.reported_at >= ?'), params.push(options.reportedFrom));
    if (options.reportedTo !== undefined) (terms.push('s.reported_at < ?'), params.push(options.reportedTo));
    const where = terms.length ? `WHERE ${terms.join(' AND ')}` : '';
    return (await this.db.all(`${SIGNS} ${where} ORDER BY s.year DESC, s.seq DESC`, ...params)).map(toSign);
  }

  async endSignReport(id: number, end: { status: 'case' | 'closed'; caseId: number | null; outcome: string; by: string; at: string }): Promise<boolean> {
    return (await this.db.run("UPDATE sign_reports SET status = ?, case_id = ?, outcome = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'", end.status, end.caseId, end.outcome, end.by, end.at, id)) > 0;
  }

  async setDutyShift(shift: NewDutyShift): Promise<DutyShift> {
    return (await this.db.get<DutyShift>(
      `INSERT INTO duty_roster (day, person, phone, post, by, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (day, person) DO UPDATE SET phone = excluded.phone, post = excluded.post, by = excluded.by, at = excluded.at RETURNING *`,
      shift.day, shift.person, shift.phone, shift.post, shift.by, shift.at,
    ))!;
  }

  async removeDutyShift(id: number): Promise<DutyShift | undefined> {
    return this.db.get<DutyShift>('DELETE FROM duty_roster WHERE id = ? RETURNING *', id);
  }

  async dutyShifts(from: string, to: string): Promise<DutyShift[]> {
    return this.db.all<DutyShift>('SELECT * FROM duty_roster WHERE day >= ? AND day <= ? ORDER BY day, id', from, to);
  }

  async setContact(contact: NewContact): Promise<Contact> {
    const row = (await this.db.get<Omit<Contact, 'phones'> & { phones: string }>(
      `INSERT INTO contacts (name, post, phones, by, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET post = excluded.post, phones = excluded.phones, by = excluded.by, at = excluded.at RETURNING *`,
      contact.name, contact.post, JSON.stringify(contact.phones), contact.by, contact.at,
    ))!;
    return { ...row, phones: JSON.parse(row.phones) as string[] };
  }

  async removeContact(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM contacts WHERE name = ?', name)) > 0;
  }

  async contacts(): Promise<Contact[]> {
    const rows = await this.db.all<Omit<Contact, 'phones'> & { phones: string }>('SELECT * FROM contacts ORDER BY id');
    return rows.map((r) => ({ ...r, phones: JSON.parse(r.phones) as string[] }));
  }

  async addScreening(screening: NewScreening): Promise<Screening> {
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO screenings (cadre, unit, day, finding, by, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      screening.cadre, screening.unit, screening.day, screening.finding ? JSON.stringify(screening.finding) : null, screening.by, screening.at,
    );
    return { id: row!.id, ...screening };
  }

  async screenings(from: string, to: string): Promise<Screening[]> {
    const rows = await this.db.all<Omit<Screening, 'finding'> & { finding: string | null }>('SELECT * FROM screenings WHERE day >= ? AND day <= ? ORDER BY day, id', from, to);
    return rows.map((r) => ({ ...r, finding: r.finding ? (JSON.parse(r.finding) as ScreeningFinding) : null }));
  }

  private async caseRow(db: Sql, id: number): Promise<Case> {
    const row = await db.get(`${CASES} WHERE c.id = ?`, id);
    if (!row) throw new RangeError(`no case ${id}`);
    return toCase(row);
  }

  private async detailOf(db: Sql, row: Case): Promise<CaseDetail> {
    const documents = await db.all<DocumentRecord & { source_name?: string | null }>('SELECT * FROM documents WHERE case_id = ? ORDER BY id', row.id);
    const edits = await db.all<{ field: FieldName; old_value: string | null; new_value: string | null; by: string; at: string }>(
      'SELECT field, old_value, new_value, by, at FROM field_edits WHERE case_id = ? ORDER BY id',
      row.id,
    );
    return {
      ...row,
      pages: await this.pagesOf(db, row.id),
      documents: documents.map((d) => ({ role: d.role, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes, kind: d.kind ?? null, text: d.text ?? null, sourceName: d.source_name ?? null })),
      history: await this.historyOf(db, row.id),
      personLetters: (await this.samePersonCases(db, row.fields, 1_000_000, row.id)).length + 1,
      edits: edits.map((e): FieldEdit => ({ field: e.field, oldValue: e.old_value, newValue: e.new_value, by: e.by, at: e.at })),
      corrections: await this.correctionsOf(db, row.id),
    };
  }
}

/** A case's entry in the search index (its squeezed text and the set of its character pairs), made or renewed inside the caller's transaction. */
export async function indexCase(db: Sql, row: Case): Promise<void> {
  const text = searchableText(row);
  await db.run(
    'INSERT INTO case_search (case_id, grams, squeezed) VALUES (?, ?::text[], ?) ON CONFLICT (case_id) DO UPDATE SET grams = excluded.grams, squeezed = excluded.squeezed',
    row.id, [...new Set(bigrams(text))], squeeze(text),
  );
}

/** Every case query reads through this (exported for the registry copy, which indexes the cases it copied). */
export const CASE_ROWS = CASES;

/** Letters and digits only, lower case: the text SQLite's pairs are cut from (domain bigrams()). */
function squeeze(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** What search() and the list's text filter look for: the query squeezed and its distinct pairs; null when it cannot be searched. */
function searchProbe(query: string): { squeezed: string; grams: string[] } | null {
  const grams = bigrams(query);
  if (grams.length === 0 || !isSearchable(query)) return null;
  return { squeezed: squeeze(query), grams: [...new Set(grams)] };
}

/** The WHERE of a case list query, every value a bound parameter; null when no case can match. */
function caseFilter(query: CaseQuery): { where: string; params: unknown[] } | null {
  const terms: string[] = [];
  const params: unknown[] = [];
  const term = (sql: string, ...values: unknown[]) => {
    terms.push(sql);
    params.push(...values);
  };
  if (query.status) {
    if (query.status.length === 0) return null;
    term('c.status = ANY(?::text[])', query.status);
  }
  if (query.category !== undefined) term('c.category = ?', query.category);
  if (query.channel !== undefined) term('c.channel = ?', query.channel);
  if (query.handler !== undefined) term('c.handler = ?', query.handler);
  if (query.caseLeader !== undefined) term('c.case_leader = ?', query.caseLeader);
  if (query.receivedFrom !== undefined) term('c.received_at >= ?', storedInstant(query.receivedFrom));
  if (query.receivedTo !== undefined) term('c.received_at < ?', storedInstant(query.receivedTo));
  // Flags are written by JSON.stringify, so a flag is in the array exactly when its JSON string is in the text.
  if (query.flag !== undefined) term('strpos(c.flags, ?) > 0', JSON.stringify(query.flag));
  if (query.year !== undefined) term('c.year = ?', query.year);
  if (query.noCategory) term('c.category IS NULL');
  if (query.handlingType !== undefined) term(query.handlingType === null ? 'c.handling_type IS NULL' : 'c.handling_type = ?', ...(query.handlingType === null ? [] : [query.handlingType]));
  if (query.firstOnly) term('c.repeat_of IS NULL');
  if (query.numbers !== undefined) {
    if (query.numbers.length === 0) return null;
    term('c.number = ANY(?::text[])', query.numbers);
  }
  if (query.text !== undefined) {
    const probe = searchProbe(query.text);
    if (!probe) return null;
    term('c.id IN (SELECT case_id FROM case_search WHERE grams @> ?::text[] AND strpos(squeezed, ?) > 0)', probe.grams, probe.squeezed);
  }
  return { where: terms.length ? terms.join(' AND ') : 'TRUE', params };
}

function userRow(raw: unknown): UserRecord {
  const r = raw as { id: number; name: string; role: Role; password_hash: string; disabled: number; created_at: string };
  return { id: r.id, name: r.name, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at };
}
