/**
 * The workflow of a case as one table: which step may follow which status, where it leads, what
 * it records and which document it issues. The rules (refusal), the status after each step and
 * the history check (statusAfterAction) are all read from it. Pure data: no I/O here.
 */
import type { DocumentType } from './document-types.js';
import { nextReviewStage, openReview, type ReturnVisit, type Review, type ReviewStage } from './follow-up.js';

export const STATUSES = ['registered', 'instructed', 'accepted', 'declined', 'extended', 'replied', 'closed'] as const;
export type CaseStatus = (typeof STATUSES)[number];

export type Step = 'sign' | 'return' | 'instruct' | 'accept' | 'decline' | 'extend' | 'reply' | 'report' | 'close' | 'supervise' | 'answer' | 'urge' | 'visit' | 'request-review' | 'decide-review';

/** What a case's history records. */
export type HistoryAction = 'registered' | 'instructed' | 'accepted' | 'declined' | 'extended' | 'replied' | 'reported' | 'closed' | 'paper-filed' | 'bound' | 'corrected' | 'lines-corrected' | 'took-charge' | 'signed' | 'returned' | 'supervised' | 'supervision-answered' | 'urged' | 'leader-took-case' | 'visited' | 'review-requested' | 'review-decided';

/** The statuses a case may be supervised in: not yet answered in writing. */
const SUPERVISED_STATUSES: readonly CaseStatus[] = ['registered', 'instructed', 'accepted', 'extended'];

/** The statuses after the written reply: the return visit and review are recorded in them, the case closed or not. */
const AFTER_REPLY_STATUSES: readonly CaseStatus[] = ['replied', 'closed'];

/** A 督办: who supervises (a leader or the district office), the demand, the due date (YYYY-MM-DD); the answer and the 催办 given. */
export interface Supervision {
  by: string;
  demand: string;
  due: string;
  at: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
  urges: number;
  urgedAt: string | null;
}

/** A supervision still waiting for the handler's answer. */
export function isSupervisionOpen(w: Pick<Workflow, 'supervision'>): boolean {
  return w.supervision !== null && w.supervision.answeredAt === null;
}

interface StepRule {
  /** The statuses the step may be taken from. */
  from: readonly CaseStatus[];
  /** The status after it; null when the case stays where it is (the report back to the sending office). */
  to: CaseStatus | null;
  action: HistoryAction;
  /** The document the step issues, if any. */
  document: DocumentType | null;
  /** Taken only when needed (an extension): never named as what must come first. */
  optional?: true;
  /** Only for cases transferred in (转办). */
  transfersOnly?: true;
  /** Recorded after the reply, a closed case too (回访, 复查, 复核). */
  afterReply?: true;
}

export const WORKFLOW: Readonly<Record<Step, StepRule>> = {
  // A case transferred in (转办) is signed for; one that is not this office's is sent back within the return period (条例 §23) and ends there.
  sign: { from: ['registered'], to: null, action: 'signed', document: null, optional: true, transfersOnly: true },
  return: { from: ['registered', 'instructed'], to: 'closed', action: 'returned', document: '退回函', optional: true, transfersOnly: true },
  instruct: { from: ['registered'], to: 'instructed', action: 'instructed', document: '批办单' },
  accept: { from: ['instructed'], to: 'accepted', action: 'accepted', document: '受理告知书' },
  decline: { from: ['instructed'], to: 'declined', action: 'declined', document: '不予受理告知书' },
  extend: { from: ['accepted'], to: 'extended', action: 'extended', document: '延期告知书', optional: true },
  reply: { from: ['accepted', 'extended'], to: 'replied', action: 'replied', document: '信访处理意见书' },
  report: { from: ['replied'], to: null, action: 'reported', document: '办结报告', transfersOnly: true },
  close: { from: ['replied', 'declined'], to: 'closed', action: 'closed', document: null },
  // Supervision (督办, 条例 §38, §40) of a case being worked on: the demand with its 督办单, the handler's answer, a 催办 once it is late.
  supervise: { from: SUPERVISED_STATUSES, to: null, action: 'supervised', document: '督办单', optional: true },
  answer: { from: SUPERVISED_STATUSES, to: null, action: 'supervision-answered', document: null, optional: true },
  urge: { from: SUPERVISED_STATUSES, to: null, action: 'urged', document: '催办单', optional: true },
  // After the reply (条例 §21, §35, §36): the return visit with the petitioner's evaluation; the request for 复查 or 复核 and the body's decision.
  visit: { from: AFTER_REPLY_STATUSES, to: null, action: 'visited', document: null, optional: true, afterReply: true },
  'request-review': { from: AFTER_REPLY_STATUSES, to: null, action: 'review-requested', document: null, optional: true, afterReply: true },
  'decide-review': { from: AFTER_REPLY_STATUSES, to: null, action: 'review-decided', document: null, optional: true, afterReply: true },
};

