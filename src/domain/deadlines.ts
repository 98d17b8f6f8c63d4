import type { Settings } from './settings.js';
import { localDate } from './calendar.js';
import type { CaseRow } from '../adapters/sqlite/registry.js';
import { daysUntil, deadlines, nextDeadline, type Deadlines, type NextDeadline } from './workflow-rules.js';

/** A case's deadlines as local dates, from the settings' day counts. */
export function caseDeadlines(c: CaseRow, settings: Settings): Deadlines {
  const tz = settings.office.timezone;
  return deadlines(localDate(c.receivedAt, tz), c.workflow, c.workflow.acceptedAt ? localDate(c.workflow.acceptedAt, tz) : null, settings.workflow);
}

export interface DueState extends NextDeadline {
  /** Days left; negative when late. */
  days: number;
}

/** The deadline a case works towards now and how far off it is, or null when none is running. */
export function dueState(c: CaseRow, settings: Settings, now: Date): DueState | null {
  const next = nextDeadline(c.status, caseDeadlines(c, settings));
  return next ? { ...next, days: daysUntil(next.date, localDate(now, settings.office.timezone)) } : null;
}
