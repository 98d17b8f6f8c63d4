import type { Settings } from '../settings.js';
import { localDate } from '../calendar.js';
import type { Case } from '../case.js';
import type { CaseStatus } from '../workflow.js';
import { caseDeadlines, dueState } from '../deadlines.js';
import { addDays } from '../calendar.js';
import { DEADLINE_LABEL, STATUS_LABEL } from '../words.js';
import { byLeaderCount } from '../duties.js';
import { chineseDate } from '../calendar.js';
import { isSatisfied, reviewRules, reviewWindow, unsatisfiedAdvice } from '../follow-up.js';
import { inPeriod, localDater, periodInstants, previousPeriod, twelveMonthsTo, type Period } from './periods.js';

export interface Count {
  name: string;
  count: number;
}

export interface PeriodStats {
  period: { from: string; to: string; label: string };
  /** The day the figures are as of: the period's end, or today when the period is not over. */
  asOf: string;
  total: number;
  byCategory: Count[];
  /** The same categories counted over the period just before (the month, year or span before), 0 where none came. */
  byCategoryBefore: Count[];
  byChannel: Count[];
  byHandlingType: Count[];
  byStatus: Count[];
  /** 初信初访: petitions that repeat no earlier one, and how many of them are closed. */
  firstPetitions: { total: number; closed: number; rate: number | null };
  /** Answered (replied to or declined) petitions of the period, and how many by their deadlines. */
  onTime: { answered: number; onTime: number; late: number; rate: number | null; onTimeCases: string[]; lateCases: string[] };
  overdue: { number: string; name: string | null; deadline: string; what: string; daysLate: number }[];
  /** 重点人员: people with two petitions or more in the period or the twelve months before its end. */
  repeatPeople: { name: string; count: number; inPeriod: number; cases: string[] }[];
  group: { count: number; cases: string[] };
  urgent: { count: number; cases: string[] };
  /** Transferred cases sent back (退回) as not the office's: closed, but not handled here. */
  returned: { count: number; cases: string[] };
  rising: { category: string; now: number; before: number }[];
  byMonth: { month: string; count: number }[];
  /** Cases of the period per leader in charge (包案), most first. */
  byCaseLeader: Count[];
  /** 回访 and 满意度 of the period's cases that have a return visit (latest evaluation each). */
  satisfaction: Satisfaction;
}

/** Visited cases and how many of them were satisfied (the settings' followUp.satisfied words), with the rate. */
export interface SatisfactionRate {
  name: string;
  visited: number;
  satisfied: number;
  rate: number | null;
  cases: string[];
}

export interface Satisfaction {
  visited: number;
  satisfied: number;
  rate: number | null;
  /** Each word of the scale, in the scale's order, then any word no longer on it. */
  byResult: Count[];
  byCategory: SatisfactionRate[];
  /** By the handler named in the instruction; （未指定） where none was. */
  byHandler: SatisfactionRate[];
  /** Unsatisfied cases, in number order, with what the petitioner may do next. */
  unsatisfied: { number: string; name: string | null; result: string; visitedOn: string; handler: string | null; next: string }[];
}

/**
 * What the figures read of a case: the store reads only these for a period's statistics, as a
 * year of a busy office is read whole and the letters' text and history are not needed.
 */
export type StatsCase = Pick<Case, 'number' | 'status' | 'channel' | 'receivedAt' | 'repeatOf' | 'flags' | 'workflow' | 'caseLeader'> & {
  fields: Pick<Case['fields'], 'name' | 'phone' | 'idNumber' | 'category' | 'handlingType'>;
};

/** Instants from (inclusive) to (exclusive), ISO: a span of local days as the registry filters them. */
export interface InstantRange {
  from: string;
  to: string;
}

/** The spans a period's figures read, as instants (the store compares received_at with them). */
export interface StatsQuery {
  period: InstantRange;
  /** The period just before, for the categories' rise. */
  before: InstantRange;
  /** 重点人员 are looked for over the period and the twelve months before its end. */
  window: InstantRange;
  /** The twelve months to the period's end, oldest first. */
  months: InstantRange[];
}

export interface KeyCount {
  key: string | null;
  count: number;
}

/**
 * What the figures are made from: the plain counts, which the store may add up where the cases
 * are, and the few cases whose figures need a rule worked out per case (deadlines, people).
 */
