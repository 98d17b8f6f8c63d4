const DIGIT: Record<string, number> = { 〇: 0, 零: 0, '○': 0, Ｏ: 0, O: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 二〇二六 → 2026 (digit by digit, as years are written). */
function chineseYear(text: string): number | undefined {
  const digits = [...text].map((c) => DIGIT[c]);
  return digits.every((d) => d !== undefined) ? Number(digits.join('')) : undefined;
}

/** 十一 → 11, 二十 → 20, 三十一 → 31, 九 → 9. */
function chineseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^([一二三])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return undefined;
  if (!m[2]) return m[3] ? DIGIT[m[3]] : m[1] ? DIGIT[m[1]] : undefined;
  return (m[1] ? DIGIT[m[1]]! : 1) * 10 + (m[3] ? DIGIT[m[3]]! : 0);
}

const ARABIC = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g;
const CHINESE = /([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*月\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[日号]/g;

/** Every date written in the text, as YYYY-MM-DD, in the order they appear. */
export function findDates(text: string): { date: string; index: number }[] {
  const found: { date: string; index: number }[] = [];
  const push = (y: number | undefined, m: number | undefined, d: number | undefined, index: number) => {
    if (y === undefined || m === undefined || d === undefined) return;
    const date = new Date(Date.UTC(y, m - 1, d));
    if (y < 1950 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return;
    found.push({ date: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, index });
  };
  for (const m of text.matchAll(ARABIC)) push(Number(m[1]), Number(m[2]), Number(m[3]), m.index);
  for (const m of text.matchAll(CHINESE)) push(chineseYear(m[1]!), chineseNumber(m[2]!), chineseNumber(m[3]!), m.index);
  return found.sort((a, b) => a.index - b.index);
}

/** The date a letter was written: the last date in it, where the signature is. */
export function letterDate(text: string): string | undefined {
  return findDates(text).at(-1)?.date;
}
