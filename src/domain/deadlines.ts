/**
 * The deadlines of the 信访工作条例, as local dates in the office's time zone: each counted in
 * calendar days (自然日) or working days (工作日) as the settings say for it.
 */
import { addDays, daysUntil, localDate } from './calendar.js';
import { addWorkingDays, type HolidayTable } from './workdays.js';
import type { CaseStatus, Workflow } from './workflow.js';

export const DAY_UNITS = ['自然日', '工作日'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

/** The deadlines whose day count may be in either unit. */
export type CountedDeadline = 'notify' | 'handle' | 'return';

export interface DeadlineRules {
  notifyDays: number;
  handleDays: number;
  /** Days a transferred case that is not the office's may be sent back in (条例 §23: 5 working days). */
  returnDays?: number;
  /** The unit of each deadline; a deadline not named counts calendar days, the return period working days. */
  dayUnits?: Partial<Record<CountedDeadline, DayUnit>>;
}

const DEFAULT_RETURN_DAYS = 5;

/** The unit a deadline counts in when the settings do not say. */
export function dayUnit(rules: DeadlineRules, kind: CountedDeadline): DayUnit {
  return rules.dayUnits?.[kind] ?? (kind === 'return' ? '工作日' : '自然日');
}

/** `days` after `date` in the deadline's unit (the first day counted is the day after). */
export function countDays(date: string, days: number, unit: DayUnit, holidays: HolidayTable): string {
  return unit === '工作日' ? addWorkingDays(date, days, holidays) : addDays(date, days);
}

/** The last day a transferred case may be sent back, counted from its arrival. */
export function returnDue(receivedDate: string, rules: DeadlineRules, holidays: HolidayTable = {}): string {
  return countDays(receivedDate, rules.returnDays ?? DEFAULT_RETURN_DAYS, dayUnit(rules, 'return'), holidays);
}

export interface Deadlines {
  /** By when the petitioner must be told whether the case is accepted. */
  notify: string;
  /** By when an accepted case must be finished (with any extension), once known. */
  handle: string | null;
}

/** Deadlines counted from the day after receipt or acceptance, as local dates; an extension counts in the handling deadline's unit. */
export function deadlines(receivedDate: string, w: Workflow, acceptedDate: string | null, rules: DeadlineRules, holidays: HolidayTable = {}): Deadlines {
  const notify = countDays(receivedDate, rules.notifyDays, dayUnit(rules, 'notify'), holidays);
  const handleUnit = dayUnit(rules, 'handle');
  const base = w.instruction?.due ?? (acceptedDate ? countDays(acceptedDate, rules.handleDays, handleUnit, holidays) : null);
  const handle = base && w.extension ? countDays(base, w.extension.days, handleUnit, holidays) : base;
  return { notify, handle };
}

/** The deadline a case works towards: to tell whether it is accepted, to finish and answer, or (a transfer) to send it back. */
export type DeadlineKind = 'notify' | 'handle' | 'return';

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
  calendar?: { holidays: HolidayTable };
}

/** A transferred case's last day to be sent back (退回), or null for a case not transferred in. */
export function caseReturnDue(c: DatedCase & { channel: string }, settings: DeadlineSettings): string | null {
  if (c.channel !== '转办') return null;
  return returnDue(localDate(c.receivedAt, settings.office.timezone), settings.workflow, settings.calendar?.holidays ?? {});
}

/** A case's deadlines as local dates, from the settings' day counts. */
export function caseDeadlines(c: DatedCase, settings: DeadlineSettings): Deadlines {
  const tz = settings.office.timezone;
  return deadlines(localDate(c.receivedAt, tz), c.workflow, c.workflow.acceptedAt ? localDate(c.workflow.acceptedAt, tz) : null, settings.workflow, settings.calendar?.holidays ?? {});
}

export interface DueState extends NextDeadline {
  /** Days left; negative when late. */
  days: number;
}

/** The deadline a case works towards now and how far off it is, or null when none is running. */
export function dueState(c: DatedCase & { channel?: string }, settings: DeadlineSettings, now: Date): DueState | null {
  const today = localDate(now, settings.office.timezone);
  const next = returnFirst(c, settings, today) ?? nextDeadline(c.status, caseDeadlines(c, settings));
  return next ? { ...next, days: daysUntil(next.date, today) } : null;
}

/**
 * A transfer not yet decided on (registered or instructed, not sent back) works first towards its
 * last day to be sent back when that comes before the notice: once that day is past it can no
 * longer be returned, so it is no deadline missed, and the notice's deadline is the one that runs.
 */
function returnFirst(c: DatedCase & { channel?: string }, settings: DeadlineSettings, today: string): NextDeadline | null {
  if (c.channel === undefined || (c.status !== 'registered' && c.status !== 'instructed') || c.workflow.returnedAt) return null;
  const due = caseReturnDue({ ...c, channel: c.channel }, settings);
  if (!due || due < today || due >= caseDeadlines(c, settings).notify) return null;
  return { kind: 'return', date: due };
}
