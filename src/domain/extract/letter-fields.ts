import type { Flag } from '../flags.js';
import { EMPTY_FIELDS, type FieldName, type FieldSource, type LetterFields, type Provenance } from '../fields.js';
import { classify, findWords, type KeywordClass } from './classify.js';
import { letterDate } from './dates.js';
import { splitLetter } from './parts.js';
import { countSignatories, findAddress, findIdNumber, findName, findPhone } from './petitioner.js';
import { summarize } from './summary.js';

export interface ExtractRules {
  categories: readonly KeywordClass[];
  defaultCategory: string;
  handlingTypes: readonly KeywordClass[];
  defaultHandlingType: string;
  urgentWords: readonly string[];
  groupThreshold: number;
}

export interface Extraction {
  fields: LetterFields;
  sources: Provenance;
  flags: Flag[];
  urgentWords: string[];
}

/** Reads a letter's OCR text as a clerk would fill in the register. */
export function extractFields(text: string, rules: ExtractRules): Extraction {
  const parts = splitLetter(text);
  const fields: LetterFields = { ...EMPTY_FIELDS };
  const sources: Provenance = {};
  const set = <K extends FieldName>(key: K, found: { value: LetterFields[K]; source: FieldSource } | undefined) => {
    if (!found) return;
    fields[key] = found.value;
    sources[key] = found.source;
  };
  const flags: Flag[] = [];
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
