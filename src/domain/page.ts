/** Page geometry of GB/T 9704-2012, in PDF points. */
export const MM = 72 / 25.4;
export const A4 = { width: 210 * MM, height: 297 * MM };
export const A4_LANDSCAPE = { width: A4.height, height: A4.width };

/** Sizes of Chinese type (字号) in points. */
export const SIZE = { 二号: 22, 三号: 16, 四号: 14, 小四: 12, 五号: 10.5, 小五: 9 } as const;

/** `— 3 —`: the page number as the standard writes it. */
export function pageNumberText(n: number): string {
  return `— ${n} —`;
}
