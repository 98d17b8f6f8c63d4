const DIGITS = '〇一二三四五六七八九';

/** A count as written in running Chinese text: 15 → 十五, 60 → 六十, 120 → 一百二十 (1 to 9999). */
export function chineseCount(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) return String(n);
  const units = ['', '十', '百', '千'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i]!;
    if (d === 0) {
      zero = out !== '';
      return;
    }
    if (zero) out += '〇';
    zero = false;
    // 十五, not 一十五, at the head of a number under twenty.
    out += (d === 1 && unit === '十' && out === '' ? '' : DIGITS[d]!) + unit;
  });
  return out.replace(/〇/g, '零');
}
