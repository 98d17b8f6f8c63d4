/**
 * The audit log: a view of a case's personal details in full is recorded before it is shown, and
 * the administrator and the leader search one list of views, field edits, case history and
 * administration (by person, case, kind and time).
 */
import { AUDIT_KIND_LABEL, type AuditKind } from '../domain/audit.js';
import type { Actor, Case } from '../domain/case.js';
import { maskIdNumber, maskPhone } from '../domain/extract/id-number.js';
import type { FieldName } from '../domain/fields.js';
import { fail } from '../domain/problems.js';
import { can, isAssigned } from '../domain/roles.js';
import { ACTION_LABEL, FIELD_LABELS } from '../domain/words.js';
import type { ServiceContext } from './context.js';

/** The personal details a case page masks until someone asks to see them (and is recorded). */
export const PERSONAL_FIELDS: readonly FieldName[] = ['idNumber', 'phone', 'address'];

export interface AuditFilter {
  actor?: string;
  /** A case reference as people write it: 7, 2026-7, 八宝信〔2026〕7号. */
  caseRef?: string;
  kind?: AuditKind;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export interface AuditLine {
  at: string;
  actor: string;
  kind: AuditKind;
  kindLabel: string;
  caseNumber: string | null;
  caseRef: string | null;
  what: string;
}

/** Whether this person may see the case's personal details unmasked (once the view is recorded). */
export function maySeePersonal(actor: Actor, c: Pick<Case, 'workflow'>): boolean {
  return can(actor, 'see-personal-data') || isAssigned(actor, c);
}

export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Records that the person is shown the case's personal details in full; refused to one who may not see them. */
  async recordView(actor: Actor, c: Case): Promise<void> {
    if (!maySeePersonal(actor, c)) fail({ code: 'not-allowed', role: actor.role ?? '', action: `查看 ${c.number} 的完整个人信息` });
    await this.ctx.store.addAudit({ at: this.ctx.clock().toISOString(), actor: actor.name, kind: 'view', caseId: c.id, detail: '身份证号、联系电话、住址' });
    this.ctx.log.info({ case: c.number, by: actor.name }, 'personal details shown');
  }

  /** Records a change the administrator made (a user, a template, the settings). */
  async noteAdministration(actor: Actor, detail: string): Promise<void> {
    await this.ctx.store.addAudit({ at: this.ctx.clock().toISOString(), actor: actor.name, kind: 'admin', caseId: null, detail });
  }

  async search(actor: Actor, filter: AuditFilter): Promise<{ lines: AuditLine[]; total: number }> {
    if (!can(actor, 'see-audit')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '查看审计日志' });
    let caseId: number | undefined;
    if (filter.caseRef?.trim()) caseId = ((await this.ctx.store.findCase(filter.caseRef.trim())) ?? fail({ code: 'unknown-case', reference: filter.caseRef.trim() })).id;
    const { rows, total } = await this.ctx.store.auditLog({ actor: filter.actor?.trim() || undefined, caseId, kind: filter.kind, from: filter.from, to: filter.to, limit: filter.limit, offset: filter.offset });
    // An edit of a personal detail is logged with its values masked for a role that need not see them.
    const personal = can(actor, 'see-personal-data');
    const value = (field: FieldName, v: string | null) => {
      if (v === null || v === '') return '（空）';
      if (personal) return v;
      if (field === 'idNumber') return maskIdNumber(v);
      if (field === 'phone') return maskPhone(v);
      if (field === 'address') return `${[...v].slice(0, Math.max(2, Math.floor([...v].length / 2))).join('')}…`;
      return v;
    };
    const lines = rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      kind: r.kind,
      kindLabel: AUDIT_KIND_LABEL[r.kind],
      caseNumber: r.caseNumber,
      caseRef: r.caseRef,
      what:
        r.kind === 'edit' && r.field
          ? `${FIELD_LABELS[r.field] ?? r.field}：${value(r.field, r.oldValue)} → ${value(r.field, r.newValue)}`
          : r.kind === 'history' && r.action
            ? `${ACTION_LABEL[r.action] ?? r.action}：${r.detail}`
            : r.kind === 'view'
              ? `查看了完整的${r.detail}`
              : r.detail,
    }));
    return { lines, total };
  }
}
