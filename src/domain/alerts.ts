/**
 * Alerts: what a leader or handler must be told at once. An urgent letter or a group petition
 * goes to every leader when it is registered; a deadline near or passed goes to the case's handler
 * and its leader. Each alert is raised once, by its key: a case, a kind and (for deadlines) the
 * deadline and its date. Pure rules: no I/O here.
 */
import type { Actor, Case } from './case.js';
import type { DeadlineKind, DueState } from './deadlines.js';
import type { Role } from './roles.js';
import type { OnDuty } from './roster.js';
import type { SignReport } from './signs.js';

/** sign: an informant's report of an early sign (苗头), told to every leader; it has no case. */
export const ALERT_KINDS = ['urgent', 'group', 'due-soon', 'overdue', 'sign'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Who is told: everyone of a role, or one person by name. */
export type Recipient = { role: Role } | { user: string };

export interface NewAlert {
  /** One alert per key, however often the rules are run. */
  key: string;
  kind: AlertKind;
  /** The case it is about; null for an informant's report, which is not a case. */
  caseId: number | null;
  /** The informant's report it is about (kind sign). */
  signId?: number | null;
  /** Who is on duty the day it is raised (urgent letters, group petitions, informants' reports). */
  onDuty?: OnDuty[];
  /** For deadline alerts: which deadline and its date (YYYY-MM-DD). */
  deadline: DeadlineKind | null;
  dueDate: string | null;
  recipients: Recipient[];
  createdAt: string;
}

/** Who took charge of an urgent letter or group petition, recorded with who wrote it down and when. */
export interface Charge {
  person: string;
  note: string;
  by: string;
  at: string;
}

export interface Alert extends NewAlert {
  id: number;
  /** The case's number and matter; for an informant's report, its number and what is brewing. */
  case: { number: string; year: number; seq: number; name: string | null; summary: string | null; urgentWords: string[]; signatories: number | null };
  sign: { id: number; place: string; people: string; risk: string; reporter: string } | null;
  onDuty: OnDuty[];
  readBy: { user: string; at: string }[];
  charge: Charge | null;
}

/** The kinds a leader must see head the dashboard until someone takes charge. */
export const CHARGE_KINDS: readonly AlertKind[] = ['urgent', 'group'];

const LEADERS: Recipient = { role: '领导' };

export function alertKey(caseId: number, kind: AlertKind, deadline: DeadlineKind | null = null, dueDate: string | null = null): string {
  return [caseId, kind, deadline ?? '', dueDate ?? ''].join(':');
}

/** An urgent letter and a group petition are told to every leader as soon as they are registered. */
export function registrationAlerts(c: Pick<Case, 'id' | 'flags'>, at: Date): NewAlert[] {
  return (['urgent', 'group'] as const)
    .filter((kind) => c.flags.includes(kind))
    .map((kind) => ({ key: alertKey(c.id, kind), kind, caseId: c.id, deadline: null, dueDate: null, recipients: [LEADERS], createdAt: at.toISOString() }));
}

/** An informant's report of an early sign is told to every leader as soon as it is recorded. */
export function signAlert(sign: Pick<SignReport, 'id'>, at: Date): NewAlert {
  return { key: `sign:${sign.id}`, kind: 'sign', caseId: null, signId: sign.id, deadline: null, dueDate: null, recipients: [LEADERS], createdAt: at.toISOString() };
}

/** The kinds that name who is on duty: what a leader must act on at once. */
export const ON_DUTY_KINDS: readonly AlertKind[] = ['urgent', 'group', 'sign'];

/**
 * A deadline `daysBefore` days off or nearer is told as due soon, one passed as overdue, each once
 * per deadline date (an extension moves the date and so tells again). Told to the handler and to
 * the leader who instructed; before any instruction, to every leader.
 */
export function deadlineAlert(c: Pick<Case, 'id' | 'workflow'>, due: DueState | null, daysBefore: number, at: Date): NewAlert | null {
  if (!due) return null;
  const kind: AlertKind | null = due.days < 0 ? 'overdue' : due.days <= daysBefore ? 'due-soon' : null;
  if (!kind) return null;
  return { key: alertKey(c.id, kind, due.kind, due.date), kind, caseId: c.id, deadline: due.kind, dueDate: due.date, recipients: deadlineRecipients(c), createdAt: at.toISOString() };
}

function deadlineRecipients(c: Pick<Case, 'workflow'>): Recipient[] {
  const instruction = c.workflow.instruction;
  const people: Recipient[] = [];
  if (instruction?.handler) people.push({ user: instruction.handler });
  if (instruction?.leader && instruction.leader !== instruction.handler) people.push({ user: instruction.leader });
  else if (!instruction?.leader) people.push(LEADERS);
  return people;
}

/** Whether the alert is told to this person; the terminal (no role) sees every alert. */
export function isRecipient(actor: Actor, alert: Pick<NewAlert, 'recipients'>): boolean {
  if (actor.role === undefined) return true;
  return alert.recipients.some((r) => ('role' in r ? r.role === actor.role : r.user === actor.name));
}

export function isReadBy(alert: Pick<Alert, 'readBy'>, name: string): boolean {
  return alert.readBy.some((r) => r.user === name);
}
