import { describe, expect, it } from 'vitest';
import { assemblePage, readingOrder, tidyChineseLine } from '../../src/services/intake/assemble.js';
import type { OcrLine } from '../../src/ports/ocr.js';

const line = (text: string, left: number, top: number, right: number, bottom: number, confidence = 0.99): OcrLine => ({ text, confidence, box: [left, top, right, bottom] });

describe('tidying Chinese lines', () => {
  it('removes spaces between Chinese characters but keeps them between Latin words', () => {
    expect(tidyChineseLine('尊 敬 的 社区 领导')).toBe('尊敬的社区领导');
    expect(tidyChineseLine('Room 302 室')).toBe('Room 302 室');
    // The year of a document number is bracketed 〔2026〕; an engine's square bracket is put right.
    expect(tidyChineseLine('编号：八宝信〔2026]1号')).toBe('编号：八宝信〔2026〕1号');
    expect(tidyChineseLine('京政发[2025]3号')).toBe('京政发〔2025〕3号');
  });
  it('uses full-width punctuation beside Chinese', () => {
    expect(tidyChineseLine('社区居委会:')).toBe('社区居委会：');
    expect(tidyChineseLine('电话:13661234567')).toBe('电话：13661234567');
    expect(tidyChineseLine('12:30')).toBe('12:30');
  });
});

describe('reading order', () => {
  it('reads top to bottom whatever order the engine gave', () => {
    const lines = [line('第二行', 100, 200, 900, 240), line('第一行', 100, 100, 900, 140), line('第三行', 100, 300, 600, 340)];
    expect(readingOrder(lines).map((l) => l.text)).toEqual(['第一行', '第二行', '第三行']);
  });

  it('joins boxes on one row from left to right', () => {
    const lines = [line('13661234567', 420, 102, 700, 138), line('联系电话：', 100, 100, 400, 140)];
    expect(readingOrder(lines).map((l) => l.text)).toEqual(['联系电话： 13661234567']);
  });

  it('reads a two-column page column by column', () => {
    const left = [0, 1, 2].map((i) => line(`左${i}`, 100, 100 + i * 60, 500, 140 + i * 60));
    const right = [0, 1, 2].map((i) => line(`右${i}`, 700, 100 + i * 60, 1100, 140 + i * 60));
    expect(readingOrder([...right, ...left]).map((l) => l.text)).toEqual(['左0', '左1', '左2', '右0', '右1', '右2']);
  });

  it('weights page confidence by characters', () => {
    const page = assemblePage([line('长长长长长长长长', 0, 0, 800, 40, 1), line('短', 0, 100, 40, 140, 0.5)]);
    expect(page.text).toBe('长长长长长长长长\n短');
    expect(page.confidence).toBeCloseTo(8.5 / 9);
  });
});

describe('tidying what tesseract writes', () => {
  it('drops spaces around punctuation in Chinese text', () => {
    expect(tidyChineseLine('来信人： 郑丽华')).toBe('来信人：郑丽华');
    expect(tidyChineseLine('尊敬的社区领导 :')).toBe('尊敬的社区领导：');
    expect(tidyChineseLine('联系人 : 林永强')).toBe('联系人：林永强');
  });
});

describe('noise', () => {
  it('drops lines an engine was unsure of below noise level', () => {
    const page = assemblePage([line('来信人：黄振国', 0, 0, 800, 40, 0.96), line('牙_ - 2', 0, 900, 300, 940, 0.2)]);
    expect(page.text).toBe('来信人：黄振国');
  });
});

describe('stray marks from page edges', () => {
  it('drops lines of marks only and marks set off at the ends of a line', () => {
    const page = assemblePage([line('社区居委会：;      |', 0, 0, 900, 40), line('|', 0, 100, 20, 140), line('此致', 0, 200, 100, 240)]);
    expect(page.text).toBe('社区居委会：\n此致');
  });
});
