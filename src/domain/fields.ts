/** The register fields of a petition, where each value came from, and the checks a clerk's value must pass. */
import { findDates } from './extract/dates.js';
import { normalisePhone } from './extract/petitioner.js';
import { SUMMARY_MAX } from './extract/summary.js';
import { fail, type FieldRule } from './problems.js';

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

/** Fields a clerk must have for the register; a case missing any goes to the review queue. */
export const KEY_FIELDS: readonly FieldName[] = ['name', 'phone', 'letterDate', 'summary'];

/** Where a value came from: written after its label, or inferred from the letter's wording. */
/** labelled: written in the letter under its label; inferred: read from the text, to be checked; dated: a visit or call dated the day it came in. */
export type FieldSource = 'labelled' | 'inferred' | 'dated';

/** 'clerk' marks a value typed or corrected by a person; automatic passes never overwrite it. */
export type Provenance = Partial<Record<FieldName, FieldSource | 'clerk'>>;

/** The three handling types of the 信访工作条例. A report against someone is never passed to the person reported. */
export const HANDLING_TYPES = ['建议意见类', '检举控告类', '申诉求决类'] as const;
export type HandlingType = (typeof HANDLING_TYPES)[number];

export const EMPTY_FIELDS: LetterFields = { name: null, phone: null, idNumber: null, address: null, letterDate: null, signatories: null, summary: null, category: null, handlingType: null };

/**
 * A value as a clerk typed it, checked and put in the register's form (phone numbers tidied, ID
 * numbers upper case, dates as YYYY-MM-DD); an empty value clears the field.
 */
export function checkFieldValue(field: FieldName, raw: string, categories: readonly string[]): string | number | null {
  const value = raw.trim();
  if (value === '') return null;
  const wrong = (rule: FieldRule, allowed: string[] = []): never => fail({ code: 'bad-field', field, value, rule, allowed });
  switch (field) {
    case 'phone':
      return normalisePhone(value) ?? wrong('phone');
    case 'idNumber':
      if (!/^\d{17}[\dXx]$/.test(value)) wrong('id-number');
      return value.toUpperCase();
    case 'letterDate': {
      const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
      const found = findDates(iso ? `${iso[1]}年${iso[2]}月${iso[3]}日` : value);
      if (found.length !== 1) wrong('date');
      return found[0]!.date;
    }
    case 'signatories': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) wrong('signatories');
      return n;
    }
    case 'summary':
      if ([...value].length > SUMMARY_MAX) wrong('summary-length');
      return value;
    case 'category':
      if (!categories.includes(value)) wrong('category', [...categories]);
      return value;
    case 'handlingType':
      if (!(HANDLING_TYPES as readonly string[]).includes(value)) wrong('handling-type', [...HANDLING_TYPES]);
      return value;
    default:
      return value;
  }
}

/** A clerk's changes as typed (text per field), checked; fields not given are left out. */
export function checkFieldChanges(given: Partial<Record<FieldName, string>>, categories: readonly string[]): Partial<LetterFields> {
  const changes: Partial<LetterFields> = {};
  for (const field of FIELD_NAMES) {
    const raw = given[field];
    if (raw === undefined) continue;
    (changes as Record<FieldName, unknown>)[field] = checkFieldValue(field, String(raw), categories);
  }
  return changes;
}
