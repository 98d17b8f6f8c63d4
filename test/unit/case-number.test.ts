import { describe, expect, it } from 'vitest';
import { formatCaseNumber, yearInZone } from '../../src/domain/case-number.js';

describe('case numbers', () => {
  it('follows GB/T 9704: year in 〔〕, no leading zeros', () => {
    expect(formatCaseNumber('{short}信〔{year}〕{seq}号', { short: '八宝', year: 2026, seq: 7 })).toBe('八宝信〔2026〕7号');
    expect(formatCaseNumber('XF-{year}-{seq4}', { short: '八宝', year: 2026, seq: 7 })).toBe('XF-2026-0007');
  });

  it('counts the year in the office time zone', () => {
    const newYearInBeijing = new Date('2026-12-31T16:30:00Z');
    expect(yearInZone(newYearInBeijing, 'Asia/Shanghai')).toBe(2027);
    expect(yearInZone(newYearInBeijing, 'UTC')).toBe(2026);
  });
});
