/**
 * The registry as the services see it: an interface of ours, split by concern, every call async so
 * the store may sit on another machine. SQLite (adapters/sqlite) is the embedded default; any other
 * adapter must pass the contract suite in test/contract/.
 */
import type { Alert, Charge, NewAlert } from '../domain/alerts.js';
import type { AuditQuery, AuditRecord, AuditRow } from '../domain/audit.js';
import type { Case, CaseDetail, DocumentRecord, DocumentRole, NewPetition, ReviewItem, SearchHit, VolumeRecord } from '../domain/case.js';
import type { Extraction } from '../domain/extract/letter-fields.js';
import type { FieldName, LetterFields } from '../domain/fields.js';
import type { Flag } from '../domain/flags.js';
import type { ChainedEntry, HistoryEntry } from '../domain/history.js';
import type { Role } from '../domain/roles.js';
import type { CaseStatus, Workflow } from '../domain/workflow.js';
import type { StatsCase, StatsQuery, StatsRead } from '../domain/reports/stats.js';
import type { CaseLeader, DutyLink, NewReceptionDay, NewScreening, ReceptionDay, Screening } from '../domain/duties.js';
import type { NewSignReport, SignReport } from '../domain/signs.js';
import type { Contact, DutyShift, NewContact, NewDutyShift } from '../domain/roster.js';

/** Recomputes a case's flags after its fields changed (group size, ID checksum). */
export interface ClassifierExamples {
  version: number;
  /** Each letter's text with the values a clerk confirmed (null where the program's judgement stands). */
  examples: { text: string; category: string | null; handlingType: string | null }[] | null;
}

export type FlagsFor = (fields: LetterFields, flags: readonly Flag[]) => Flag[];

export type Registered = { created: true; case: Case } | { created: false; existing: Case };

/** Numbering and the cases themselves. */
export interface CaseStore {
  /**
   * Numbers and records a petition in one transaction: the next number of its year from a counter
   * taken under a lock (never skipped, never given twice, however many writers), the repeat link,
   * the registration in the history. A scan registered before (same bytes) gives that case back.
   */
  register(petition: NewPetition, folderFor: (year: number, number: string) => string): Promise<Registered>;
  caseById(id: number): Promise<Case>;
  detail(id: number): Promise<CaseDetail>;
  /** By its full number, by `2026-7`, or by a bare sequence number in the latest year. */
  findCase(reference: string): Promise<CaseDetail | undefined>;
  caseByNumber(number: string): Promise<Case | undefined>;
  listCases(): Promise<Case[]>;
  /** Every case, only what the statistics read of it, in number order: a year of a busy office read whole, fast. */
  listStatsCases(): Promise<StatsCase[]>;
  /** What a period's figures are made from, the same as readStats over listStatsCases: the counts added up by the store, only the cases needing a rule per case read out. */
  statsRead(query: StatsQuery): Promise<StatsRead>;
  /** Changes whenever a case is written, by this process or another (not when a session is): figures worked out from the cases may be kept until then. */
  changeMark(): Promise<string>;
  /** Cases not closed under a 督办 still waiting for the handler's answer, in number order. */
  supervisedCases(): Promise<Case[]>;
  /** Cases not closed, for the deadline list. */
  openCases(): Promise<Case[]>;
  /** The cases of a year in number order, a page at a time, for long listings. */
  casesOfYear(year: number): AsyncIterable<Case>;
  /** A clerk's corrections, each recorded with who and when and marked as the clerk's, and an entry in the history when anything changed. */
  /**
   * A clerk's correction: changed fields recorded with who and when, flags recomputed; with
   * `reviewed`, the case is marked as looked at and leaves the review queue. A correction that
   * makes the petitioner someone with an earlier case links it as a repeat, as intake would.
   * The history entry is written when a field changed or the case was marked reviewed.
   */
  editFields(caseId: number, changes: Partial<LetterFields>, by: string, at: Date, flagsFor: FlagsFor, entry?: HistoryEntry, options?: { reviewed?: boolean }): Promise<Case>;
  /** An automatic pass over a case: fields a clerk set are kept as they are. */
  applyExtraction(caseId: number, extraction: Extraction, flagsFor: FlagsFor): Promise<Case>;
  /** Cases a person should look at, worst first; with openOnly, only cases not yet closed. */
  /**
   * The letters whose category or handling type a clerk gave or confirmed, latest first, for the
   * classifiers to learn from; `version` changes whenever one is added or changed. Given the
   * version the caller already has, and nothing changed since, no letters are read (examples null).
   */
  classifierExamples(limit: number, knownVersion?: number): Promise<ClassifierExamples>;
  reviewQueue(lowConfidence: number, keyFields: readonly FieldName[], options?: { openOnly?: boolean; judgedBelow?: number }): Promise<ReviewItem[]>;
  /** Any Chinese substring of two characters or more, ranked. */
  search(query: string, limit: number): Promise<SearchHit[]>;
  /** One page of cases matching a filter, in the order asked, and how many match in all. */
  queryCases(query: CaseQuery): Promise<{ cases: Case[]; total: number }>;
}

