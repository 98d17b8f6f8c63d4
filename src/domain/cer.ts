/** Character error rate with white space ignored: edit distance over the truth's length. */
export function characterErrorRate(truth: string, read: string): number {
  const a = [...truth.replace(/\s+/g, '')];
  const b = [...read.replace(/\s+/g, '')];
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]! / a.length;
}
