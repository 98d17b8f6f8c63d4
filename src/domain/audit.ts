/**
 * The audit log: who saw a case's personal details in full, who changed a case's fields, every
 * step of its history, and what the administrator changed (users, templates, settings), as one
 * list the administrator and the leader can search.
 */
import type { FieldName } from './fields.js';
import type { HistoryAction } from './workflow.js';

export const AUDIT_KINDS = ['view', 'edit', 'history', 'admin'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const AUDIT_KIND_LABEL: Record<AuditKind, string> = {
  view: '查看完整个人信息',
  edit: '更正登记内容',
  history: '办理记录',
  admin: '管理操作',
};

export function isAuditKind(text: string): text is AuditKind {
  return (AUDIT_KINDS as readonly string[]).includes(text);
}

/** What the log keeps of its own (views and administration); edits and history are read from where they are kept. */
export interface AuditRecord {
  at: string;
  actor: string;
  kind: 'view' | 'admin';
  caseId: number | null;
  detail: string;
}

/** One line of the log as the store reads it back. */
export interface AuditRow {
  at: string;
  actor: string;
  kind: AuditKind;
  caseNumber: string | null;
  caseRef: string | null;
  /** Edits: which field, from what to what. History: the action and its detail. */
  field: FieldName | null;
  oldValue: string | null;
  newValue: string | null;
  action: HistoryAction | null;
  detail: string;
}

export interface AuditQuery {
  actor?: string;
  caseId?: number;
  kind?: AuditKind;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}
