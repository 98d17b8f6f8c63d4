import path from 'node:path';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { parseSettings } from '../../src/domain/settings.js';
import { XinfangError } from '../../src/domain/problems.js';
import { problemText } from '../../src/domain/words.js';
import { addWorkingDays, missingCalendarYears } from '../../src/domain/workdays.js';
import { repoRoot } from '../helpers/workspace.js';

const file = path.join(repoRoot, 'pipeline', 'settings.yaml');

describe('the holiday table in pipeline/settings.yaml', () => {
  it('reads 2025 and 2026 as dates the working-day count uses', () => {
    const { holidays } = loadSettings(file).calendar;
    expect(holidays['2025']!.holidays).toContain('2025-10-08');
    // Runs written first～last are every day between: 春节 2025 is 8 days, 28 holidays in all.
    expect(holidays['2025']!.holidays.filter((d) => d >= '2025-01-28' && d <= '2025-02-04')).toHaveLength(8);
    expect(holidays['2025']!.holidays).toHaveLength(28);
    expect(holidays['2025']!.holidays).not.toContain('2025-02-05');
    expect(holidays['2025']!.workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(addWorkingDays('2025-09-30', 5, holidays)).toBe('2025-10-14');
    expect(missingCalendarYears('2026-06-01', holidays)).toEqual([]);
    expect(missingCalendarYears('2026-12-02', holidays)).toEqual([2027]);
  });

  it('refuses a mistyped date with a Chinese message naming the key', () => {
    const raw = YAML.parse(readFileSync(file, 'utf8')) as { calendar: { holidays: Record<string, unknown> } };
    raw.calendar.holidays['2027'] = { holidays: ['2027-1-1'], workdays: [] };
    let text = '';
    try {
      parseSettings(raw);
    } catch (e) {
      text = problemText((e as XinfangError).problem);
    }
    expect(text).toContain('calendar.holidays.2027.holidays.0');
    expect(text).toContain('格式如 2025-10-01');
  });

  it('reads a run across a month end day by day, and refuses a run with a mistyped end', () => {
    const raw = YAML.parse(readFileSync(file, 'utf8')) as { calendar: { holidays: Record<string, unknown> } };
    raw.calendar.holidays['2027'] = { holidays: ['2027-01-30～2027-02-02'], workdays: [] };
    expect(parseSettings(raw).calendar.holidays['2027']!.holidays).toEqual(['2027-01-30', '2027-01-31', '2027-02-01', '2027-02-02']);
    raw.calendar.holidays['2027'] = { holidays: ['2027-01-30～2-2'], workdays: [] };
    expect(() => parseSettings(raw)).toThrow(XinfangError);
  });

  it('is empty, not an error, when an office has not filled it in', () => {
    const raw = YAML.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete raw.calendar;
    expect(parseSettings(raw).calendar.holidays).toEqual({});
  });
});
