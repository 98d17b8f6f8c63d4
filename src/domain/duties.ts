/**
 * Leaders' reception days (领导接访日), a leader taking charge of a case (包案), and each cadre's
 * duty for the units and enterprises linked to them (一岗双责): a screening (排查) of each unit
 * every month, every day during the sensitive periods the settings name. Pure rules: no I/O.
 */
import { addDays, localDate, parseDate } from './calendar.js';
import { fail } from './problems.js';
import type { LedgerRow } from './reports/ledger.js';
import type { Period } from './reports/periods.js';

/** One leader's reception day on the schedule. */
export interface ReceptionDay {
  id: number;
  /** Local day, 2026-12-10. */
  day: string;
  leader: string;
  place: string;
  /** As the notice prints it: 09:00—12:00. */
  time: string;
  by: string;
  at: string;
}

export type NewReceptionDay = Omit<ReceptionDay, 'id'>;

/** A leader in charge of a case (包案): named on the case, the book, the ledger and the statistics. */
export interface CaseLeader {
  leader: string;
  by: string;
  at: string;
}

export const DUTY_UNIT_KINDS = ['单位', '企业'] as const;
export type DutyUnitKind = (typeof DUTY_UNIT_KINDS)[number];

/** A unit or enterprise a cadre is linked to (挂钩), from the day it was linked. */
export interface DutyLink {
  id: number;
  cadre: string;
  unit: string;
  kind: DutyUnitKind;
  by: string;
  at: string;
}

export type RiskLevel = '高' | '中' | '低';
export const RISK_LEVELS: readonly RiskLevel[] = ['高', '中', '低'];

/** What a screening found: a dispute or risk, or nothing (a zero report). */
export interface ScreeningFinding {
  type: string;
  parties: string;
  situation: string;
  risk: RiskLevel;
  measures: string;
  deadline: string;
  responsible: string;
}

/** One cadre's screening of one unit on one day. */
export interface Screening {
  id: number;
  cadre: string;
  unit: string;
  /** Local day screened. */
  day: string;
  /** null: nothing found (零报告). */
  finding: ScreeningFinding | null;
  by: string;
  at: string;
}

export type NewScreening = Omit<Screening, 'id'>;

/** A period before an important meeting or a sensitive date, when screening is asked for daily. */
export interface SensitivePeriod {
  name: string;
  from: string;
  to: string;
}

/** A day as typed (2026-12-10 or 2026年12月10日), checked; a problem otherwise. */
export function dutyDay(given: string): string {
  const day = parseDate(given.trim());
  if (!day) fail({ code: 'bad-duty-day', given });
  return day;
}

/** A reception day as the administrator or a leader types it, checked. */
export function checkReceptionDay(input: { day: string; leader: string; place: string; time: string }): { day: string; leader: string; place: string; time: string } {
  const day = dutyDay(input.day);
  const leader = input.leader.trim();
  const place = input.place.trim();
  const time = input.time.trim();
  if (!leader) fail({ code: 'duty-missing', what: 'leader' });
  if (!place) fail({ code: 'duty-missing', what: 'place' });
  if (!time) fail({ code: 'duty-missing', what: 'time' });
  return { day, leader, place, time };
}

/** The reception days of a period, in day order (and the order they were put on the schedule). */
export function receptionDaysIn(days: readonly ReceptionDay[], period: Pick<Period, 'from' | 'to'>): ReceptionDay[] {
  return days.filter((d) => d.day >= period.from && d.day <= period.to).sort((a, b) => a.day.localeCompare(b.day) || a.id - b.id);
}

/** A link's unit, checked. */
export function checkLink(input: { cadre: string; unit: string; kind?: string }): { cadre: string; unit: string; kind: DutyUnitKind } {
  const cadre = input.cadre.trim();
  const unit = input.unit.trim();
  const kind = (input.kind?.trim() || '单位') as DutyUnitKind;
  if (!cadre) fail({ code: 'duty-missing', what: 'cadre' });
  if (!unit) fail({ code: 'duty-missing', what: 'unit' });
  if (!DUTY_UNIT_KINDS.includes(kind)) fail({ code: 'bad-duty-kind', given: input.kind ?? '', allowed: DUTY_UNIT_KINDS });
  return { cadre, unit, kind };
}

/** A finding as typed: a risk needs its situation and a level; measures, deadline and the rest may follow later. */
export function checkFinding(input: Partial<Record<keyof ScreeningFinding, string>>): ScreeningFinding {
  const situation = (input.situation ?? '').trim();
  if (!situation) fail({ code: 'duty-missing', what: 'situation' });
  const risk = (input.risk ?? '').trim();
  if (!(RISK_LEVELS as readonly string[]).includes(risk)) fail({ code: 'bad-risk', given: risk, allowed: RISK_LEVELS });
  return {
    type: (input.type ?? '').trim() || '其他',
    parties: (input.parties ?? '').trim(),
    situation,
    risk: risk as RiskLevel,
    measures: (input.measures ?? '').trim(),
    deadline: (input.deadline ?? '').trim(),
    responsible: (input.responsible ?? '').trim(),
  };
}

