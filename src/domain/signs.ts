/**
 * Informants' reports of early signs (信息员报告的苗头): not petitions, but what may become one — a
 * place, the people involved, what is brewing, a risk level from the settings' list, who reported
 * it and when. Each gets its own number (八宝信息〔2026〕3号: a counter of its own, per year, drawn
 * in the transaction that records it), goes to the dispute ledger and to the leaders' alerts, and
 * ends either turned into a case (registered and linked) or closed with what was done. Pure rules.
 */
import type { Actor } from './case.js';
import { fail } from './problems.js';
import type { LedgerRow } from './reports/ledger.js';
import type { Period } from './reports/periods.js';
import { can } from './roles.js';

export const SIGN_SOURCES = ['信息员', '电话'] as const;
/** 信息员: the informant reported it themselves; 电话: a clerk wrote down an informant's call. */
export type SignSource = (typeof SIGN_SOURCES)[number];

export type SignStatus = 'open' | 'case' | 'closed';

export const SIGN_STATUS_LABEL: Readonly<Record<SignStatus, string>> = { open: '待处置', case: '已转为案件', closed: '已办结' };

export interface SignReport {
  id: number;
  year: number;
  seq: number;
  /** 八宝信息〔2026〕3号. */
  number: string;
  source: SignSource;
  place: string;
  people: string;
  /** What is brewing. */
  matter: string;
  risk: string;
  /** Who reported it (the informant). */
  reporter: string;
  /** When it was reported (ISO instant). */
  reportedAt: string;
  /** Who recorded it (the informant themselves, or the clerk who took the call) and when. */
  by: string;
  at: string;
  status: SignStatus;
  /** The case it was turned into. */
  caseId: number | null;
  caseNumber: string | null;
  /** Closing (or turning into a case): what was done, by whom, when. */
  outcome: string | null;
  closedBy: string | null;
  closedAt: string | null;
}

export type NewSignReport = Pick<SignReport, 'source' | 'place' | 'people' | 'matter' | 'risk' | 'reporter' | 'reportedAt' | 'by' | 'at'> & { year: number };

/** A report as typed, checked against the settings' risk levels. */
export interface TypedSign {
  place?: string;
  people?: string;
  matter?: string;
  risk?: string;
  /** The informant; an informant signed in reports as themselves. */
  reporter?: string;
  /** When it was reported: a time, or as typed (2026-12-02 09:30); now if not given. */
  reportedAt?: string | Date;
}

export function checkSign(input: TypedSign, riskLevels: readonly string[], now: Date): Omit<NewSignReport, 'source' | 'by' | 'at' | 'year'> {
  const place = (input.place ?? '').trim();
  const people = (input.people ?? '').trim();
  const matter = (input.matter ?? '').trim();
  const reporter = (input.reporter ?? '').trim();
  const risk = (input.risk ?? '').trim();
  if (!place) fail({ code: 'sign-missing', what: 'place' });
  if (!people) fail({ code: 'sign-missing', what: 'people' });
  if (!matter) fail({ code: 'sign-missing', what: 'matter' });
  if (!reporter) fail({ code: 'sign-missing', what: 'reporter' });
  if (!riskLevels.includes(risk)) fail({ code: 'bad-sign-risk', given: risk, allowed: riskLevels });
  return { place, people, matter, risk, reporter, reportedAt: reportTime(input.reportedAt, now).toISOString() };
}

function reportTime(given: string | Date | undefined, now: Date): Date {
  if (given instanceof Date) return given;
  if (given === undefined || given.trim() === '') return now;
  // Read as the case registration reads a typed time (2026-12-02 09:30).
  const at = new Date(given.trim().replace(' ', 'T'));
  if (Number.isNaN(at.getTime())) fail({ code: 'bad-sign-time', given });
  return at;
}

/** Whether the actor may see this report: those who handle signs see all; an informant sees those they recorded. */
export function maySeeSign(actor: Actor, sign: Pick<SignReport, 'by'>): boolean {
  return can(actor, 'handle-signs') || (can(actor, 'report-signs') && sign.by === actor.name);
}

/** A report still open may be turned into a case or closed, once. */
export function mustBeOpen(sign: SignReport): void {
  if (sign.status !== 'open') fail({ code: 'sign-not-open', number: sign.number, status: sign.status, caseNumber: sign.caseNumber });
}

/** What a case registered from a report says as its matter. */
export function caseMatterOf(sign: SignReport): string {
  return `${sign.place}：${sign.matter}（涉及人员：${sign.people}；信息员 ${sign.reporter} 报告，${sign.number}）`;
}

/**
 * The ledger's risk word for a level of the settings' list (lowest first): the top level is 高,
 * the bottom 低, any between 中; a list of the standard words keeps its own.
 */
export function ledgerRisk(risk: string, levels: readonly string[]): string {
  if (['高', '中', '低'].includes(risk)) return risk;
  const i = levels.indexOf(risk);
  if (i === levels.length - 1) return '高';
  if (i <= 0) return '低';
  return '中';
}

/** The reports of a period (by the day they were reported) as lines of the dispute ledger. */
export function signLedgerRows(signs: readonly SignReport[], period: Pick<Period, 'from' | 'to'>, dayOf: (iso: string) => string, levels: readonly string[]): LedgerRow[] {
  return signs
    .map((s) => ({ s, day: dayOf(s.reportedAt) }))
    .filter(({ day }) => day >= period.from && day <= period.to)
    .sort((a, b) => a.day.localeCompare(b.day) || a.s.id - b.s.id)
    .map(({ s, day }) => ({
      checkedOn: day,
      area: s.place,
      checkedBy: `信息员 ${s.reporter}`,
      type: '苗头信息',
      parties: s.people,
      situation: `${s.matter}（${s.number}）`,
      risk: ledgerRisk(s.risk, levels),
      responsible: s.closedBy ?? '',
      measures: s.outcome ?? '',
      deadline: '',
      result: s.status === 'case' ? `已转为案件 ${s.caseNumber ?? ''}`.trim() : SIGN_STATUS_LABEL[s.status],
      caseNumber: s.caseNumber ?? '',
    }));
}
