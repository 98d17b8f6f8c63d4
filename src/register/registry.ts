import Database from 'better-sqlite3';
import { formatCaseNumber } from './case-number.js';

export type CaseStatus = 'registered';
export type Channel = '来信' | '来访' | '电话' | '网上' | '转办';

export interface OcrPageRecord {
  text: string;
  confidence: number;
  lowConfidence: boolean;
  rotation: number;
  skew: number;
  lines: { text: string; confidence: number; box: [number, number, number, number] }[];
}

export interface DocumentRecord {
  role: 'original' | 'searchable';
  /** Relative to the workspace root. */
  path: string;
  sha256: string;
  pages: number;
  bytes: number;
}

export interface NewLetter {
  receivedAt: Date;
  year: number;
  sourceName: string;
  sourceSha256: string;
  stagingDir: string;
  ocrEngine: string;
  pages: OcrPageRecord[];
  flags: string[];
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
}

export interface CaseDetail extends CaseRow {
  pages: OcrPageRecord[];
  documents: DocumentRecord[];
}

interface NumberingRule {
  format: string;
  short: string;
}

const SCHEMA_VERSION = 1;

/** The registry: the only module that speaks SQL. One SQLite file in WAL mode. */
export class Registry {
  private readonly db: Database.Database;

  constructor(file: string, private readonly numbering: NumberingRule) {
    this.db = new Database(file, { timeout: 15_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS cases (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        number TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        channel TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source_name TEXT,
        source_sha256 TEXT,
        folder TEXT NOT NULL,
        staging_dir TEXT,
        intake_state TEXT NOT NULL,
        ocr_text TEXT NOT NULL DEFAULT '',
        ocr_confidence REAL,
        ocr_engine TEXT,
        flags TEXT NOT NULL DEFAULT '[]',
        UNIQUE (year, seq)
      );
      CREATE INDEX IF NOT EXISTS cases_source_sha ON cases(source_sha256);
      CREATE TABLE IF NOT EXISTS pages (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        page_no INTEGER NOT NULL,
        text TEXT NOT NULL,
        confidence REAL NOT NULL,
        low_confidence INTEGER NOT NULL,
        rotation INTEGER NOT NULL,
        skew REAL NOT NULL,
        lines TEXT NOT NULL,
        PRIMARY KEY (case_id, page_no)
      );
      CREATE TABLE IF NOT EXISTS documents (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        role TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        pages INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
    `);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  /** The case whose letter, or one of whose original pages, has exactly these bytes. */
  findByContent(sha256: string): CaseRow | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM cases WHERE source_sha256 = ?
         UNION SELECT c.* FROM cases c JOIN documents d ON d.case_id = c.id
           WHERE d.sha256 = ? AND d.role = 'original'
         LIMIT 1`,
      )
      .get(sha256, sha256);
    return row ? toCaseRow(row) : undefined;
  }

  /**
   * Numbers and records a letter in one transaction. BEGIN IMMEDIATE takes the write lock first,
   * so two processes on one archive can never draw the same number, and a kill before COMMIT
   * leaves no trace: numbers never skip.
   */
  registerLetter(letter: NewLetter, folderFor: (year: number, number: string) => string): CaseRow {
    const register = this.db.transaction(() => {
      const already = this.db.prepare('SELECT * FROM cases WHERE source_sha256 = ?').get(letter.sourceSha256);
      if (already) return { row: toCaseRow(already), created: false };
      const seq = this.nextSeq(letter.year);
      const number = formatCaseNumber(this.numbering.format, { short: this.numbering.short, year: letter.year, seq });
      const folder = folderFor(letter.year, number);
      const confidence = meanConfidence(letter.pages);
      const text = letter.pages.map((p) => p.text).join('\n\n');
      const info = this.db
        .prepare(
          `INSERT INTO cases (year, seq, number, status, channel, received_at, source_name, source_sha256,
             folder, staging_dir, intake_state, ocr_text, ocr_confidence, ocr_engine, flags)
           VALUES (?, ?, ?, 'registered', '来信', ?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?)`,
        )
        .run(
          letter.year, seq, number, letter.receivedAt.toISOString(), letter.sourceName, letter.sourceSha256,
          folder, letter.stagingDir, text, confidence, letter.ocrEngine, JSON.stringify(letter.flags),
        );
      const caseId = Number(info.lastInsertRowid);
      const insertPage = this.db.prepare(
        'INSERT INTO pages (case_id, page_no, text, confidence, low_confidence, rotation, skew, lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      letter.pages.forEach((p, i) =>
        insertPage.run(caseId, i + 1, p.text, p.confidence, p.lowConfidence ? 1 : 0, p.rotation, p.skew, JSON.stringify(p.lines)),
      );
      const insertDoc = this.db.prepare(
        'INSERT INTO documents (case_id, role, path, sha256, pages, bytes) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const d of letter.documents) insertDoc.run(caseId, d.role, `${folder}/${d.fileName}`, d.sha256, d.pages, d.bytes);
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

  /** Cases committed but whose files were not yet moved into place (the process stopped in between). */
  unfinishedIntakes(): CaseRow[] {
    return this.db.prepare(`SELECT * FROM cases WHERE intake_state = 'committed' ORDER BY id`).all().map(toCaseRow);
  }

  markIntakeDone(caseId: number): void {
    this.db.prepare(`UPDATE cases SET intake_state = 'done', staging_dir = NULL WHERE id = ?`).run(caseId);
  }

  listCases(): CaseRow[] {
    return this.db.prepare('SELECT * FROM cases ORDER BY year, seq').all().map(toCaseRow);
  }

  /** Finds a case by its full number, by `2026-7`, or by a bare sequence number in the latest year. */
  findCase(reference: string): CaseDetail | undefined {
    const ref = reference.trim();
    let row = this.db.prepare('SELECT * FROM cases WHERE number = ?').get(ref);
    const yearSeq = ref.match(/^(\d{4})\D+(\d+)$/);
    if (!row && yearSeq) row = this.db.prepare('SELECT * FROM cases WHERE year = ? AND seq = ?').get(Number(yearSeq[1]), Number(yearSeq[2]));
    if (!row && /^\d+$/.test(ref)) {
      row = this.db.prepare('SELECT * FROM cases WHERE seq = ? ORDER BY year DESC LIMIT 1').get(Number(ref));
    }
    return row ? this.detail(toCaseRow(row)) : undefined;
  }

  private caseById(id: number): CaseRow {
    return toCaseRow(this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id));
  }

  private detail(row: CaseRow): CaseDetail {
    const pages = this.db.prepare('SELECT * FROM pages WHERE case_id = ? ORDER BY page_no').all(row.id) as PageSqlRow[];
    const documents = this.db.prepare('SELECT * FROM documents WHERE case_id = ? ORDER BY id').all(row.id) as DocumentRecord[];
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
      documents: documents.map((d) => ({ role: d.role, path: d.path, sha256: d.sha256, pages: d.pages, bytes: d.bytes })),
    };
  }
}

/** Another process registered the same letter first; ours is simply not needed. */
export class DuplicateRaceError extends Error {
  constructor(readonly existing: CaseRow) {
    super(`letter already registered as ${existing.number}`);
  }
}

interface PageSqlRow {
  text: string;
  confidence: number;
  low_confidence: number;
  rotation: number;
  skew: number;
  lines: string;
}

function meanConfidence(pages: OcrPageRecord[]): number | null {
  if (pages.length === 0) return null;
  return pages.reduce((sum, p) => sum + p.confidence, 0) / pages.length;
}

function toCaseRow(raw: unknown): CaseRow {
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
  };
}
