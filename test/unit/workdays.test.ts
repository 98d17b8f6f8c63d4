import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, missingCalendarYears, type HolidayTable } from '../../src/domain/workdays.js';

// The State Council's notice for 2025 (国办发明电〔2024〕12号), as pipeline/settings.yaml writes it.
const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
    out.push(new Date(d).toISOString().slice(0, 10));
  }
  return out;
};
const table: HolidayTable = {
  '2025': {
    holidays: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
};

describe('isWorkingDay', () => {
  it('rests on holidays and weekends, works on the adjusted weekend days', () => {
    expect(isWorkingDay('2025-10-01', table)).toBe(false); // 国庆, a Wednesday
    expect(isWorkingDay('2025-10-11', table)).toBe(true); // 调休, a Saturday
    expect(isWorkingDay('2025-09-28', table)).toBe(true); // 调休, a Sunday
    expect(isWorkingDay('2025-10-12', table)).toBe(false); // an ordinary Sunday
    expect(isWorkingDay('2025-09-30', table)).toBe(true); // an ordinary Tuesday
  });
  it('counts weekends only in a year the table lacks', () => {
    expect(isWorkingDay('2027-10-01', {})).toBe(true); // a Friday
    expect(isWorkingDay('2027-10-02', {})).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('a transfer arriving the day before 国庆 2025 is due five working days later: 10月14日', () => {
    // 9/30 arrives; 10/1–10/8 rest; 10/9 Thu 1, 10/10 Fri 2, 10/11 Sat (调休) 3, 10/12 Sun rest, 10/13 Mon 4, 10/14 Tue 5.
    expect(addWorkingDays('2025-09-30', 5, table)).toBe('2025-10-14');
  });
  it('counts an adjusted working day before 春节 and skips the whole holiday', () => {
    // 1/24 Fri arrives; 1/25 Sat rest; 1/26 Sun (调休) 1; 1/27 Mon 2; 1/28–2/4 rest; 2/5 3, 2/6 4, 2/7 5.
    expect(addWorkingDays('2025-01-24', 5, table)).toBe('2025-02-07');
  });
  it('a count ending on a Friday does not run on to the weekend, and zero days is the day itself', () => {
    expect(addWorkingDays('2025-03-03', 4, table)).toBe('2025-03-07');
    expect(addWorkingDays('2025-03-03', 0, table)).toBe('2025-03-03');
  });
  it('crosses into a year the table lacks, counting weekends there', () => {
    expect(addWorkingDays('2025-12-31', 2, table)).toBe('2026-01-02');
  });
  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2025-03-03', -1, table)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-03-03', 1.5, table)).toThrow(RangeError);
  });
});

describe('missingCalendarYears', () => {
  it('names the current year when the table lacks it, and the next one from December', () => {
    expect(missingCalendarYears('2025-06-01', table)).toEqual([]);
    expect(missingCalendarYears('2025-12-02', table)).toEqual([2026]);
    expect(missingCalendarYears('2026-03-01', table)).toEqual([2026]);
  });
});
