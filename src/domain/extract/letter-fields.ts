import type { Flag } from '../flags.js';
import { EMPTY_FIELDS, type FieldName, type FieldSource, type LetterFields, type Provenance } from '../fields.js';
import type { Judged } from '../case.js';
import { classify, findWords, type KeywordClass } from './classify.js';
import type { TextClassifier } from './learned.js';
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
  /** Classifiers learned from the office's confirmed letters; without them, the keyword lists decide. */
  learned?: { category: TextClassifier; handlingType: TextClassifier };
}

export interface Extraction {
  fields: LetterFields;
  sources: Provenance;
  flags: Flag[];
  urgentWords: string[];
  /** How sure the classifiers were; absent when the keyword lists alone decided. */
  judged?: Judged;
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
  let judged: Judged | undefined;
  if (rules.learned) {
    const category = rules.learned.category.classify(subject);
    const handlingType = rules.learned.handlingType.classify(subject);
    set('category', { value: category.name, source: 'inferred' });
    set('handlingType', { value: handlingType.name, source: 'inferred' });
    judged = { category: round(category.confidence), handlingType: round(handlingType.confidence) };
  } else {
    set('category', { value: classify(subject, rules.categories, rules.defaultCategory).name, source: 'inferred' });
    set('handlingType', { value: classify(subject, rules.handlingTypes, rules.defaultHandlingType).name, source: 'inferred' });
  }
  const urgentWords = findWords(text, rules.urgentWords);
  if (urgentWords.length) flags.push('urgent');
  if ((fields.signatories ?? 1) >= rules.groupThreshold) flags.push('group');
  return { fields, sources, flags, urgentWords, ...(judged ? { judged } : {}) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
