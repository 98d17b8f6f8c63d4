import { fail } from '../problems.js';
import { addDays, localDate, localDayStart } from '../calendar.js';

/** A span of local calendar days, both ends included. */
export interface Period {
  from: string;
  to: string;
  /** 2026年11月, 2026年, 2026年3月1日至2026年5月31日 */
  label: string;
  kind: 'month' | 'year' | 'range';
}

export function monthPeriod(text: string): Period {
  const m = /^(\d{4})-(\d{1,2})$/.exec(text.trim());
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) fail({ code: 'bad-month', given: text, form: 'year-month' });
  const year = Number(m[1]);
  const from = `${year}-${String(month).padStart(2, '0')}-01`;
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1), label: `${year}年${month}月`, kind: 'month' };
}

export function yearPeriod(text: string): Period {
  const year = Number(text);
  if (!/^\d{4}$/.test(text.trim()) || year < 1950 || year > 2100) fail({ code: 'bad-year', given: text });
  return { from: `${year}-01-01`, to: `${year}-12-31`, label: `${year}年`, kind: 'year' };
}

export function rangePeriod(fromText: string, toText: string): Period {
  const ok = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
  if (!ok(fromText) || !ok(toText)) fail({ code: 'bad-range', from: fromText, to: toText, reason: 'form' });
  if (toText < fromText) fail({ code: 'bad-range', from: fromText, to: toText, reason: 'order' });
  const cn = (s: string) => `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日`;
  return { from: fromText, to: toText, label: `${cn(fromText)}至${cn(toText)}`, kind: 'range' };
}

/** The period just before, of the same kind and length: the month, year or span before. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'month') {
    const [y, m] = [Number(p.from.slice(0, 4)), Number(p.from.slice(5, 7))];
    return monthPeriod(m === 1 ? `${y - 1}-12` : `${y}-${m - 1}`);
  }
  if (p.kind === 'year') return yearPeriod(String(Number(p.from.slice(0, 4)) - 1));
  const days = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
  return rangePeriod(addDays(p.from, -days), addDays(p.from, -1));
}

export const inPeriod = (day: string, p: Period) => day >= p.from && day <= p.to;

/** YYYY-MM of the twelve months ending with the period's last month. */
export function twelveMonthsTo(p: Period): string[] {
  const [y, m] = [Number(p.to.slice(0, 4)), Number(p.to.slice(5, 7))];
  return Array.from({ length: 12 }, (_, i) => {
    const k = y * 12 + (m - 1) - (11 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

/** The period as instants for the registry's filter: from its first day's start (inclusive) to the start of the day after it (exclusive). */
export function periodInstants(p: Pick<Period, 'from' | 'to'>, timeZone: string): { receivedFrom: string; receivedTo: string } {
  return { receivedFrom: localDayStart(p.from, timeZone), receivedTo: localDayStart(addDays(p.to, 1), timeZone) };
}

/**
 * localDate for many instants at once (a year of cases): the local day is looked up once per day
 * as the span of instants it covers, each span checked at its ends so a zone that moves its
 * clocks at midnight falls back to asking the formatter.
 */
export function localDater(timeZone: string): (at: string | Date) => string {
  const DAY = 86_400_000;
  const spans = new Map<number, { from: number; to: number; day: string }[]>();
  return (at) => {
    const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
    const key = Math.floor(t / DAY);
    let known = spans.get(key);
    const hit = known?.find((s) => t >= s.from && t < s.to);
    if (hit) return hit.day;
    const day = localDate(new Date(t), timeZone);
    const from = Date.parse(localDayStart(day, timeZone));
    const to = Date.parse(localDayStart(addDays(day, 1), timeZone));
    const exact = t >= from && t < to && localDate(new Date(from), timeZone) === day && localDate(new Date(from - 1), timeZone) !== day && localDate(new Date(to - 1), timeZone) === day && localDate(new Date(to), timeZone) !== day;
    if (!exact) return day;
    if (!known) spans.set(key, (known = []));
    known.push({ from, to, day });
    return day;
  };
}