export const STEPS = Object.keys(WORKFLOW) as Step[];

/** The statuses each step may be taken from. */
export const ALLOWED_FROM: Readonly<Record<Step, readonly CaseStatus[]>> = Object.fromEntries(STEPS.map((s) => [s, WORKFLOW[s].from])) as Record<Step, readonly CaseStatus[]>;

/** The status a case is in after the step. */
export function statusAfter(step: Step, current: CaseStatus): CaseStatus {
  return WORKFLOW[step].to ?? current;
}

/** The status a recorded action leaves a case in (registration starts it); null for actions that change none. */
export function statusAfterAction(action: HistoryAction): CaseStatus | null {
  if (action === 'registered') return 'registered';
  const step = STEPS.find((s) => WORKFLOW[s].action === action);
  return step ? WORKFLOW[step].to : null;
}

/** The three decisions a formal reply may give (信访工作条例). */
export const OUTCOMES = ['予以支持', '解释说明', '不予支持'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Instruction {
  leader: string;
  text: string;
  handler: string | null;
  at: string;
  /** A handling date the leader set, YYYY-MM-DD. */
  due: string | null;
}

export interface Workflow {
  instruction: Instruction | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
  extension: { days: number; reason: string; at: string } | null;
  outcome: Outcome | null;
  facts: string | null;
  basis: string | null;
  repliedAt: string | null;
  /** Transferred cases: when the 办结报告 went back to the office that sent the case. */
  reportedAt: string | null;
  closedAt: string | null;
  /** Transferred cases: who signed for it (签收) and when. */
  signedBy: string | null;
  signedAt: string | null;
  /** Transferred cases sent back (退回) as not this office's, and why; the case ends there. */
  returnedAt: string | null;
  returnReason: string | null;
  /** The latest 督办 of the case; null if never supervised. */
  supervision: Supervision | null;
  /** The latest return visit (回访) with the petitioner's evaluation; null until one is recorded. */
  returnVisit: ReturnVisit | null;
  /** The requests for 复查 and then 复核, oldest first, each with the body's decision once known. */
  reviews: Review[];
}

export const EMPTY_WORKFLOW: Workflow = {
  instruction: null,
  acceptedAt: null,
  declinedAt: null,
  declineReason: null,
  extension: null,
  outcome: null,
  facts: null,
  basis: null,
  repliedAt: null,
  reportedAt: null,
  closedAt: null,
  signedBy: null,
  signedAt: null,
  returnedAt: null,
  returnReason: null,
  supervision: null,
  returnVisit: null,
  reviews: [],
};

/** Why a step cannot be taken now, as data; each face words it (words.ts, interfaces/cli/words.ts). */
export type Refusal =
  | { kind: 'closed' }
  | { kind: 'not-transfer' }
  | { kind: 'already-reported' }
  | { kind: 'report-first'; office: string | null }
  | { kind: 'already-signed'; by: string | null }
  /** A transferred case is signed for before it is sent back. */
  | { kind: 'sign-first' }
  /** The return period (工作日) is over: the case is this office's to handle now. */
  | { kind: 'return-late'; due: string }
  /** A 督办 is waiting for its answer: a second one waits until then. */
  | { kind: 'supervised-open'; by: string; due: string }
  | { kind: 'no-supervision' }
  | { kind: 'supervision-answered'; at: string }
  /** A 催办 only after the 督办's due date. */
  | { kind: 'not-late'; due: string }
  /** 回访, 复查 and 复核 follow a written reply; this case has none (declined, sent back, not yet answered). */
  | { kind: 'not-replied' }
  /** A review waits for the body's decision: no other request until then. */
  | { kind: 'review-open'; stage: ReviewStage; body: string; answerDue: string }
  | { kind: 'no-open-review' }
  /** The 复核 was asked: its decision is final (条例 §36), no further review. */
  | { kind: 'reviews-ended' }
  /** The request came after its last day (30 days of the answer before). */
  | { kind: 'review-late'; stage: ReviewStage; from: string; due: string; requestedOn: string }
  /** The case is not that far yet: these steps lead on towards the one asked for. */
  | { kind: 'needs-first'; first: Step[] }
  /** The case is past the step: it was taken, or another way was chosen. */
  | { kind: 'past'; instructedBy: string | null };

interface CaseState {
  status: CaseStatus;
  channel: string;
  transfer: { office: string } | null;
  workflow: Workflow;
}

/** What the rules need to know of time: today and the last day a transferred case may be sent back (local dates). */
export interface StepContext {
  today: string;
  returnDue: string | null;
  /** A review request: the day it was made and the last day of its window. */
  review?: { requestedOn: string; stage: ReviewStage; from: string; due: string } | null;
}

/**
 * Why a step cannot be taken now; null when it can. The order is the one the 信访工作条例 sets:
 * instruction, decision told, handling, reply, closing.
 */
export function refusal(step: Step, c: CaseState, at?: StepContext): Refusal | null {
  const { status } = c;
  const rule = WORKFLOW[step];
  if (rule.afterReply) return afterReplyRefusal(step, c, at);
  if (status === 'closed') return { kind: 'closed' };
  if (rule.transfersOnly && c.channel !== '转办') return { kind: 'not-transfer' };
  if (step === 'sign' && c.workflow.signedAt) return { kind: 'already-signed', by: c.workflow.signedBy };
  const sup = supervisionRefusal(step, c.workflow, at);
  if (sup && rule.from.includes(status)) return sup;
  if (step === 'return' && rule.from.includes(status)) {
    if (!c.workflow.signedAt) return { kind: 'sign-first' };
    if (at?.returnDue && at.today > at.returnDue) return { kind: 'return-late', due: at.returnDue };
  }
  if (step === 'report' && c.workflow.reportedAt) return { kind: 'already-reported' };
  // A transferred case goes back to the office that sent it before it is closed.
  if (step === 'close' && c.channel === '转办' && WORKFLOW.report.from.includes(status) && !c.workflow.reportedAt) {
    return { kind: 'report-first', office: c.transfer?.office ?? null };
  }
  if (rule.from.includes(status)) return null;
  const first = stepsTowards(status, rule.from);
  if (first.length) return { kind: 'needs-first', first };
  return { kind: 'past', instructedBy: c.workflow.instruction?.leader ?? null };
}

function supervisionRefusal(step: Step, w: Workflow, at?: StepContext): Refusal | null {
  const s = w.supervision;
  if (step === 'supervise') return s && !s.answeredAt ? { kind: 'supervised-open', by: s.by, due: s.due } : null;
  if (step !== 'answer' && step !== 'urge') return null;
  if (!s) return { kind: 'no-supervision' };
  if (s.answeredAt) return { kind: 'supervision-answered', at: s.answeredAt };
  if (step === 'urge' && at && at.today <= s.due) return { kind: 'not-late', due: s.due };
  return null;
}

/** 回访, 复查 and 复核: after a written reply only; one review open at a time; 复查, then 复核, then no more. */
function afterReplyRefusal(step: Step, c: CaseState, at?: StepContext): Refusal | null {
  const w = c.workflow;
  if (!w.repliedAt || !AFTER_REPLY_STATUSES.includes(c.status)) {
    if (w.repliedAt || w.declinedAt || w.returnedAt) return { kind: 'not-replied' };
    const first = stepsTowards(c.status, AFTER_REPLY_STATUSES);
    return first.length ? { kind: 'needs-first', first } : { kind: 'not-replied' };
  }
  if (step === 'visit') return null;
  const open = openReview(w.reviews);
  if (step === 'decide-review') return open ? null : { kind: 'no-open-review' };
  if (open) return { kind: 'review-open', stage: open.stage, body: open.body, answerDue: open.answerDue };
  if (!nextReviewStage(w.reviews)) return { kind: 'reviews-ended' };
  const r = at?.review;
  if (r && r.requestedOn > r.due) return { kind: 'review-late', stage: r.stage, from: r.from, due: r.due, requestedOn: r.requestedOn };
  return null;
}

/** The steps allowed from `status` that lead on to one of `targets`, leaving out optional ones where another leads there. */
function stepsTowards(status: CaseStatus, targets: readonly CaseStatus[]): Step[] {
  const leads = STEPS.filter((s) => WORKFLOW[s].from.includes(status) && WORKFLOW[s].to !== null && reaches(WORKFLOW[s].to!, targets));
  const needed = leads.filter((s) => !WORKFLOW[s].optional);
  return needed.length ? needed : leads;
}

function reaches(from: CaseStatus, targets: readonly CaseStatus[], seen = new Set<CaseStatus>()): boolean {
  if (targets.includes(from)) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return STEPS.some((s) => WORKFLOW[s].from.includes(from) && WORKFLOW[s].to !== null && reaches(WORKFLOW[s].to!, targets, seen));
}
