/** Dates as the office reads them: calendar days in the office's time zone. */

/** The calendar day of an instant in the office's time zone, YYYY-MM-DD. */
export function localDate(at: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(typeof at === 'string' ? new Date(at) : at);
}

/** 2026-09-14 → 2026年9月14日: Chinese documents write dates without leading zeros (GB/T 9704). */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
