/** The classification evaluation set (test/fixtures/classification/letters.json) and how it is split. */
export interface Letter {
  id: string;
  category: string;
  handlingType: string;
  text: string;
}

/** The first `n` letters of each category (the ones a clerk confirmed), and the rest (judged unseen). */
export function splitByCategory(letters: readonly Letter[], n: number): { train: Letter[]; test: Letter[] } {
  const seen = new Map<string, number>();
  const train: Letter[] = [];
  const test: Letter[] = [];
  for (const l of letters) {
    const k = seen.get(l.category) ?? 0;
    seen.set(l.category, k + 1);
    (k < n ? train : test).push(l);
  }
  return { train, test };
}
