/**
 * The assessment of cadres and handlers (考核, 条例 §39), the figures praise and criticism rest on:
 * per person, for a month, a year or any days, the cases in their hands (as handler, or as the
 * leader in charge, 包案), closed on time and late, still open and overdue, repeat petitions after
 * they closed a case, their 一岗双责 screenings done against those owed, and the petitioners'
 * satisfaction. Pure: the caller passes the cases, the screenings, the links and the time.
 */
import type { Actor } from '../case.js';
import { addDays, localDate, localDayStart } from '../calendar.js';
import { dueState } from '../deadlines.js';
import type { DutyLink, Screening } from '../duties.js';
import type { Settings } from '../settings.js';
import type { CaseStatus, Workflow } from '../workflow.js';
import { localDater, type Period } from './periods.js';
import { answeredOnTime, type Count, type StatsCase } from './stats.js';

/**
 * What the assessment reads of a case: what the statistics read, and the petitioner's evaluation.
 *
 * `evaluation` is the satisfaction input, and the only one: the value of the office's scale
 * (满意 / 基本满意 / 不满意, or the office's own words) recorded at the 回访 of the case, or null
 * when no return visit has recorded one. Until 回访/满意度 is in the registry every case passes
 * null (AssessmentService.cases, src/services/assessment.ts, is the one place that fills it), and
 * the report shows 未回访 for the case and — for a person with no evaluated case.
 */
export type AssessmentCase = StatsCase & { evaluation: string | null };

export type AssessmentRole = '经办人' | '包案领导' | '挂钩干部';
const ROLE_ORDER: readonly AssessmentRole[] = ['经办人', '包案领导', '挂钩干部'];

/** One person's figures; every count is the length of its list of case numbers (number order). */
export interface AssessmentRow {
  name: string;
  roles: AssessmentRole[];
  /** In their hands during the period: received by its end (or today), not closed before it began, not sent back (退回). */
  handled: string[];
  /** Of those, closed within the period by their deadlines (the statistics' 按期 rule), and after them. */
  closedOnTime: string[];
  closedLate: string[];
  /** Not closed by the period's end (or today) and past a deadline then. */
  openOverdue: string[];
  /** Not closed by then and within their deadlines (or answered, waiting to be closed). */
  openInTime: string[];
  /** closedOnTime ÷ (closedOnTime + closedLate), three places; null with nothing closed. */
  onTimeRate: number | null;
  /** Later petitions received in the period as repeats (repeat_of) of a case this person had closed before they came. */
  repeats: string[];
  /** 一岗双责: per linked unit, each month (of the period's days) owed one screening; done when one was recorded in those days. */
  screenings: { done: number; expected: number; missing: { unit: string; month: string }[] };
  /** Evaluations of the cases closed in the period, in the order first met; the cases closed with none recorded (未回访). */
  satisfaction: { evaluated: Count[]; unvisited: string[] };
}

export interface Assessment {
  period: { from: string; to: string; label: string };
  /** The day the figures are as of: the period's end, or today when the period is not over. */
  asOf: string;
  rows: AssessmentRow[];
}

/** The figures of a row the page links to the cases they count. */
export const ASSESSMENT_FIGURES = ['handled', 'on-time', 'late', 'overdue', 'open', 'repeats', 'closed'] as const;
export type AssessmentFigure = (typeof ASSESSMENT_FIGURES)[number];

export function isAssessmentFigure(text: string): text is AssessmentFigure {
  return (ASSESSMENT_FIGURES as readonly string[]).includes(text);
}

/** The numbers of the cases one figure of a row counts. */
export function figureCases(row: AssessmentRow, figure: AssessmentFigure): string[] {
  switch (figure) {
    case 'handled':
      return row.handled;
    case 'on-time':
      return row.closedOnTime;
    case 'late':
      return row.closedLate;
    case 'overdue':
      return row.openOverdue;
    case 'open':
      return row.openInTime;
    case 'repeats':
      return row.repeats;
    case 'closed':
      return [...row.closedOnTime, ...row.closedLate].sort(byNumberIn(row.handled));
  }
}

/**
 * Who may read the assessment: leaders (it is what praise and criticism are decided on), and the
 * office's terminal. Kept beside the figures, as the duties keep theirs, so the role table in
 * roles.ts stays as it is.
 */
export function mayAssess(actor: Actor): boolean {
  return actor.role === undefined || actor.role === '领导';
}

export interface AssessmentInput {
  /** Every case, in number order (listStatsCases with the evaluation). */
  cases: readonly AssessmentCase[];
  /** The screenings recorded on the period's days. */
  screenings: readonly Pick<Screening, 'cadre' | 'unit' | 'day'>[];
  links: readonly DutyLink[];
}

