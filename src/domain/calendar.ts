/** Dates as the office reads them: calendar days in the office's time zone. */
import { XinfangError } from './problems.js';

/** A year as a clerk types it on the command line, 1950 to 2100; anything else stops with exit code 2. */
export function parseYear(text: string): number {
  const year = Number(text);
  if (!Number.isInteger(year) || year < 1950 || year > 2100) throw new XinfangError('bad-year', `年度“${text}”不对，请写成 2026 这样的四位数。`, 2);
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
