import type { Settings } from '../settings.js';
import { localDate } from '../calendar.js';
import type { Case } from '../case.js';
import type { Flag } from '../flags.js';
import { caseDeadlines, dueState } from '../deadlines.js';
import { addDays } from '../calendar.js';
import { DEADLINE_LABEL, STATUS_LABEL } from '../words.js';
import { countByCaseLeader } from '../duties.js';
import { inPeriod, localDater, previousPeriod, twelveMonthsTo, type Period } from './periods.js';

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
  rising: { category: string; now: number; before: number }[];
  byMonth: { month: string; count: number }[];
  /** Cases of the period per leader in charge (包案), most first. */
  byCaseLeader: Count[];
}

/**
 * What the figures read of a case: the store reads only these for a period's statistics, as a
 * year of a busy office is read whole and the letters' text and history are not needed.
 */
export type StatsCase = Pick<Case, 'number' | 'status' | 'channel' | 'receivedAt' | 'repeatOf' | 'flags' | 'workflow' | 'caseLeader'> & {
  fields: Pick<Case['fields'], 'name' | 'phone' | 'idNumber' | 'category' | 'handlingType'>;
};

/**
 * The figures a leader reads, from the registry's cases: counted by the day a petition was
 * received, in the office's time zone. Pure: the caller passes every case and the time.
 */
export function computeStats(all: StatsCase[], period: Period, settings: Settings, now: Date): PeriodStats {
  const tz = settings.office.timezone;
  // Every case's local day is read several times over: worked out once, beside the case.
  const dayOf = localDater(tz);
  const dated = all.map((c) => ({ c, day: dayOf(c.receivedAt) }));
  const today = localDate(now, tz);
  const asOf = today < period.to ? today : period.to;
  const inside = dated.filter((x) => inPeriod(x.day, period)).map((x) => x.c);
  const before = previousPeriod(period);
  const previous = dated.filter((x) => inPeriod(x.day, before)).map((x) => x.c);

  const first = inside.filter((c) => !c.repeatOf);
  const firstClosed = first.filter((c) => c.status === 'closed').length;

  const onTimeCases: string[] = [];
  const lateCases: string[] = [];
  for (const c of inside) {
    const w = c.workflow;
    const answeredAt = w.repliedAt ?? w.declinedAt;
    if (!answeredAt) continue;
    const d = caseDeadlines(c, settings);
    const decidedBy = localDate((w.acceptedAt ?? w.declinedAt)!, tz);
    const ok = decidedBy <= d.notify && (!w.repliedAt || !d.handle || localDate(w.repliedAt, tz) <= d.handle);
    (ok ? onTimeCases : lateCases).push(c.number);
  }

  const asOfTime = new Date(`${asOf}T12:00:00Z`);
  const overdue = dated
    .filter((x) => x.day <= period.to && x.c.status !== 'closed')
    .map(({ c }) => ({ c, due: dueState(c, settings, asOfTime) }))
    .filter((x) => x.due && x.due.days < 0)
    .map((x) => ({ number: x.c.number, name: x.c.fields.name, deadline: x.due!.date, what: DEADLINE_LABEL[x.due!.kind], daysLate: -x.due!.days }))
    .sort((a, b) => b.daysLate - a.daysLate);

  const windowStart = addDays(period.to, -365) < period.from ? addDays(period.to, -365) : period.from;
  const repeatPeople = people(dated.filter((x) => x.day >= windowStart && x.day <= period.to))
    .map((group) => ({ group, inPeriod: group.filter((x) => inPeriod(x.day, period)).length }))
    .filter((x) => x.group.length >= 2 && x.inPeriod > 0)
    .map(({ group, inPeriod: n }) => ({ name: group[0]!.c.fields.name ?? '（未识别姓名）', count: group.length, inPeriod: n, cases: group.map((x) => x.c.number) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));

  const categories = settings.categories.map((c) => c.name);
  const countBy = (rows: StatsCase[], key: (c: StatsCase) => string | null, order: readonly string[] = []) => {
    const counts = new Map<string, number>(order.map((o) => [o, 0]));
    for (const c of rows) {
      const k = key(c) ?? '（未分类）';
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts].map(([name, count]) => ({ name, count }));
  };
  const byCategory = countBy(inside, (c) => c.fields.category, categories);
  const beforeByCategory = new Map(countBy(previous, (c) => c.fields.category, categories).map((x) => [x.name, x.count]));
  const byCategoryBefore = byCategory.map((x) => ({ name: x.name, count: beforeByCategory.get(x.name) ?? 0 }));
  const rising = byCategory
    .map((x) => ({ category: x.name, now: x.count, before: beforeByCategory.get(x.name) ?? 0 }))
    .filter((x) => x.now > x.before)
    .sort((a, b) => b.now - b.before - (a.now - a.before));

  const months = twelveMonthsTo(period);
  const monthCounts = new Map(months.map((m) => [m, 0]));
  for (const { day } of dated) {
    const m = day.slice(0, 7);
    if (monthCounts.has(m)) monthCounts.set(m, monthCounts.get(m)! + 1);
  }
  const flagged = (flag: Flag) => inside.filter((c) => c.flags.includes(flag)).map((c) => c.number);
  const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
  return {
    period: { from: period.from, to: period.to, label: period.label },
    asOf,
    total: inside.length,
    byCategory,
    byCategoryBefore,
    byChannel: countBy(inside, (c) => c.channel, ['来信', '来访', '电话', '网上', '转办']),
    byHandlingType: countBy(inside, (c) => c.fields.handlingType, ['建议意见类', '检举控告类', '申诉求决类']),
    byStatus: countBy(inside, (c) => STATUS_LABEL[c.status], Object.values(STATUS_LABEL)),
    firstPetitions: { total: first.length, closed: firstClosed, rate: rate(firstClosed, first.length) },
    onTime: { answered: onTimeCases.length + lateCases.length, onTime: onTimeCases.length, late: lateCases.length, rate: rate(onTimeCases.length, onTimeCases.length + lateCases.length), onTimeCases, lateCases },
    overdue,
    repeatPeople,
    group: { count: flagged('group').length, cases: flagged('group') },
    urgent: { count: flagged('urgent').length, cases: flagged('urgent') },
    rising,
    byMonth: months.map((month) => ({ month, count: monthCounts.get(month)! })),
    byCaseLeader: countByCaseLeader(inside),
  };
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
