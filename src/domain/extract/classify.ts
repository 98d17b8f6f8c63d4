export interface KeywordClass {
  name: string;
  keywords: readonly string[];
}

/**
 * The class whose keywords occur most often in the text (ties go to the one listed first);
 * the fallback when none occurs. Always a judgement, never a fact.
 */
export function classify(text: string, classes: readonly KeywordClass[], fallback: string): { name: string; hits: string[] } {
  let best = { name: fallback, score: 0, hits: [] as string[] };
  for (const c of classes) {
    let score = 0;
    const hits: string[] = [];
    for (const keyword of c.keywords) {
      const count = text.split(keyword).length - 1;
      if (count > 0) {
        score += count * keyword.length;
        hits.push(keyword);
      }
    }
    if (score > best.score) best = { name: c.name, score, hits };
  }
  return { name: best.name, hits: best.hits };
}

/** The warning words found in the text, each once. */
export function findWords(text: string, words: readonly string[]): string[] {
  return words.filter((w) => text.includes(w));
}