/** One unit a cadre has not yet screened. */
export interface Unscreened {
  cadre: string;
  unit: string;
  kind: DutyUnitKind;
}

/** Who has not screened which unit: for the month, and for each day of a sensitive period in it. */
export interface ScreeningDue {
  /** Links with no screening at all in the month (a month not begun yet asks nothing). */
  month: Unscreened[];
  /** Each day of a sensitive period within the month, up to today, with the links not screened that day. */
  days: { day: string; period: string; missing: Unscreened[] }[];
}

/**
 * What screening is still owed in a month, as of today. Every link that existed on the month's
 * last day (or today, if earlier) owes one screening in the month; any screening of that unit by
 * that cadre that month counts. During a sensitive period each day owes one, from the day the link
 * was made, for the days of the period that fall in this month and are not after today.
 */
export function screeningDue(month: Pick<Period, 'from' | 'to'>, links: readonly DutyLink[], screenings: readonly Pick<Screening, 'cadre' | 'unit' | 'day'>[], periods: readonly SensitivePeriod[], today: string, timeZone: string): ScreeningDue {
  if (today < month.from) return { month: [], days: [] };
  const until = today < month.to ? today : month.to;
  const linkedOn = (l: DutyLink) => localDate(l.at, timeZone);
  const key = (cadre: string, unit: string) => `${cadre}\u0000${unit}`;
  const done = new Map<string, Set<string>>();
  for (const s of screenings) {
    if (s.day < month.from || s.day > month.to) continue;
    const k = key(s.cadre, s.unit);
    if (!done.has(k)) done.set(k, new Set());
    done.get(k)!.add(s.day);
  }
  const asUnscreened = (l: DutyLink): Unscreened => ({ cadre: l.cadre, unit: l.unit, kind: l.kind });
  const monthMissing = links.filter((l) => linkedOn(l) <= until && !done.has(key(l.cadre, l.unit))).map(asUnscreened);
  const days: ScreeningDue['days'] = [];
  for (let day = month.from; day <= until; day = addDays(day, 1)) {
    const period = periods.find((p) => p.from <= day && day <= p.to);
    if (!period) continue;
    const missing = links.filter((l) => linkedOn(l) <= day && !done.get(key(l.cadre, l.unit))?.has(day)).map(asUnscreened);
    days.push({ day, period: period.name, missing });
  }
  return { month: monthMissing, days };
}

/** The sensitive periods a day falls in. */
export function sensitiveOn(day: string, periods: readonly SensitivePeriod[]): SensitivePeriod[] {
  return periods.filter((p) => p.from <= day && day <= p.to);
}

/** The risks the screenings of a period found, as lines of the dispute ledger (no case number). */
export function screeningLedgerRows(screenings: readonly Screening[], period: Pick<Period, 'from' | 'to'>): LedgerRow[] {
  return screenings
    .filter((s) => s.finding && s.day >= period.from && s.day <= period.to)
    .sort((a, b) => a.day.localeCompare(b.day) || a.id - b.id)
    .map((s) => {
      const f = s.finding!;
      return {
        checkedOn: s.day,
        area: s.unit,
        checkedBy: s.cadre,
        type: f.type,
        parties: f.parties,
        situation: f.situation,
        risk: f.risk,
        responsible: f.responsible || s.cadre,
        measures: f.measures,
        deadline: f.deadline,
        result: '排查发现',
        caseNumber: '',
      } satisfies LedgerRow;
    });
}

/** The zero reports (nothing found) of a period: who screened which unit on which day. */
export function zeroReports(screenings: readonly Screening[], period: Pick<Period, 'from' | 'to'>): Screening[] {
  return screenings.filter((s) => !s.finding && s.day >= period.from && s.day <= period.to).sort((a, b) => a.day.localeCompare(b.day) || a.id - b.id);
}

/** Cases per leader in charge (包案), most first; cases with none are not counted. */
export function countByCaseLeader(cases: readonly { caseLeader?: CaseLeader | null }[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of cases) if (c.caseLeader) counts.set(c.caseLeader.leader, (counts.get(c.caseLeader.leader) ?? 0) + 1);
  return byLeaderCount([...counts].map(([name, count]) => ({ name, count })));
}

/** 包案 counts as the statistics list them: most cases first, then by name. */
export function byLeaderCount(counts: { name: string; count: number }[]): { name: string; count: number }[] {
  return [...counts].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
