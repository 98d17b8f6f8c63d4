/** The deadlines of the 信访工作条例, counted in calendar days in the office's time zone. */
import { addDays, daysUntil, localDate } from './calendar.js';
import type { CaseStatus, Workflow } from './workflow.js';

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

export type DeadlineKind = 'notify' | 'handle';

export interface NextDeadline {
  kind: DeadlineKind;
  date: string;
}

/** The deadline the case is working towards now; none once replied, declined or closed. */
export function nextDeadline(status: CaseStatus, d: Deadlines): NextDeadline | null {
  if (status === 'registered' || status === 'instructed') return { kind: 'notify', date: d.notify };
  if ((status === 'accepted' || status === 'extended') && d.handle) return { kind: 'handle', date: d.handle };
  return null;
}

interface DatedCase {
  status: CaseStatus;
  receivedAt: string;
  workflow: Workflow;
}

interface DeadlineSettings {
  office: { timezone: string };
  workflow: DeadlineRules;
}

/** A case's deadlines as local dates, from the settings' day counts. */
export function caseDeadlines(c: DatedCase, settings: DeadlineSettings): Deadlines {
  const tz = settings.office.timezone;
  return deadlines(localDate(c.receivedAt, tz), c.workflow, c.workflow.acceptedAt ? localDate(c.workflow.acceptedAt, tz) : null, settings.workflow);
}

export interface DueState extends NextDeadline {
  /** Days left; negative when late. */
  days: number;
}

/** The deadline a case works towards now and how far off it is, or null when none is running. */
export function dueState(c: DatedCase, settings: DeadlineSettings, now: Date): DueState | null {
  const next = nextDeadline(c.status, caseDeadlines(c, settings));
  return next ? { ...next, days: daysUntil(next.date, localDate(now, settings.office.timezone)) } : null;
}
