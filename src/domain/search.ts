/** What a search looks in, and the snippet it shows: pure text work, the store does the indexing. */
import type { Case } from './case.js';
import { letterText } from './corrections.js';

/** The register fields of a case as one line of text, for search and for a snippet when the letter has no match. */
export function fieldsText(c: Case): string {
  const f = c.fields;
  return [c.number, f.name, f.phone, f.idNumber, f.address, f.category, f.handlingType, f.summary, c.transfer?.office, c.transfer?.number].filter(Boolean).join('；');
}

/** The fields and the letter's text, a clerk's corrected lines in place of what the OCR read. */
export function searchableText(c: Case): string {
  return `${fieldsText(c)}\n${letterText(c)}`;
}

/** A query is searchable once it has two letters or digits. */
export function isSearchable(query: string): boolean {
  return [...query.replace(/[^\p{L}\p{N}]/gu, '')].length >= 2;
}

/** About 40 characters of the text around the first match, the match in 【】; undefined if absent. */
export function snippet(text: string, query: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ');
  const needle = query.replace(/\s+/g, '');
  const squeezed = flat.replace(/\s/g, '');
  const at = squeezed.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return undefined;
  const from = Math.max(0, at - 15);
  const to = Math.min(squeezed.length, at + needle.length + 15);
  return `${from > 0 ? '…' : ''}${squeezed.slice(from, at)}【${squeezed.slice(at, at + needle.length)}】${squeezed.slice(at + needle.length, to)}${to < squeezed.length ? '…' : ''}`;
}

/** The snippet a search hit shows: from the letter, else from the fields, else the start of the fields. */
export function hitSnippet(c: Case, query: string): string {
  return snippet(letterText(c), query) ?? snippet(fieldsText(c), query) ?? fieldsText(c).slice(0, 40);
}
