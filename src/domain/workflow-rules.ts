import type { Channel } from '../adapters/sqlite/registry.js';
import { STATUS_LABEL, type CaseStatus, type Workflow } from './workflow.js';

/** The steps a case goes through after registration. */
export type Step = 'instruct' | 'accept' | 'decline' | 'extend' | 'reply' | 'report' | 'close';

/** The statuses each step may be taken from. */
export const ALLOWED_FROM: Record<Step, readonly CaseStatus[]> = {
  instruct: ['registered'],
  accept: ['instructed'],
  decline: ['instructed'],
  extend: ['accepted'],
  reply: ['accepted', 'extended'],
  report: ['replied'],
  close: ['replied', 'declined'],
};

export const STATUS_AFTER: Record<Exclude<Step, 'report'>, CaseStatus> = {
  instruct: 'instructed',
  accept: 'accepted',
  decline: 'declined',
  extend: 'extended',
  reply: 'replied',
  close: 'closed',
};

interface CaseState {
  number: string;
  status: CaseStatus;
  channel: Channel;
  transfer: { office: string } | null;
  workflow: Workflow;
}

/**
 * Why a step cannot be taken now, in words that say what must come first; null when it can.
 * The order is the one the 信访工作条例 sets: instruction, decision told, handling, reply, closing.
 */
export function refusal(step: Step, c: CaseState): string | null {
  const { status, number } = c;
  const now = `${number} 现在的状态是“${STATUS_LABEL[status]}”`;
  const first = (what: string, command: string) => `${now}，须先${what}（xinfang ${command} ${number} …）。`;
  if (status === 'closed') return `${number} 已办结，不能再${STEP_LABEL[step]}。`;
  if (step === 'report' && c.channel !== '转办') return `${number} 不是转办件，不需要报送办结报告。`;
  if (step === 'report' && c.workflow.reportedAt) return `${number} 的办结报告已经报送过了。`;
  if (step === 'close' && status === 'replied' && c.channel === '转办' && !c.workflow.reportedAt) {
    return `${number} 是${c.transfer?.office ?? '上级'}转办的案件，须先向交办单位报送办结报告（xinfang report ${number}），才能办结。`;
  }
  if (ALLOWED_FROM[step].includes(status)) return null;
  switch (step) {
    case 'instruct':
      return `${now}，已有领导批示（${c.workflow.instruction?.leader ?? ''}），不能再次批示。`;
    case 'accept':
    case 'decline':
      if (status === 'registered') return first('录入领导批示', 'instruct');
      return `${now}，是否受理已经决定，不能再${STEP_LABEL[step]}。`;
    case 'extend':
      if (status === 'registered') return first('录入领导批示', 'instruct');
      if (status === 'instructed') return first('受理', 'accept');
      if (status === 'extended') return `${number} 已经延期过一次；依《信访工作条例》只能延期一次。`;
      if (status === 'declined') return `${number} 不予受理，没有办理期限可以延长。`;
      return `${now}，已经答复，不能再延期。`;
    case 'reply':
      if (status === 'registered') return first('录入领导批示', 'instruct');
      if (status === 'instructed') return first('受理', 'accept');
      if (status === 'declined') return `${number} 不予受理，已用不予受理告知书答复，可直接办结（xinfang close ${number}）。`;
      return `${number} 已经答复过了。`;
    case 'report':
      return first('答复信访人', 'reply');
    case 'close':
      if (status === 'registered') return first('录入领导批示', 'instruct');
      if (status === 'instructed') return first('受理并答复，或决定不予受理', 'accept');
      return first('答复信访人', 'reply');
  }
}

export const STEP_LABEL: Record<Step, string> = {
  instruct: '批示',
  accept: '受理',
  decline: '不予受理',
  extend: '延期',
  reply: '答复',
  report: '报送办结报告',
  close: '办结',
};

export interface DeadlineRules {
  notifyDays: number;
  handleDays: number;
}

export interface Deadlines {
  /** By when the petitioner must be told whether the case is accepted. */
  notify: string;
  /** By when an accepted case must be finished (with any extension), once known. */
  handle: string | null;
}

/** Deadlines in calendar days, counted from the day after receipt or acceptance, as local dates. */
export function deadlines(receivedDate: string, w: Workflow, acceptedDate: string | null, rules: DeadlineRules): Deadlines {
  const notify = addDays(receivedDate, rules.notifyDays);
  const base = w.instruction?.due ?? (acceptedDate ? addDays(acceptedDate, rules.handleDays) : null);
  const handle = base && w.extension ? addDays(base, w.extension.days) : base;
  return { notify, handle };
}

export interface NextDeadline {
  kind: 'notify' | 'handle';
  date: string;
  /** What has to be done by then. */
  label: string;
}

/** The deadline the case is working towards now; none once replied, declined or closed. */
export function nextDeadline(status: CaseStatus, d: Deadlines): NextDeadline | null {
  if (status === 'registered' || status === 'instructed') return { kind: 'notify', date: d.notify, label: '告知是否受理' };
  if ((status === 'accepted' || status === 'extended') && d.handle) return { kind: 'handle', date: d.handle, label: '办结并答复' };
  return null;
}

/** Whole days from `today` to `date` (both YYYY-MM-DD): negative when the date has passed. */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 还剩 3 天 / 今天到期 / 已超期 2 天 */
export function daysText(days: number): string {
  if (days > 0) return `还剩 ${days} 天`;
  if (days === 0) return '今天到期';
  return `已超期 ${-days} 天`;
}