export interface StatsRead {
  /** Cases received in the period, counted by each field; extra keys in the order first registered. */
  byCategory: KeyCount[];
  byChannel: KeyCount[];
  byHandlingType: KeyCount[];
  byStatus: KeyCount[];
  first: { total: number; closed: number };
  beforeByCategory: KeyCount[];
  /** One count per month of the query. */
  byMonth: number[];
  /** Numbers of the period's cases with the flag, in number order. */
  group: string[];
  urgent: string[];
  /** The period's cases by the leader in charge (包案), those with one only. */
  byCaseLeader: KeyCount[];
  /** Numbers of the period's transferred cases sent back (退回), in number order. */
  returned: string[];
  /** The period's cases replied to or declined. */
  answered: StatsCase[];
  /** Cases received before the period's end and not closed. */
  open: StatsCase[];
  /** Cases of the window sharing an ID number, or a name and phone, with another case of the window. */
  people: StatsCase[];
  /** The period's cases with a return visit (回访), in number order. */
  visited: StatsCase[];
}

export function statsQuery(period: Period, timeZone: string): StatsQuery {
  const span = (from: string, to: string): InstantRange => {
    const r = periodInstants({ from, to }, timeZone);
    return { from: r.receivedFrom, to: r.receivedTo };
  };
  const before = previousPeriod(period);
  const windowStart = addDays(period.to, -365) < period.from ? addDays(period.to, -365) : period.from;
  const months = twelveMonthsTo(period).map((m) => span(`${m}-01`, addDays(`${nextMonth(m)}-01`, -1)));
  return { period: span(period.from, period.to), before: span(before.from, before.to), window: span(windowStart, period.to), months };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The read of the figures from the cases themselves, in memory: what the store's own reading
 * must equal (the contract suite checks it), and what a test or a small office may pass.
 */
export function readStats(all: StatsCase[], q: StatsQuery): StatsRead {
  const at = (c: StatsCase) => Date.parse(c.receivedAt);
  const within = (r: InstantRange) => {
    const from = Date.parse(r.from);
    const to = Date.parse(r.to);
    return (c: StatsCase) => at(c) >= from && at(c) < to;
  };
  const inside = all.filter(within(q.period));
  const countBy = (rows: StatsCase[], key: (c: StatsCase) => string | null): KeyCount[] => {
    const counts = new Map<string | null, number>();
    for (const c of rows) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
    return [...counts].map(([k, count]) => ({ key: k, count }));
  };
  const first = inside.filter((c) => !c.repeatOf);
  const periodEnd = Date.parse(q.period.to);
  const window = all.filter(within(q.window));
  const keyCounts = new Map<string, number>();
  for (const k of window.flatMap(personKeys)) keyCounts.set(k, (keyCounts.get(k) ?? 0) + 1);
  return {
    byCategory: countBy(inside, (c) => c.fields.category),
    byChannel: countBy(inside, (c) => c.channel),
    byHandlingType: countBy(inside, (c) => c.fields.handlingType),
    byStatus: countBy(inside, (c) => c.status),
    first: { total: first.length, closed: first.filter((c) => c.status === 'closed').length },
    beforeByCategory: countBy(all.filter(within(q.before)), (c) => c.fields.category),
    byMonth: q.months.map((m) => all.filter(within(m)).length),
    group: inside.filter((c) => c.flags.includes('group')).map((c) => c.number),
    urgent: inside.filter((c) => c.flags.includes('urgent')).map((c) => c.number),
    returned: inside.filter((c) => c.workflow.returnedAt).map((c) => c.number),
    byCaseLeader: countBy(inside.filter((c) => c.caseLeader), (c) => c.caseLeader!.leader),
    answered: inside.filter((c) => c.workflow.repliedAt ?? c.workflow.declinedAt),
    open: all.filter((c) => at(c) < periodEnd && c.status !== 'closed'),
    people: window.filter((c) => personKeys(c).some((k) => keyCounts.get(k)! > 1)),
    visited: inside.filter((c) => c.workflow.returnVisit),
  };
}

/** The keys that make two petitions one person's: the same ID number, or the same name and phone. */
function personKeys(c: StatsCase): string[] {
  const keys: string[] = [];
  if (c.fields.idNumber) keys.push(`id:${c.fields.idNumber}`);
  if (c.fields.name && c.fields.phone) keys.push(`np:${c.fields.name}|${c.fields.phone}`);
  return keys;
}

/** The figures of a period from every case, read in memory. */
export function statsOfCases(all: StatsCase[], period: Period, settings: Settings, now: Date): PeriodStats {
  return computeStats(readStats(all, statsQuery(period, settings.office.timezone)), period, settings, now);
}

/**
 * The figures a leader reads, from the registry's cases: counted by the day a petition was
 * received, in the office's time zone. Pure: the caller passes what was read and the time.
 */
export function computeStats(read: StatsRead, period: Period, settings: Settings, now: Date): PeriodStats {
  const tz = settings.office.timezone;
  const dayOf = localDater(tz);
  const today = localDate(now, tz);
  const asOf = today < period.to ? today : period.to;

  const onTimeCases: string[] = [];
  const lateCases: string[] = [];
  for (const c of read.answered) (answeredOnTime(c, settings) ? onTimeCases : lateCases).push(c.number);

  const asOfTime = new Date(`${asOf}T12:00:00Z`);
  const overdue = read.open
    .map((c) => ({ c, due: dueState(c, settings, asOfTime) }))
    .filter((x) => x.due && x.due.days < 0)
    .map((x) => ({ number: x.c.number, name: x.c.fields.name, deadline: x.due!.date, what: DEADLINE_LABEL[x.due!.kind], daysLate: -x.due!.days }))
    .sort((a, b) => b.daysLate - a.daysLate);

  const repeatPeople = people(read.people.map((c) => ({ c, day: dayOf(c.receivedAt) })))
    .map((group) => ({ group, inPeriod: group.filter((x) => inPeriod(x.day, period)).length }))
    .filter((x) => x.group.length >= 2 && x.inPeriod > 0)
    .map(({ group, inPeriod: n }) => ({ name: group[0]!.c.fields.name ?? '（未识别姓名）', count: group.length, inPeriod: n, cases: group.map((x) => x.c.number) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));

  const categories = settings.categories.map((c) => c.name);
  /** Counts in the office's order first, then any other key as read; cases with none under （未分类）. */
  const ordered = (counts: KeyCount[], order: readonly string[] = [], label: (key: string) => string = (k) => k) => {
    const out = new Map<string, number>(order.map((o) => [o, 0]));
    for (const { key, count } of counts) {
      const k = key === null ? '（未分类）' : label(key);
      out.set(k, (out.get(k) ?? 0) + count);
    }
    return [...out].map(([name, count]) => ({ name, count }));
  };
  const byCategory = ordered(read.byCategory, categories);
  const beforeByCategory = new Map(ordered(read.beforeByCategory, categories).map((x) => [x.name, x.count]));
  const byCategoryBefore = byCategory.map((x) => ({ name: x.name, count: beforeByCategory.get(x.name) ?? 0 }));
  const rising = byCategory
    .map((x) => ({ category: x.name, now: x.count, before: beforeByCategory.get(x.name) ?? 0 }))
    .filter((x) => x.now > x.before)
    .sort((a, b) => b.now - b.before - (a.now - a.before));

  const months = twelveMonthsTo(period);
  const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
  return {
    period: { from: period.from, to: period.to, label: period.label },
    asOf,
    total: read.byChannel.reduce((n, x) => n + x.count, 0),
    byCategory,
    byCategoryBefore,
    byChannel: ordered(read.byChannel, ['来信', '来访', '电话', '网上', '转办']),
    byHandlingType: ordered(read.byHandlingType, ['建议意见类', '检举控告类', '申诉求决类']),
    byStatus: ordered(read.byStatus, Object.values(STATUS_LABEL), (k) => STATUS_LABEL[k as CaseStatus]),
    firstPetitions: { total: read.first.total, closed: read.first.closed, rate: rate(read.first.closed, read.first.total) },
    onTime: { answered: onTimeCases.length + lateCases.length, onTime: onTimeCases.length, late: lateCases.length, rate: rate(onTimeCases.length, onTimeCases.length + lateCases.length), onTimeCases, lateCases },
    overdue,
    repeatPeople,
    group: { count: read.group.length, cases: read.group },
    urgent: { count: read.urgent.length, cases: read.urgent },
    returned: { count: read.returned.length, cases: read.returned },
    rising,
    byMonth: months.map((month, i) => ({ month, count: read.byMonth[i] ?? 0 })),
    byCaseLeader: byLeaderCount(read.byCaseLeader.map(({ key, count }) => ({ name: key ?? '', count }))),
    satisfaction: satisfactionOf(read.visited, settings, categories),
  };
}

/** Satisfaction rates by category and handler, and the unsatisfied cases with the petitioner's next step (复查 within its days of the reply). */
function satisfactionOf(visited: StatsCase[], settings: Settings, categories: readonly string[]): Satisfaction {
  const { satisfaction: scale, satisfied: good, unsatisfiedAdvice: advice } = settings.followUp;
  const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
  const ok = (c: StatsCase) => isSatisfied(c.workflow.returnVisit!.result, good);
  const rates = (key: (c: StatsCase) => string, order: readonly string[]): SatisfactionRate[] => {
    const groups = new Map<string, StatsCase[]>();
    for (const c of visited) groups.set(key(c), [...(groups.get(key(c)) ?? []), c]);
    const names = [...order.filter((o) => groups.has(o)), ...[...groups.keys()].filter((k) => !order.includes(k))];
    return names.map((name) => {
      const rows = groups.get(name)!;
      const n = rows.filter(ok).length;
      return { name, visited: rows.length, satisfied: n, rate: rate(n, rows.length), cases: rows.map((c) => c.number) };
    });
  };
  const results = new Map<string, number>(scale.map((s) => [s, 0]));
  for (const c of visited) results.set(c.workflow.returnVisit!.result, (results.get(c.workflow.returnVisit!.result) ?? 0) + 1);
  const rules = reviewRules(settings);
  const tz = settings.office.timezone;
  const unsatisfied = visited
    .filter((c) => !ok(c))
    .map((c) => {
      const v = c.workflow.returnVisit!;
      const asked = c.workflow.reviews.at(-1);
      const window = reviewWindow(c.workflow, rules, tz, settings.calendar.holidays);
      const next = asked
        ? `已于 ${chineseDate(asked.requestedOn)} 向${asked.body}申请${asked.stage}${asked.decidedOn ? `，结论：${asked.decision}` : '，等待结论'}`
        : unsatisfiedAdvice(advice, { days: rules.requestDays, due: window?.due ?? null, body: settings.workflow.reviewAuthority });
      return { number: c.number, name: c.fields.name, result: v.result, visitedOn: v.on, handler: c.workflow.instruction?.handler ?? null, next };
    });
  const n = visited.filter(ok).length;
  return {
    visited: visited.length,
    satisfied: n,
    rate: rate(n, visited.length),
    byResult: [...results].map(([name, count]) => ({ name, count })),
    byCategory: rates((c) => c.fields.category ?? '（未分类）', categories),
    byHandler: rates((c) => c.workflow.instruction?.handler ?? '（未指定）', []),
    unsatisfied,
  };
}

/**
 * Whether an answered case (replied to or declined) kept its deadlines: decided (accepted or
 * declined) by the notify deadline and, when replied to, replied by the handling deadline. The
 * statistics' 按期 and the assessment's 按期办结 are this one rule.
 */
export function answeredOnTime(c: Pick<StatsCase, 'status' | 'receivedAt' | 'workflow'>, settings: Settings): boolean {
  const tz = settings.office.timezone;
  const w = c.workflow;
  const decided = w.acceptedAt ?? w.declinedAt;
  if (!decided) return false;
  const d = caseDeadlines(c, settings);
  return localDate(decided, tz) <= d.notify && (!w.repliedAt || !d.handle || localDate(w.repliedAt, tz) <= d.handle);
}

/**
 * Petitions (each with its day) grouped by person: the same ID number, or the same name and phone, joined through
 * each other (one letter with an ID and one with name and phone make one person).
 */
function people<C extends { c: StatsCase }>(cases: C[]): C[][] {
  const parent = cases.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const byKey = new Map<string, number>();
  cases.forEach(({ c }, i) => {
    const keys = [c.fields.idNumber ? `id:${c.fields.idNumber}` : null, c.fields.name && c.fields.phone ? `np:${c.fields.name}|${c.fields.phone}` : null].filter(Boolean) as string[];
    for (const k of keys) {
      const j = byKey.get(k);
      if (j === undefined) byKey.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, C[]>();
  cases.forEach((x, i) => {
    if (!x.c.fields.idNumber && !(x.c.fields.name && x.c.fields.phone)) return;
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(x);
    else groups.set(root, [x]);
  });
  return [...groups.values()];
}
