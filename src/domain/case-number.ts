export interface CaseNumberParts {
  short: string;
  year: number;
  seq: number;
}

/** Fills the office's number format, e.g. `{short}信〔{year}〕{seq}号` → 八宝信〔2026〕7号. */
export function formatCaseNumber(format: string, parts: CaseNumberParts): string {
  return format
    .replaceAll('{short}', parts.short)
    .replaceAll('{year}', String(parts.year))
    .replaceAll('{seq4}', String(parts.seq).padStart(4, '0'))
    .replaceAll('{seq}', String(parts.seq));
}

/** The calendar year of an instant in the office's time zone. */
export function yearInZone(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at));
}