/** What the letter's text, once corrected, is read for again: fields and flags, as an automatic pass reads them. */
export type Reread = (text: string) => { extraction: Extraction; flagsFor: FlagsFor };

/** A clerk's readings of scanned lines, beside the OCR's. */
export interface LineStore {
  /**
   * Records corrections of lines of one page in one transaction: each kept with the OCR's text of
   * the line, who and when (earlier ones stay on record; the OCR text is never changed); the
   * letter's text with them written; the fields a clerk did not set read again from it (`reread`);
   * the history entry chained; the search index renewed.
   */
  correctLines(caseId: number, pageNo: number, lines: { line: number; text: string }[], by: string, at: Date, entry: HistoryEntry, reread: Reread): Promise<Case>;
}

export type CaseSort = 'received-desc' | 'received-asc' | 'number-desc' | 'number-asc';

/** The web case list's question: every filter given must hold (AND); a filter left out holds for every case. */
export interface CaseQuery {
  /** Any of these; an empty list matches no case. */
  status?: CaseStatus[];
  category?: string;
  channel?: string;
  /** The handler the leader's instruction named. */
  handler?: string;
  /** The leader in charge of the case (包案). */
  caseLeader?: string;
  /** ISO instant, inclusive. */
  receivedFrom?: string;
  /** ISO instant, exclusive. */
  receivedTo?: string;
  /** One flag, e.g. 'urgent'. */
  flag?: string;
  /** Cases numbered in this year. */
  year?: number;
  /** No category given or found (the statistics' 未分类). */
  noCategory?: boolean;
  /** One handling type; null: none given or found. */
  handlingType?: string | null;
  /** Only first petitions (初信初访: repeating no earlier one). */
  firstOnly?: boolean;
  /** Only these cases, by full number (a figure of the statistics worked out by the service). */
  numbers?: string[];
  /** Cases whose text or fields contain this, as search() finds them; fewer than two letters or digits match no case. */
  text?: string;
  /** Default 'received-desc'; cases received at the same instant follow their numbers the same way round. Urgent cases are not put first here. */
  sort?: CaseSort;
  /** Page size: a whole number, 0 or more. */
  limit: number;
  /** Cases skipped before the page: a whole number, 0 or more. */
  offset: number;
}

export type StepApplied = { applied: true; case: Case } | { applied: false; current: Case };

export interface WorkflowStore {
  /**
   * Takes a step in one transaction: the status checked again under the lock (another person may
   * have taken a step first), the case updated, its documents recorded, the history chained.
   */
  applyStep(caseId: number, from: readonly CaseStatus[], next: { status: CaseStatus; workflow: Workflow }, entry: HistoryEntry, documents: DocumentRecord[]): Promise<StepApplied>;
}

export interface CaseChain {
  number: string;
  status: CaseStatus;
  entries: ChainedEntry[];
  head: { hash: string | null; count: number };
}

export interface HistoryStore {
  history(caseId: number): Promise<ChainedEntry[]>;
  /** Every case's chain with its head, one case at a time: for verification. */
  chains(): AsyncIterable<CaseChain>;
}

export interface KnownDocument extends DocumentRecord {
  caseNumber: string;
  folder: string;
}

export interface DocumentStore {
  addDocuments(caseId: number, documents: DocumentRecord[]): Promise<void>;
  /** Records documents unless the case has an issued one of this kind; false if it had. */
  addDocumentsUnlessKind(caseId: number, kind: string, documents: DocumentRecord[]): Promise<boolean>;
  hasDocument(caseId: number, role: DocumentRole, kind: string): Promise<boolean>;
  /** Cases taken in completely with no issued document of this kind, oldest first, after `afterId`. */
  casesWithout(kind: string, limit: number, afterId: number): Promise<Case[]>;
  /** A returned paper filed with exactly these bytes, and the inbox name it came under. */
  findReturnedPaper(sha256: string): Promise<{ case: Case; sourceName: string | null } | undefined>;
  /** Files a returned paper with its history entry; the same bytes filed twice are recorded once. */
  fileReturnedPaper(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): Promise<{ case: Case; filed: boolean }>;
  allDocuments(): Promise<KnownDocument[]>;
  caseFolders(): Promise<string[]>;
  /** The SHA-256 recorded for a document or volume at this path (relative to the workspace), or null. */
  recordedSha(path: string): Promise<string | null>;
}

