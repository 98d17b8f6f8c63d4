export interface KeywordClass {
  name: string;
  keywords: readonly string[];
}

/** How strongly a class's keywords occur in the text: each occurrence counts the keyword's length. */
export function keywordScore(text: string, keywords: readonly string[]): { score: number; hits: string[] } {
  let score = 0;
  const hits: string[] = [];
  for (const keyword of keywords) {
    if (!keyword) continue;
    const count = text.split(keyword).length - 1;
    if (count > 0) {
      score += count * [...keyword].length;
      hits.push(keyword);
    }
  }
  return { score, hits };
}

/**
 * The class whose keywords occur most often in the text (ties go to the one listed first);
 * the fallback when none occurs. Always a judgement, never a fact.
 */
export function classify(text: string, classes: readonly KeywordClass[], fallback: string): { name: string; hits: string[]; score: number; total: number } {
  let best = { name: fallback, score: 0, hits: [] as string[] };
  let total = 0;
  for (const c of classes) {
    const { score, hits } = keywordScore(text, c.keywords);
    total += score;
    if (score > best.score) best = { name: c.name, score, hits };
  }
  return { ...best, total };
}

/** The warning words found in the text, each once. */
export function findWords(text: string, words: readonly string[]): string[] {
  return words.filter((w) => text.includes(w));
}
