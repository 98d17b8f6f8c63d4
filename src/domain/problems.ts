/**
 * Every expected failure, as data: a code and what it is about (which case, which step, which
 * field). The program never words a problem where it finds one: each face says it to its own
 * audience (the CLI in interfaces/cli/words.ts, a set-aside note and a web page from words.ts).
 */
import type { DocumentType } from './document-types.js';
import type { FieldName } from './fields.js';
import type { TemplateIssue } from './template-check.js';
import type { CaseStatus, Refusal, Step } from './workflow.js';
import { problemText } from './words.js';

/** A value of the settings file that is not as the schema wants it. */
export type SettingsIssue =
  | { key: string; kind: 'one-of'; values: string[] }
  | { key: string; kind: 'missing' }
  | { key: string; kind: 'type'; expected: string }
  | { key: string; kind: 'too-small'; limit: string; text: boolean }
  | { key: string; kind: 'too-big'; limit: string; text: boolean }
  | { key: string; kind: 'unknown-keys'; keys: string[] }
  | { key: string; kind: 'workers' }
  | { key: string; kind: 'letters-and-digits' }
  | { key: string; kind: 'folder-name' }
  | { key: string; kind: 'time-zone' }
  | { key: string; kind: 'other' }
  | { key: string; kind: 'date' }
  | { key: string; kind: 'period-order' }
  | { key: string; kind: 'unsatisfied-missing' }
  | { key: string; kind: 'connection-string' }
  | { key: string; kind: 'community-code' }
  | { key: string; kind: 'community-twice'; community: string }
  | { key: string; kind: 'district-only' }
  | { key: string; kind: 'district-needs-postgres' };

/** Which clerk's value is wrong and by which rule. */
export type FieldRule = 'phone' | 'id-number' | 'date' | 'signatories' | 'summary-length' | 'category' | 'handling-type';

/** What a step needs that was not given. */
export type StepInput = 'leader' | 'instruction' | 'decline-reason' | 'extension-reason' | 'facts' | 'return-reason' | 'supervision-demand' | 'supervision-answer' | 'visit-by' | 'review-body';

/** What a case still lacks before it can be bound. */
export type BindingNeed = { need: 'closed'; status: CaseStatus } | { need: 'instruction' } | { need: 'reply' } | { need: 'review-decision'; stage: string; body: string; requestedOn: string; answerDue: string };

/** A scan file that cannot be read; `file` names the page file when the letter is a folder of pages. */
export type ScanProblem = (
  | { code: 'empty' }
  | { code: 'unsupported' }
  | { code: 'corrupt'; format: string }
  | { code: 'encrypted' }
  | { code: 'no-pages'; in: 'file' | 'folder' }
  | { code: 'too-many-pages'; max: number; pages: number | null }
  | { code: 'too-many-pixels'; maxMegapixels: number | null; width: number | null; height: number | null }
) & { file?: string };

const SCAN_CODES: ReadonlySet<string> = new Set(['empty', 'unsupported', 'corrupt', 'encrypted', 'no-pages', 'too-many-pages', 'too-many-pixels']);

export function isScanProblem(p: Problem): p is ScanProblem {
  return SCAN_CODES.has(p.code);
}

