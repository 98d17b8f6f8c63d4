/**
 * Working days on China's official calendar: weekends and the State Council's holidays are rest days,
 * except the adjusted working days (调休上班) announced with them. The table comes from the office's
 * settings, one entry per year, because the notice is published each year late in the year before.
 */
import { addDays } from './calendar.js';

/** One year's notice: the holiday dates and the weekend days that are worked instead (YYYY-MM-DD). */
export interface HolidayYear {
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

/** Years (as written, '2025') to that year's notice. */
export type HolidayTable = Readonly<Record<string, HolidayYear>>;

/** Is the date (YYYY-MM-DD) a working day? A year missing from the table counts weekends only. */
export function isWorkingDay(date: string, table: HolidayTable): boolean {
  const year = table[date.slice(0, 4)];
  if (year?.workdays.includes(date)) return true;
  if (year?.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The n-th working day after `date` (the day of arrival itself is not counted, as a period in days
 * starts on the next day); n = 0 gives the date itself.
 */
export function addWorkingDays(date: string, n: number, table: HolidayTable): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, table)) left -= 1;
  }
  return day;
}

/** The years a count starting `today` may reach that the table lacks: the current year, and the next one from December. */
export function missingCalendarYears(today: string, table: HolidayTable): number[] {
  const year = Number(today.slice(0, 4));
  const wanted = today.slice(5, 7) === '12' ? [year, year + 1] : [year];
  return wanted.filter((y) => !(String(y) in table));
}
