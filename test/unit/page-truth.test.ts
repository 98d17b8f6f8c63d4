import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../src/ports/image.js';
import type { OcrLine } from '../../src/ports/ocr.js';
import { checkPage, languageScore } from '../../src/services/intake/page-truth.js';
import { findPageOutline, flattenPage } from '../../src/services/intake/page-outline.js';
import { applyHomography, homography } from '../../src/adapters/sharp/homography.js';

/** A white page with `rows` rows of "writing" (dark dashes like characters), 40 px tall, 80 px apart. */
function page(rows: number): { image: GrayImage; boxes: [number, number, number, number][] } {
  const width = 800;
  const height = 1100;
  const data = Buffer.alloc(width * height, 245);
  const boxes: [number, number, number, number][] = [];
  for (let r = 0; r < rows; r++) {
    const top = 100 + r * 80;
    for (let c = 0; c < 16; c++) {
      const left = 100 + c * 38;
      for (let y = top; y < top + 40; y++) for (let x = left; x < left + 30; x++) if ((x + y) % 5 < 2) data[y * width + x] = 20;
    }
    boxes.push([96, top - 4, 100 + 16 * 38, top + 44]);
  }
  return { image: { data, width, height }, boxes };
}

const line = (box: [number, number, number, number]): OcrLine => ({ text: '小区电梯坏了一个多月没有修好', confidence: 0.99, box });

describe('a page checked against its ink', () => {
  it('passes a page whose every row of writing was read', () => {
    const { image, boxes } = page(8);
    const check = checkPage(image, boxes.map(line));
    expect(check.unread).toBe(false);
    expect(check.cap).toBe(1);
    expect(check.inkRows).toBe(8);
    expect(check.rowsRead).toBe(8);
  });

  it('caps the confidence of a page whose body was not read, however sure the lines read were', () => {
    const { image, boxes } = page(8);
    const check = checkPage(image, boxes.slice(0, 2).map(line));
    expect(check.unread).toBe(true);
    expect(check.cap).toBeLessThan(0.5);
    expect(check.rowsRead).toBe(2);
  });

  it('fails a page with ink and nothing read', () => {
    const { image } = page(3);
    expect(checkPage(image, []).unread).toBe(true);
  });

  it('says text from noise is not language', () => {
    expect(languageScore('我是八宝小区3号楼的住户，联系电话：13900001001')).toBe(1);
    expect(languageScore('|~^ lI1; _ ={} <<a')).toBeLessThan(0.85);
  });
});

describe('the sheet in a photo', () => {
  it('finds the corners of a sheet seen at an angle on a dark table, and flattens it', async () => {
    const width = 900;
    const height = 1200;
    const data = Buffer.alloc(width * height, 45);
    const corners = [
      { x: 180, y: 150 },
      { x: 760, y: 190 },
      { x: 800, y: 1080 },
      { x: 120, y: 1050 },
    ];
    const sheet = { w: 600, h: 850 };
    const toPhoto = homography(
      [
        { x: 0, y: 0 },
        { x: sheet.w, y: 0 },
        { x: sheet.w, y: sheet.h },
        { x: 0, y: sheet.h },
      ],
      corners,
    );
    const toSheet = homography(corners, [
      { x: 0, y: 0 },
      { x: sheet.w, y: 0 },
      { x: sheet.w, y: sheet.h },
      { x: 0, y: sheet.h },
    ]);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = applyHomography(toSheet, { x: x + 0.5, y: y + 0.5 });
        if (p.x < 0 || p.y < 0 || p.x >= sheet.w || p.y >= sheet.h) continue;
        // Paper, a little darker to one side, with rows of writing.
        const ink = p.y > 100 && p.y < 700 && Math.floor(p.y / 30) % 2 === 0 && p.x > 60 && p.x < 540 && Math.floor(p.x / 9) % 3 !== 0;
        data[y * width + x] = ink ? 30 : Math.round(235 - p.x * 0.03);
      }
    }
    const outline = await findPageOutline({ data, width, height });
    expect(outline).not.toBeNull();
    for (const [i, c] of outline!.corners.entries()) {
      // Within 1.5 % of the picture: the outline is found on a copy 320 px long.
      expect(Math.hypot(c.x - corners[i]!.x, c.y - corners[i]!.y), JSON.stringify(outline!.corners)).toBeLessThan(18);
    }
    expect(outline!.height / outline!.width).toBeGreaterThan(1.3);
    const flat = flattenPage({ data, width, height }, outline!);
    // The sheet's top left corner, the point (0, 0) in the photo's frame mapped back, is paper.
    const at = applyHomography(toPhoto, { x: 20, y: 20 });
    expect(data[Math.round(at.y) * width + Math.round(at.x)]).toBeGreaterThan(200);
    expect(flat.data[5 * flat.width + 5]).toBeGreaterThan(200);
  });

  it('leaves a scan whose paper fills the picture alone', async () => {
    const { image } = page(6);
    expect(await findPageOutline(image)).toBeNull();
  });
});
