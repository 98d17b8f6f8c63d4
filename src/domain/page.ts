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

/** The names Word and WPS know the standard faces by. */
export const DOCX_FONT_NAMES = { body: '仿宋_GB2312', title: '方正小标宋简体', heading: '黑体', kai: '楷体_GB2312' } as const;

/** The QR code's place: top right, clear of the issuer mark, the binding edge and the filing stamp. */
export const QR_BOX = { size: 22 * MM, right: 10 * MM, top: 8 * MM };

/** GB/T 9704-2012: top margin 37 mm, binding margin 28 mm, text block 156 × 225 mm. */
export const OFFICIAL_PAGE = { top: 37 * MM, left: 28 * MM, width: 156 * MM, height: 225 * MM, lines: 22, chars: 28 };

/**
 * The letter form of GB/T 9704-2012 §10.1, in points: the issuer mark's top edge 30 mm from the top
 * edge of the page, a red double rule 4 mm under it and another 20 mm above the bottom edge, both
 * 170 mm long. The mark's size and the rules' weights are the office-form conventions (the
 * standard leaves them open): 小标宋 at 1.3 × 二号, a 2.25 pt line and a 0.75 pt line 1.5 pt apart.
 */
export const LETTER_FORM = {
  markTop: 30 * MM,
  markSize: SIZE.二号 * 1.3,
  markSpacing: 4,
  ruleGap: 4 * MM,
  bottomRule: 20 * MM,
  ruleLength: 170 * MM,
  ruleThick: 2.25,
  ruleThin: 0.75,
  ruleSpace: 1.5,
};
