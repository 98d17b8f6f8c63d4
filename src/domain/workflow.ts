/** Where a case stands, and what its workflow has recorded so far. Pure data: no I/O here. */

export const STATUSES = ['registered', 'instructed', 'accepted', 'declined', 'extended', 'replied', 'closed'] as const;
export type CaseStatus = (typeof STATUSES)[number];

export const STATUS_LABEL: Record<CaseStatus, string> = {
  registered: '已登记',
  instructed: '已批示',
  accepted: '已受理',
  declined: '不予受理',
  extended: '已延期',
  replied: '已答复',
  closed: '已办结',
};

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
};
