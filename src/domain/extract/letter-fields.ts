import { isValidIdNumber } from './id-number.js';
import { classify, findWords, type KeywordClass } from './classify.js';
import { letterDate } from './dates.js';
import { splitLetter } from './parts.js';
import { countSignatories, findAddress, findIdNumber, findName, findPhone, type FieldSource } from './petitioner.js';
import { summarize } from './summary.js';

export type { FieldSource } from './petitioner.js';

export interface ExtractRules {
  categories: readonly KeywordClass[];
  defaultCategory: string;
  handlingTypes: readonly KeywordClass[];
  defaultHandlingType: string;
  urgentWords: readonly string[];
  groupThreshold: number;
}

/** The register fields of one petition. Every value knows where it came from. */
export interface LetterFields {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
  address: string | null;
  letterDate: string | null;
  signatories: number | null;
  summary: string | null;
  category: string | null;
  handlingType: string | null;
}

export type FieldName = keyof LetterFields;
export const FIELD_NAMES: readonly FieldName[] = ['name', 'phone', 'idNumber', 'address', 'letterDate', 'signatories', 'summary', 'category', 'handlingType'];

/** 'clerk' marks a value typed or corrected by a person; automatic passes never overwrite it. */
export type Provenance = Partial<Record<FieldName, FieldSource | 'clerk'>>;

export interface Extraction {
  fields: LetterFields;
  sources: Provenance;
  flags: string[];
  urgentWords: string[];
}

/** Reads a letter's OCR text as a clerk would fill in the register. */
export function extractFields(text: string, rules: ExtractRules): Extraction {
  const parts = splitLetter(text);
  const fields: LetterFields = { name: null, phone: null, idNumber: null, address: null, letterDate: null, signatories: null, summary: null, category: null, handlingType: null };
  const sources: Provenance = {};
  const set = <K extends FieldName>(key: K, found: { value: LetterFields[K]; source: FieldSource } | undefined) => {
    if (!found) return;
    fields[key] = found.value;
    sources[key] = found.source;
  };
  const flags: string[] = [];
  set('name', findName(parts));
  set('phone', findPhone(parts));
  const id = findIdNumber(parts);
  set('idNumber', id);
  if (id && !id.valid) flags.push('id-checksum');
  set('address', findAddress(parts));
  const date = letterDate(parts.closing.join('\n')) ?? letterDate(text);
  if (date) set('letterDate', { value: date, source: 'labelled' });
  set('signatories', countSignatories(parts));
  const summary = summarize(parts.body || text);
  if (summary) set('summary', { value: summary, source: 'inferred' });
  const subject = parts.body || text;
  set('category', { value: classify(subject, rules.categories, rules.defaultCategory).name, source: 'inferred' });
  set('handlingType', { value: classify(subject, rules.handlingTypes, rules.defaultHandlingType).name, source: 'inferred' });
  const urgentWords = findWords(text, rules.urgentWords);
  if (urgentWords.length) flags.push('urgent');
  if ((fields.signatories ?? 1) >= rules.groupThreshold) flags.push('group');
  return { fields, sources, flags, urgentWords };
}

/** Fields a clerk must have for the register; a case missing any goes to the review queue. */
export const KEY_FIELDS: readonly FieldName[] = ['name', 'phone', 'letterDate', 'summary'];

/** The flags that follow from the fields, recomputed after an edit; other flags are kept. */
export function flagsAfterChange(fields: LetterFields, previous: readonly string[], groupThreshold: number, urgent: boolean): string[] {
  const kept = previous.filter((f) => f !== 'group' && f !== 'id-checksum' && f !== 'urgent');
  if (urgent) kept.push('urgent');
  if ((fields.signatories ?? 1) >= groupThreshold) kept.push('group');
  if (fields.idNumber && !isValidIdNumber(fields.idNumber)) kept.push('id-checksum');
  return kept;
}