/** The assessment of a period as of now, from every case, the period's screenings and the cadres' links. */
export function computeAssessment(input: AssessmentInput, period: Period, settings: Settings, now: Date): Assessment {
  const tz = settings.office.timezone;
  const dayOf = localDater(tz);
  const today = localDate(now, tz);
  const asOf = today < period.to ? today : period.to;
  const asOfTime = new Date(`${asOf}T12:00:00Z`);
  const rows = new Map<string, AssessmentRow>();
  const row = (name: string, role: AssessmentRole): AssessmentRow => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { name, roles: [], handled: [], closedOnTime: [], closedLate: [], openOverdue: [], openInTime: [], onTimeRate: null, repeats: [], screenings: { done: 0, expected: 0, missing: [] }, satisfaction: { evaluated: [], unvisited: [] } }));
    if (!r.roles.includes(role)) r.roles.push(role);
    return r;
  };
  const people = (c: AssessmentCase) => {
    const out: AssessmentRow[] = [];
    const handler = c.workflow.instruction?.handler;
    if (handler) out.push(row(handler, '经办人'));
    const leader = c.caseLeader?.leader;
    if (leader && leader !== handler) out.push(row(leader, '包案领导'));
    else if (leader) row(leader, '包案领导');
    return out;
  };

  const byNumber = new Map(input.cases.map((c) => [c.number, c]));
  // The end of the day the figures are as of, as an instant: what had happened by then.
  const asOfEnd = Date.parse(localDayStart(addDays(asOf, 1), tz));
  for (const c of input.cases) {
    if (c.workflow.returnedAt) continue;
    const received = dayOf(c.receivedAt);
    const closed = c.workflow.closedAt ? dayOf(c.workflow.closedAt) : null;
    // A period not yet begun has nothing in hand.
    if (asOf >= period.from && received <= asOf && (!closed || closed >= period.from)) {
      for (const r of people(c)) {
        r.handled.push(c.number);
        if (closed && closed <= asOf) {
          (answeredOnTime(c, settings) ? r.closedOnTime : r.closedLate).push(c.number);
          if (c.evaluation === null) r.satisfaction.unvisited.push(c.number);
          else addCount(r.satisfaction.evaluated, c.evaluation);
        } else {
          const due = dueState(asItStood(c, asOfEnd), settings, asOfTime);
          (due && due.days < 0 ? r.openOverdue : r.openInTime).push(c.number);
        }
      }
    }
    // A repeat petition of the period after the earlier case was closed counts against who closed it.
    const earlier = c.repeatOf ? byNumber.get(c.repeatOf) : undefined;
    if (earlier?.workflow.closedAt && !earlier.workflow.returnedAt && received >= period.from && received <= period.to && Date.parse(earlier.workflow.closedAt) < Date.parse(c.receivedAt)) {
      for (const r of people(earlier)) r.repeats.push(c.number);
    }
  }

  const months = monthsOf(period);
  for (const link of input.links) {
    const r = row(link.cadre, '挂钩干部');
    const linkedOn = localDate(link.at, tz);
    for (const m of months) {
      if (m.from > today) continue;
      const owedBy = m.to < today ? m.to : today;
      if (linkedOn > owedBy) continue;
      r.screenings.expected++;
      const done = input.screenings.some((s) => s.cadre === link.cadre && s.unit === link.unit && s.day >= m.from && s.day <= m.to);
      if (done) r.screenings.done++;
      else r.screenings.missing.push({ unit: link.unit, month: m.label });
    }
  }

  for (const r of rows.values()) {
    r.roles.sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
    const closed = r.closedOnTime.length + r.closedLate.length;
    r.onTimeRate = closed ? Math.round((r.closedOnTime.length / closed) * 1000) / 1000 : null;
  }
  return {
    period: { from: period.from, to: period.to, label: period.label },
    asOf,
    rows: [...rows.values()].sort((a, b) => b.handled.length - a.handled.length || a.name.localeCompare(b.name)),
  };
}

/** A satisfaction cell: each evaluation with its count and the cases not visited; — when nothing was closed. */
export function satisfactionText(s: AssessmentRow['satisfaction']): string {
  const parts = [...s.evaluated.map((e) => `${e.name} ${e.count}`), ...(s.unvisited.length ? [`未回访 ${s.unvisited.length}`] : [])];
  return parts.length ? parts.join('、') : '—';
}

export const percentText = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function addCount(counts: Count[], name: string): void {
  const known = counts.find((c) => c.name === name);
  if (known) known.count++;
  else counts.push({ name, count: 1 });
}

const byNumberIn = (order: readonly string[]) => (a: string, b: string) => order.indexOf(a) - order.indexOf(b);

/**
 * The case as it stood at an instant: the steps taken after it undone, so the deadline running
 * then (and the extension granted by then) is the one judged.
 */
function asItStood(c: AssessmentCase, end: number): { status: CaseStatus; receivedAt: string; workflow: Workflow } {
  const by = (at: string | null | undefined): boolean => Boolean(at) && Date.parse(at!) < end;
  const w = c.workflow;
  const workflow: Workflow = {
    ...w,
    instruction: w.instruction && by(w.instruction.at) ? w.instruction : null,
    acceptedAt: by(w.acceptedAt) ? w.acceptedAt : null,
    declinedAt: by(w.declinedAt) ? w.declinedAt : null,
    extension: w.extension && by(w.extension.at) ? w.extension : null,
    repliedAt: by(w.repliedAt) ? w.repliedAt : null,
    closedAt: by(w.closedAt) ? w.closedAt : null,
  };
  const status: CaseStatus = workflow.closedAt
    ? 'closed'
    : workflow.repliedAt
      ? 'replied'
      : workflow.declinedAt
        ? 'declined'
        : workflow.extension
          ? 'extended'
          : workflow.acceptedAt
            ? 'accepted'
            : workflow.instruction
              ? 'instructed'
              : 'registered';
  return { status, receivedAt: c.receivedAt, workflow };
}

/** The months the period's days fall in, each cut to the period (a span of days keeps only its own days of a month). */
function monthsOf(period: Pick<Period, 'from' | 'to'>): { from: string; to: string; label: string }[] {
  const out: { from: string; to: string; label: string }[] = [];
  for (let first = `${period.from.slice(0, 7)}-01`; first <= period.to; ) {
    const [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const last = addDays(next, -1);
    out.push({ from: first < period.from ? period.from : first, to: last > period.to ? period.to : last, label: `${y}年${m}月` });
    first = next;
  }
  return out;
}
