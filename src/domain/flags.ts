/** The marks a case carries, in the order a leader must see them, each with its one label. */
import { isValidIdNumber } from './extract/id-number.js';
import type { LetterFields } from './fields.js';

export const FLAGS = [
  { flag: 'urgent', label: '紧急', short: '紧急' },
  { flag: 'group', label: '集体访/联名', short: '集体访' },
  { flag: 'repeat', label: '重信重访', short: '重信重访' },
  { flag: 'low-confidence', label: '需人工核对', short: '待核对' },
  { flag: 'text-unread', label: '有文字未读出', short: '待核对' },
  { flag: 'id-checksum', label: '身份证号有误', short: '身份证号待核' },
] as const;

export type Flag = (typeof FLAGS)[number]['flag'];

const RANK = new Map<string, number>(FLAGS.map((f, i) => [f.flag, i]));
const BY_FLAG = new Map<string, (typeof FLAGS)[number]>(FLAGS.map((f) => [f.flag, f]));

export function flagLabel(flag: string): string {
  return BY_FLAG.get(flag)?.label ?? flag;
}

/** The short form the register book's notes column uses. */
export function flagShort(flag: string): string {
  return BY_FLAG.get(flag)?.short ?? '';
}

/** Each flag once, the ones a leader must see first first. */
export function orderFlags(flags: readonly string[]): Flag[] {
  const rank = (f: string) => RANK.get(f) ?? FLAGS.length;
  return ([...new Set(flags)] as Flag[]).sort((a, b) => rank(a) - rank(b));
}

/** The flags that follow from the fields, recomputed after an edit; other flags are kept. */
export function flagsAfterChange(fields: LetterFields, previous: readonly string[], groupThreshold: number, urgent: boolean): Flag[] {
  const kept = previous.filter((f) => f !== 'group' && f !== 'id-checksum' && f !== 'urgent') as Flag[];
  if (urgent) kept.push('urgent');
  if ((fields.signatories ?? 1) >= groupThreshold) kept.push('group');
  if (fields.idNumber && !isValidIdNumber(fields.idNumber)) kept.push('id-checksum');
  return kept;
}
