/** A petition as the office registers it: the case, its documents, its pages and its edits. */
import type { LineCorrection } from './corrections.js';
import type { Extraction } from './extract/letter-fields.js';
import type { FieldName, LetterFields, Provenance } from './fields.js';
import type { Flag } from './flags.js';
import type { ChainedEntry } from './history.js';
import type { Role } from './roles.js';
import type { CaseLeader } from './duties.js';
import type { CaseStatus, Workflow } from './workflow.js';

export type Channel = '来信' | '来访' | '电话' | '网上' | '转办';
export const CHANNELS: readonly Channel[] = ['来信', '来访', '电话', '网上', '转办'];

/**
 * Who takes a step or makes a change: a person, named in the history. A person signed in to the
 * web carries their role, and the services hold them to it; the administrator's terminal carries none.
 */
export interface Actor {
  name: string;
  role?: Role;
  /**
   * In a district: the community whose user this is (their role holds there only), or null for
   * a district user, who reads every community. Absent for an office on its own and the terminal.
   */
  community?: string | null;
}

/** The history's actor for what the program does by itself. */
export const SYSTEM_ACTOR = '系统';

/** One page of a scanned letter as read. */
export interface PageRecord {
  text: string;
  confidence: number;
  lowConfidence: boolean;
  rotation: number;
  skew: number;
  lines: { text: string; confidence: number; box: [number, number, number, number] }[];
  /** Size of the upright frame the line boxes are in (absent for pages read before it was kept). */
  frame?: { width: number; height: number };
}

/**
 * original: the resident's scan as received; searchable: its PDF with text; issued: a document
 * the office made (notices, replies, forms); returned: one of those come back on paper (signed,
 * stamped) and scanned in; received: a paper from outside filed into the case (the petitioner's
 * request for 复查/复核, the body's decision); volume and manifest: what binding made.
 */
export type DocumentRole = 'original' | 'searchable' | 'issued' | 'returned' | 'received' | 'volume' | 'manifest';

export interface DocumentRecord {
  role: DocumentRole;
  /** For issued and returned papers: the kind of document (批办单, 信访处理意见书, …). */
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
  flags: Flag[];
  pages: PageRecord[];
  ocrEngine: string | null;
  /** For scans: the inbox item, its fingerprint and where its files wait to be moved. */
  source?: { name: string; sha256: string; stagingDir: string };
  /** For transferred cases: the office it came from and its number there. */
  transfer?: { office: string; number: string };
  /** A visit: the leader who received the visitor. */
  receivedBy?: string;
  /** Who registered it, for the history; scans are registered by the program itself. */
  registeredBy?: string;
  /** Documents with paths relative to the case folder; the folder is known once numbered. */
  documents: (Omit<DocumentRecord, 'path'> & { fileName: string })[];
}

/** The archival reference a bound case carries on the shelf (档号), never changed once given. */
export interface Binding {
  ref: string;
  item: number;
  retention: string;
  boundAt: string;
}

/** The program's confidence in the values it judged rather than read. */
export type Judged = Partial<Record<'category' | 'handlingType', number>>;

export interface Case {
  id: number;
  number: string;
  year: number;
  seq: number;
  status: CaseStatus;
  channel: Channel;
  receivedAt: string;
  sourceName: string | null;
  sourceSha256: string | null;
  /** Relative to the workspace root, e.g. archive/2026/八宝信〔2026〕7号. */
  folder: string;
  stagingDir: string | null;
  intakeState: 'committed' | 'done';
  ocrText: string;
  /** The letter's text with a clerk's corrections of its lines, null until a line is corrected (domain/corrections.ts). */
  correctedText: string | null;
  ocrConfidence: number | null;
  ocrEngine: string | null;
  flags: Flag[];
  fields: LetterFields;
  sources: Provenance;
  /** How sure the program was of what it judged (category, handling type), 0–1; absent for older cases. */
  judged: Judged;
  urgentWords: string[];
  repeatOf: string | null;
  transfer: { office: string; number: string } | null;
  workflow: Workflow;
  binding: Binding | null;
  /** A visit: the leader who received the visitor (on a reception day); absent or null otherwise. */
  receivedBy?: string | null;
  /** The leader who took charge of the case (包案); absent or null when none has. */
  caseLeader?: CaseLeader | null;
}

export interface FieldEdit {
  field: FieldName;
  oldValue: string | null;
  newValue: string | null;
  by: string;
  at: string;
}

export interface CaseDetail extends Case {
  pages: PageRecord[];
  documents: DocumentRecord[];
  /** How many petitions this person has made, this one included. */
  personLetters: number;
  edits: FieldEdit[];
  /** Every correction of a scanned line, oldest first; the OCR text stays in `pages`. */
  corrections: LineCorrection[];
  history: ChainedEntry[];
}

/** A year's shelf volume: bound cases in number order. */
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
  /** 1 for the volume as first bound; a rebuild asked for makes the next edition. */
  edition: number;
  /** When a later edition took this one's place; the file stays on record. */
  supersededAt: string | null;
}

export interface SearchHit {
  case: Case;
  snippet: string;
}

/** text-unread: a page's ink holds more than was read (lines not found, text lost in a shadow), or what was read is not language. */
export type ReviewReason = 'low-confidence' | 'text-unread' | 'id-checksum' | 'category-unsure';

export interface ReviewItem {
  case: Case;
  missing: FieldName[];
  reasons: ReviewReason[];
}

export function meanConfidence(pages: readonly PageRecord[]): number | null {
  if (pages.length === 0) return null;
  return pages.reduce((sum, p) => sum + p.confidence, 0) / pages.length;
}
