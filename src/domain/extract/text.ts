/** Bigrams of the characters that carry meaning (letters, digits, Han), for matching Chinese without a word list. */
export function bigrams(text: string): string[] {
  const chars = [...text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')];
  if (chars.length === 1) return chars;
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/** Jaccard similarity of two texts' bigram sets (0–1): how nearly they say the same thing. */
export function similarity(a: string, b: string): number {
  const sa = new Set(bigrams(a));
  const sb = new Set(bigrams(b));
  if (sa.size === 0 || sb.size === 0) return 0;
  let common = 0;
  for (const g of sa) if (sb.has(g)) common++;
  return common / (sa.size + sb.size - common);
}
