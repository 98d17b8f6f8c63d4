import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../src/ports/image.js';
import { isSealResidue, lineInk, sealInk } from '../../src/services/intake/seal.js';

const W = 40;
const H = 10;
const page = (fill: (x: number, y: number) => number): GrayImage => {
  const data = Buffer.alloc(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = fill(x, y);
  return { data, width: W, height: H };
};
const line = { text: '宝', confidence: 0.99, box: [0, 0, W, H] as [number, number, number, number] };

describe('what dropout left of a red seal', () => {
  it('marks as seal ink the pixels red dropout lifted, and only those', () => {
    const gray = page((x) => (x < 20 ? 120 : 40));
    const dropped = page((x) => (x < 20 ? 230 : 40));
    const seal = sealInk(gray, dropped);
    expect(seal.data[0]).toBe(0);
    expect(seal.data[30]).toBe(255);
  });

  it('takes a line on the seal with only faint fringes for residue', () => {
    const gray = page((x) => (x % 4 === 0 ? 120 : 240));
    const dropped = page((x) => (x % 4 === 0 ? 190 : 240));
    const ink = lineInk(line, dropped, sealInk(gray, dropped));
    expect(ink.seal).toBeCloseTo(0.25);
    expect(ink.dark).toBe(0);
    expect(isSealResidue(ink)).toBe(true);
  });

  it('keeps a line of black writing the seal is pressed over', () => {
    // Red over every fourth column, black strokes in every eighth.
    const gray = page((x) => (x % 8 === 1 ? 30 : x % 4 === 0 ? 120 : 240));
    const dropped = page((x) => (x % 8 === 1 ? 30 : x % 4 === 0 ? 190 : 240));
    const ink = lineInk(line, dropped, sealInk(gray, dropped));
    expect(ink.seal).toBeCloseTo(0.25);
    expect(ink.dark).toBeGreaterThan(0.1);
    expect(isSealResidue(ink)).toBe(false);
  });

  it('keeps faint writing that lies off any seal', () => {
    const faint = page((x) => (x % 4 === 0 ? 160 : 240));
    expect(isSealResidue(lineInk(line, faint, sealInk(faint, faint)))).toBe(false);
  });
});
