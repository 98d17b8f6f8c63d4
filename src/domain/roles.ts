/**
 * Who may do what, as one table: the roles of the office's staff and what each may do. The
 * services check it on every call that says who acts; a person acting from the administrator's
 * terminal (the CLI, scripts) carries no role and is not limited by it.
 */
import type { Actor, Case } from './case.js';
import type { Step } from './workflow.js';

export const ROLES = ['登记员', '领导', '经办人', '档案员', '管理员', '信息员'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  /** See every case (others see only what is theirs). */
  | 'see-all-cases'
  /** See the cases assigned to oneself. */
  | 'see-assigned-cases'
  /** ID numbers, phones and addresses unmasked. */
  | 'see-personal-data'
  | 'register'
  | 'correct'
  | 'upload'
  | 'issue-documents'
  | 'instruct'
  | 'approve-extension'
  | 'decide'
  | 'handle-assigned'
  | 'bind'
  | 'verify'
  | 'print-book'
  | 'manage-users'
  /** The office's templates and settings, in the browser. */
  | 'manage-office'
  /** The audit log: who saw whose personal details, who changed what. */
  | 'see-audit'
  /** The statistics report and the dispute ledger. */
  | 'see-reports'
  /** The leaders' reception days (领导接访日): put on the schedule, taken off. */
  | 'edit-reception'
  /** The units and enterprises each cadre is linked to (一岗双责). */
  | 'edit-links'
  /** Take charge of a case (包案), for oneself. */
  | 'take-case'
  /** Record a cadre's screening of a linked unit (a cadre may always record their own: mayDoDuty). */
  | 'record-screening'
  /** The cadres' links, screenings and who has not screened yet. */
  | 'see-duties'
  /** Report an early sign (苗头); an informant sees only the reports they made. */
  | 'report-signs'
  /** See every report of an early sign and close it with what was done. */
  | 'handle-signs';

/** What 领导接访日, 包案 and 一岗双责 ask of a person: the permissions of this table. */
export type DutyAction = Extract<Permission, 'edit-reception' | 'edit-links' | 'take-case' | 'record-screening' | 'see-duties'>;

export const PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  登记员: ['see-all-cases', 'see-personal-data', 'register', 'correct', 'upload', 'issue-documents', 'decide', 'see-reports', 'record-screening', 'see-duties', 'report-signs', 'handle-signs'],
  领导: ['see-all-cases', 'see-personal-data', 'instruct', 'approve-extension', 'decide', 'see-audit', 'see-reports', 'edit-reception', 'take-case', 'record-screening', 'see-duties', 'handle-signs'],
  经办人: ['see-assigned-cases', 'handle-assigned'],
  档案员: ['see-all-cases', 'bind', 'verify', 'print-book', 'see-reports', 'see-duties'],
  管理员: ['manage-users', 'manage-office', 'see-audit', 'edit-reception', 'edit-links', 'record-screening', 'see-duties'],
  信息员: ['report-signs'],
};

/** What each workflow step needs: one of these permissions (handle-assigned only on one's own cases). */
export const STEP_PERMISSIONS: Readonly<Record<Step, readonly Permission[]>> = {
  sign: ['register', 'decide'],
  return: ['decide'],
  supervise: ['instruct', 'issue-documents'],
  answer: ['handle-assigned', 'issue-documents'],
  urge: ['instruct', 'issue-documents'],
  // 回访 and the record of 复查/复核: the clerk, the leader, or the case's own handler.
  visit: ['register', 'instruct', 'handle-assigned'],
  'request-review': ['register', 'instruct', 'handle-assigned'],
  'decide-review': ['register', 'instruct', 'handle-assigned'],
  instruct: ['instruct'],
  accept: ['decide', 'handle-assigned'],
  decline: ['decide'],
  extend: ['approve-extension'],
  reply: ['handle-assigned', 'issue-documents'],
  report: ['handle-assigned', 'issue-documents'],
  close: ['handle-assigned', 'issue-documents'],
};

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** Whether the actor holds the permission; an actor without a role (the terminal) holds all. */
export function can(actor: Actor, permission: Permission): boolean {
  return actor.role === undefined || PERMISSIONS[actor.role].includes(permission);
}

/**
 * Whether the actor may do this part of 领导接访日, 包案 or 一岗双责: the role's permission, or a
 * cadre recording the screening of their own linked unit (whatever their role).
 */
export function mayDoDuty(actor: Actor, action: DutyAction, cadre?: string): boolean {
  if (action === 'record-screening' && actor.role !== undefined && cadre !== undefined && cadre === actor.name) return true;
  return can(actor, action);
}

/** Whether the case is the actor's to handle: its handler is this person. */
export function isAssigned(actor: Actor, c: Pick<Case, 'workflow'>): boolean {
  return c.workflow.instruction?.handler === actor.name;
}

/** Whether the actor may see this case at all. */
export function maySee(actor: Actor, c: Pick<Case, 'workflow'>): boolean {
  return can(actor, 'see-all-cases') || (can(actor, 'see-assigned-cases') && isAssigned(actor, c));
}

/** Whether the actor may take this step on this case. */
export function mayTake(actor: Actor, step: Step, c: Pick<Case, 'workflow'>): boolean {
  if (actor.role === undefined) return true;
  return STEP_PERMISSIONS[step].some((p) => can(actor, p) && (p !== 'handle-assigned' || isAssigned(actor, c)));
}