/** The intake's journal: a case committed before its files are in place is finished on the next start. */
export interface IntakeJournal {
  /** The case whose letter, or one of whose original or returned pages, has exactly these bytes. */
  findByContent(sha256: string): Promise<Case | undefined>;
  unfinishedIntakes(): Promise<Case[]>;
  markIntakeDone(caseId: number): Promise<void>;
  /** Notes who handed these files in (before they are put in the inbox). */
  noteUploads(uploads: { sha256: string; name: string; by: string; at: Date }[]): Promise<void>;
  /** Who last handed in a file with one of these fingerprints; undefined for a scan from the shared folder. */
  uploaderOf(sha256s: string[]): Promise<string | undefined>;
}

export interface BindingStore {
  /** The archival reference, drawn once from a counter per year and retention; a case that has one keeps it. */
  assignReference(caseId: number, retention: string, at: Date, format: (item: number) => string): Promise<Case>;
  /** Records a case's volume and manifest, replacing an earlier binding's, with a history entry. */
  recordBinding(caseId: number, documents: DocumentRecord[], entry: HistoryEntry): Promise<Case>;
  /** Every year volume on record, superseded editions included, by year, volume and edition. */
  volumes(year?: number): Promise<VolumeRecord[]>;
  /**
   * Records newly made year volumes, with a history entry on each case they hold; with
   * `supersede`, the year's current volumes are first marked superseded (never deleted).
   */
  addYearVolumes(year: number, volumes: VolumeRecord[], options: { supersede: boolean; entry: (v: VolumeRecord) => HistoryEntry }): Promise<void>;
}

/**
 * The journal of files the program makes for the registry. A file is written under a temporary
 * name and noted here with its final name and fingerprint, then recorded, then put in place; a
 * file it replaces is noted for removal. Whoever finds a note whose writer stopped finishes the
 * work if the registry recorded it (same fingerprint at that path) and undoes it otherwise, so a
 * stop at any moment leaves no file the registry does not know and no record without its file.
 */
export interface FileJournal {
  noteFiles(owner: string, files: { temp: string; final: string; sha256: string }[]): Promise<number[]>;
  noteRemovals(owner: string, paths: string[]): Promise<number[]>;
  forget(ids: number[]): Promise<void>;
  notes(): Promise<FileNote[]>;
}

export type FileNote =
  | { id: number; owner: string; kind: 'write'; temp: string; final: string; sha256: string }
  | { id: number; owner: string; kind: 'remove'; final: string };

export interface UserRecord {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  passwordHash: string;
  createdAt: string;
}

/** The people who sign in, their sessions, and failed sign-ins (kept in the store, so every process sees them). */
export interface UserStore {
  /** Adds a user; null when the name is taken. */
  addUser(user: Omit<UserRecord, 'id' | 'disabled'>): Promise<UserRecord | null>;
  userByName(name: string): Promise<UserRecord | undefined>;
  userById(id: number): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: number, changes: Partial<Pick<UserRecord, 'role' | 'disabled' | 'passwordHash'>>): Promise<UserRecord>;
  /** Failed sign-ins in a row for a key (a user name), and when the last was. */
  signInFailures(key: string): Promise<{ count: number; last: string } | undefined>;
  recordSignInFailure(key: string, at: Date): Promise<number>;
  clearSignInFailures(key: string): Promise<void>;
  saveSession(id: string, data: string, expiresAt: Date): Promise<void>;
  session(id: string): Promise<{ data: string; expiresAt: string } | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;
}

/** Who reads alerts: a person by name and role; no role (the terminal) reads every alert. */
export interface AlertReader {
  name: string;
  role?: Role;
}