export type Problem =
  // A scan that cannot be taken in (each is set aside with a note saying why).
  | ScanProblem
  | { code: 'too-large'; megabytes: number; max: number }
  | { code: 'unknown-paper-case'; caseNumber: string; kind: string }
  | { code: 'duplicate'; of: string; sourceName: string }
  | { code: 'duplicate-paper'; of: string }
  | { code: 'internal-error'; attempts: number }
  // The workspace and its settings.
  | { code: 'settings-missing'; file: string }
  | { code: 'settings-syntax'; file: string; line: number | null }
  | { code: 'settings-invalid'; file: string; issues: SettingsIssue[] }
  | { code: 'settings-number-format'; file: string; format: string }
  | { code: 'settings-category-twice'; file: string; category: string }
  | { code: 'settings-sign-number-format'; file: string; format: string }
  | { code: 'settings-risk-twice'; file: string; level: string }
  | { code: 'settings-no-other-category'; file: string }
  | { code: 'font-missing'; key: string; file: string }
  | { code: 'not-a-workspace'; root: string }
  | { code: 'workspace-exists'; root: string }
  | { code: 'registry-damaged'; file: string }
  /** The PostgreSQL server of the settings' store.postgres did not answer or refused (`server` without its password). */
  | { code: 'registry-unreachable'; server: string; reason: string }
  // Moving a community's SQLite archive into the PostgreSQL registry (migrate).
  | { code: 'migrate-no-registry'; root: string }
  | { code: 'migrate-schema-mismatch'; root: string; step: number; expected: number }
  | { code: 'migrate-schema-differs'; table: string }
  | { code: 'migrate-target-not-postgres'; root: string }
  | { code: 'migrate-check-failed'; count: number }
  | { code: 'migrate-source-busy'; root: string }
  | { code: 'migrate-source-not-clean'; root: string; problems: number }
  | { code: 'migrate-target-not-empty'; table: string }
  | { code: 'migrate-conflict'; numbers: string[] }
  | { code: 'migrate-file-conflict'; path: string }
  | { code: 'template-missing'; file: string; folder: string }
  | { code: 'template-field-missing'; type: DocumentType; field: string }
  | { code: 'template-invalid'; file: string; detail: string }
  | { code: 'template-problems'; type: DocumentType; issues: TemplateIssue[] }
  // Cases and what a clerk types.
  | { code: 'unknown-case'; reference: string }
  | { code: 'bad-channel'; given: string }
  | { code: 'bad-time'; given: string }
  | { code: 'no-matter' }
  | { code: 'no-transfer' }
  | { code: 'bad-field'; field: FieldName; value: string; rule: FieldRule; allowed: string[] }
  | { code: 'nothing-to-edit' }
  // A clerk's reading of scanned lines.
  | { code: 'unknown-page'; caseNumber: string; page: number; pages: number }
  | { code: 'unknown-line'; caseNumber: string; page: number; line: number; lines: number }
  | { code: 'line-too-long'; page: number; line: number; max: number }
  | { code: 'no-line-change' }
  | { code: 'query-too-short' }
  | { code: 'bad-year'; given: string }
  | { code: 'bad-month'; given: string; form: 'year-month' | 'number' }
  | { code: 'bad-range'; from: string; to: string; reason: 'form' | 'order' }
  | { code: 'bad-document-type'; given: string; allowed: readonly string[] }
  // The workflow.
  | { code: 'step-refused'; step: Step; caseNumber: string; status: CaseStatus; refusal: Refusal }
  | { code: 'step-raced'; step: Step; caseNumber: string; status: CaseStatus }
  | { code: 'missing-input'; step: Step; input: StepInput }
  | { code: 'no-handler'; caseNumber: string }
  | { code: 'bad-extension'; given: string; max: number }
  | { code: 'bad-outcome'; given: string | null; allowed: readonly string[] }
  | { code: 'bad-date'; given: string }
  /** A transfer's signing date before its arrival or after today. */
  | { code: 'bad-sign-date'; date: string; received: string; today: string }
  | { code: 'date-in-past'; date: string; today: string }
  /** 回访, 复查 or 复核: a word not in the settings' list (how the visit was made, the evaluation, the decision). */
  | { code: 'bad-choice'; what: 'visit-method' | 'satisfaction' | 'review-decision'; given: string | null; allowed: readonly string[] }
  /** A date of a return visit, review request or decision before the answer it follows, or after today. */
  | { code: 'bad-follow-up-date'; what: 'visit' | 'review-request' | 'review-decision'; date: string; from: string; today: string }
  /** A review paper that cannot be filed: not a PDF, JPEG or PNG, or not readable. */
  | { code: 'bad-review-paper'; file: string; reason: 'type' | 'unreadable' }
  | { code: 'date-too-late'; date: string; latest: string; notifyDays: number; handleDays: number }
  // Binding, verification and export.
  | { code: 'not-bindable'; caseNumber: string; missing: BindingNeed[] }
  | { code: 'already-bound'; caseNumber: string; boundOn: string; ref: string }
  | { code: 'nothing-to-bind'; year: number }
  | { code: 'export-exists'; dir: string }
  | { code: 'export-empty'; year: number }
  /** A folder named for an export from the web that is not a safe place to write it. */
  | { code: 'export-target-refused'; dir: string; reason: 'empty' | 'outside' | 'reserved' }
  | { code: 'export-changed'; path: string; what: 'document' | 'volume' }
  | { code: 'verify-failed'; count: number }
  | { code: 'sheets-failed'; failed: { number: string; error: string }[] }
  // People, sign-in and what each may do.
  | { code: 'not-allowed'; role: string; action: string }
  | { code: 'bad-role'; given: string; allowed: readonly string[] }
  | { code: 'user-exists'; name: string }
  | { code: 'unknown-user'; name: string }
  | { code: 'weak-password'; min: number }
  | { code: 'bad-user-name'; given: string }
  | { code: 'sign-in-failed' }
  | { code: 'sign-in-throttled'; seconds: number }
  | { code: 'last-administrator' }
  // A district's communities (街道 / 区 over 社区).
  /** A community's user asked for another community's cases, figures or files. */
  | { code: 'other-community'; community: string; asked: string }
  /** Across the district: only the district's own users. */
  | { code: 'district-only'; community: string }
  | { code: 'unknown-community'; given: string; known: readonly string[] }
  | { code: 'community-exists'; community: string; name: string }
  | { code: 'bad-community-code'; given: string }
  | { code: 'bad-community-name'; given: string }
  | { code: 'not-a-district'; root: string }
  /** A command for one community run at the district's root. */
  | { code: 'district-root'; root: string; communities: readonly string[] }
  // Alerts.
  | { code: 'unknown-alert'; id: string }
  | { code: 'no-charge-person' }
  | { code: 'not-a-charge-alert'; id: number }
  // Leaders' reception days, 包案 and cadres' duties (一岗双责).
  | { code: 'bad-duty-day'; given: string }
  | { code: 'duty-missing'; what: 'leader' | 'place' | 'time' | 'cadre' | 'unit' | 'situation' }
  | { code: 'bad-duty-kind'; given: string; allowed: readonly string[] }
  | { code: 'bad-risk'; given: string; allowed: readonly string[] }
  | { code: 'unknown-reception-day'; id: string }
  | { code: 'unknown-duty-link'; cadre: string; unit: string }
  | { code: 'unknown-duty-link-id'; id: string }
  | { code: 'reception-not-visit'; channel: string }
  // 信息员 reports of early signs (苗头).
  | { code: 'unknown-sign'; reference: string }
  | { code: 'sign-missing'; what: 'place' | 'people' | 'matter' | 'reporter' | 'outcome' }
  | { code: 'bad-sign-risk'; given: string; allowed: readonly string[] }
  | { code: 'bad-sign-time'; given: string }
  | { code: 'sign-not-open'; number: string; status: 'case' | 'closed'; caseNumber: string | null }
  // The leading group's duty roster (值班) and contact list (通讯录).
  | { code: 'roster-missing'; what: 'person' | 'name' | 'post' | 'phone' }
  | { code: 'unknown-roster-entry'; id: string }
  | { code: 'unknown-contact'; name: string };

export type ProblemCode = Problem['code'];

/** An expected failure carried through the program as data; its message (for the engineers' log) is the face-neutral sentence. */
export class XinfangError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problemText(problem)}`);
    this.name = 'XinfangError';
  }

  get code(): ProblemCode {
    return this.problem.code;
  }
}

export function isXinfangError(e: unknown): e is XinfangError {
  return e instanceof XinfangError;
}

export function fail(problem: Problem): never {
  throw new XinfangError(problem);
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
