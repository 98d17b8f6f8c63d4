/** Whether a petition repeats an earlier one: the same person, or the same matter told again. */
import { splitLetter } from './extract/parts.js';
import { similarity } from './extract/text.js';

/** The body of a letter, without salutation and signature: what is compared. */
export function matterOf(text: string): string {
  return splitLetter(text).body || text;
}

/**
 * The earlier case a petition repeats: the latest from the same person if there is one, else the
 * first (latest) candidate whose matter reads nearly the same. Candidates are the same category's
 * recent cases, latest first.
 */
export function pickRepeat(samePerson: readonly number[], text: string, candidates: readonly { id: number; text: string }[], threshold: number): number | null {
  if (samePerson.length) return samePerson[0]!;
  const body = matterOf(text);
  for (const c of candidates) if (similarity(body, matterOf(c.text)) >= threshold) return c.id;
  return null;
}
