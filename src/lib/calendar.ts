/** Dates as the office reads them: calendar days in the office's time zone. */

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
