/** Dates as the office reads them: calendar days in the office's time zone, written YYYY-MM-DD. */
import { fail } from './problems.js';

/** A year as a clerk types it, 1950 to 2100. */
export function parseYear(text: string): number {
  const year = Number(text);
  if (!Number.isInteger(year) || year < 1950 || year > 2100) fail({ code: 'bad-year', given: text });
  return year;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in the office's time zone, YYYY-MM-DD. */
export function localDate(at: Date | string, timeZone: string): string {
  // A formatter is costly to make (ICU); long listings ask for thousands of dates.
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone });
    formatters.set(timeZone, format);
  }
  return format.format(typeof at === 'string' ? new Date(at) : at);
}

/** 2026-09-14 → 2026年9月14日: Chinese documents write dates without leading zeros (GB/T 9704). */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2026-12-20, 2026/12/20 or 2026年12月20日 → 2026-12-20; null if not a real date. */
export function parseDate(text: string): string | null {
  const m = text.trim().match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Whole days from `today` to `date` (both YYYY-MM-DD): negative when the date has passed. */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}


/** A month of the year as typed, 1 to 12. */
export function parseMonth(text: string): number {
  const month = Number(text);
  if (!Number.isInteger(month) || month < 1 || month > 12) fail({ code: 'bad-month', given: text, form: 'number' });
  return month;
}

/** Making a formatter is costly (ICU): one per zone. */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The instant a local calendar day starts in a time zone, as ISO (the start of a period typed as dates). */
export function localDayStart(day: string, timeZone: string): string {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  // The zone's offset at that moment, e.g. GMT+08:00; the day starts that much earlier in UTC.
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(utcMidnight).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  return new Date(utcMidnight.getTime() - minutes * 60_000).toISOString();
}