/** Alerts to leaders and handlers, each once by its key; who read each, and who took charge. */
export interface AlertStore {
  /** Records the alerts whose key is new; those on record already stay as they are. Returns the ones recorded now. */
  addAlerts(alerts: NewAlert[]): Promise<Alert[]>;
  /** The reader's alerts, latest first: with unreadOnly those the reader has not marked read; with awaitingCharge urgent and group alerts no one has taken charge of. */
  alertsFor(reader: AlertReader, options: { unreadOnly?: boolean; awaitingCharge?: boolean; limit: number }): Promise<{ alerts: Alert[]; total: number }>;
  alertById(id: number): Promise<Alert | undefined>;
  /** Changes whenever an alert is added or the reader marks one read: a poller asks this first, cheaply. */
  alertMark(readerName: string): Promise<string>;
  /** False when the reader had read it already. */
  markAlertRead(id: number, readerName: string, at: Date): Promise<boolean>;
  /** Records who took charge, with the entry in the case's history, in one transaction; the first record stands. */
  takeCharge(id: number, charge: Charge, entry: HistoryEntry): Promise<{ taken: boolean; alert: Alert }>;
}

export interface TemplateVersion {
  id: number;
  type: string;
  text: string;
  by: string;
  at: string;
}

/** The audit log and every saved version of the office's templates. */
export interface AdminStore {
  addAudit(record: AuditRecord): Promise<void>;
  auditLog(query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }>;
  addTemplateVersion(version: Omit<TemplateVersion, 'id'>): Promise<TemplateVersion>;
  /** Newest first. */
  templateVersions(type: string): Promise<TemplateVersion[]>;
}

/** Leaders' reception days, the leader in charge of a case (包案), cadres' linked units and their screenings (一岗双责). */
export interface DutyStore {
  addReceptionDay(day: NewReceptionDay): Promise<ReceptionDay>;
  /** The day removed, or undefined when there was none with this id. */
  removeReceptionDay(id: number): Promise<ReceptionDay | undefined>;
  /** Local days, both included, in day order. */
  receptionDays(from: string, to: string): Promise<ReceptionDay[]>;
  /** Names the leader in charge, with the entry in the case's history, in one transaction. */
  setCaseLeader(caseId: number, leader: CaseLeader, entry: HistoryEntry): Promise<Case>;
  /** null when the cadre is linked to this unit already. */
  addDutyLink(link: Omit<DutyLink, 'id'>): Promise<DutyLink | null>;
  removeDutyLink(cadre: string, unit: string): Promise<boolean>;
  dutyLinks(): Promise<DutyLink[]>;
  addScreening(screening: NewScreening): Promise<Screening>;
  /** Screenings of local days from–to, both included, in day order. */
  screenings(from: string, to: string): Promise<Screening[]>;
}

/** Informants' reports of early signs (苗头), numbered apart from the cases. */
export interface SignStore {
  /** Numbers and records a report in one transaction: the next number of its year from the counter 'sign', under the write lock (never skipped, never given twice). */
  addSignReport(report: NewSignReport, format: (year: number, seq: number) => string): Promise<SignReport>;
  signReportById(id: number): Promise<SignReport | undefined>;
  /** By its full number, by `2026-3`, or by a bare sequence number in the latest year. */
  findSignReport(reference: string): Promise<SignReport | undefined>;
  /** Latest first; with `by`, only those this person recorded; with from/to, reported on those local days (instants given, to exclusive). */
  signReports(options?: { by?: string; reportedFrom?: string; reportedTo?: string }): Promise<SignReport[]>;
  /** Ends an open report (turned into a case, or closed with what was done); false when it was no longer open. */
  endSignReport(id: number, end: { status: 'case' | 'closed'; caseId: number | null; outcome: string; by: string; at: string }): Promise<boolean>;
}

/** The leading group's duty roster and contact list. */
export interface RosterStore {
  /** Puts a person on duty on a day; the same person on the same day again replaces their phone and post. */
  setDutyShift(shift: NewDutyShift): Promise<DutyShift>;
  removeDutyShift(id: number): Promise<DutyShift | undefined>;
  /** Local days, both included, in day order and the order written. */
  dutyShifts(from: string, to: string): Promise<DutyShift[]>;
  /** Adds a contact, or replaces the post and phones of the one with this name. */
  setContact(contact: NewContact): Promise<Contact>;
  removeContact(name: string): Promise<boolean>;
  contacts(): Promise<Contact[]>;
}

export interface Store extends CaseStore, LineStore, WorkflowStore, HistoryStore, DocumentStore, IntakeJournal, BindingStore, FileJournal, UserStore, AlertStore, AdminStore, DutyStore, SignStore, RosterStore {
  close(): Promise<void>;
}
