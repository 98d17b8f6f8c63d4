import { afterEach, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import type { NewPetition } from '../../src/domain/case.js';
import { boxOnImage, correctedLetterText, estimatedFrame } from '../../src/domain/corrections.js';
import { extractFields } from '../../src/domain/extract/letter-fields.js';
import { checkChain } from '../../src/domain/history.js';
import { isXinfangError } from '../../src/domain/problems.js';
import { extractRules } from '../../src/domain/settings.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const LINES = [
  { text: '尊敬的社区领导：', confidence: 0.99, box: [100, 100, 700, 150] as [number, number, number, number] },
  // Handwriting the engine was unsure of: 兰 read as 三, 烧烤 as 烧考.
  { text: '我是幸福家园3号楼的居民，楼下烧考店油烟很大，请尽快处理。', confidence: 0.62, box: [100, 180, 1400, 230] as [number, number, number, number] },
  { text: '王秀三', confidence: 0.55, box: [1000, 300, 1200, 350] as [number, number, number, number] },
  { text: '2026年11月3日', confidence: 0.98, box: [1000, 380, 1300, 430] as [number, number, number, number] },
];
const OCR_TEXT = LINES.map((l) => l.text).join('\n');

let office: Office | undefined;
afterEach(async () => {
  await office?.close();
  office = undefined;
});

/** A scanned letter as the intake records it, without the scan: its lines and what was read from them. */
async function registered(): Promise<Office> {
  office = await officeAt(await makeWorkspace());
  const extraction = extractFields(OCR_TEXT, extractRules(office.settings));
  const petition: NewPetition = {
    channel: '来信',
    receivedAt: new Date('2026-11-03T02:00:00Z'),
    year: 2026,
    text: OCR_TEXT,
    extraction,
    flags: ['low-confidence'],
    pages: [{ text: OCR_TEXT, confidence: 0.7, lowConfidence: true, rotation: 0, skew: 0, lines: LINES, frame: { width: 1600, height: 2263 } }],
    ocrEngine: 'test',
    documents: [],
  };
  await office.store.register(petition, (year, number) => `archive/${year}/${number}`);
  return office;
}

const clerk = { name: '刘芳', role: '登记员' as const };

describe('the letter text with a clerk’s lines', () => {
  it('puts the latest correction of each line in place of the OCR’s and leaves out a line corrected to nothing', () => {
    const pages = [{ lines: LINES }, { lines: [{ ...LINES[0]!, text: '第二页' }] }];
    const text = correctedLetterText(pages, [
      { page: 1, line: 3, ocrText: '王秀三', text: '王秀三丰', by: 'a', at: '1' },
      { page: 1, line: 3, ocrText: '王秀三', text: '王秀兰', by: 'b', at: '2' },
      { page: 1, line: 1, ocrText: LINES[0]!.text, text: '', by: 'b', at: '2' },
    ]);
    expect(text).toBe(`${LINES[1]!.text}\n王秀兰\n${LINES[3]!.text}\n\n第二页`);
  });

  it('maps a line box from the frame read to a page picture of another size, with a margin, inside the picture', () => {
    expect(boxOnImage([100, 180, 1400, 230], { width: 1600, height: 2000 }, { width: 800, height: 1000 })).toEqual({ left: 41, top: 81, width: 668, height: 43 });
    expect(boxOnImage([0, 0, 1600, 60], { width: 1600, height: 2000 }, { width: 800, height: 1000 })).toEqual({ left: 0, top: 0, width: 800, height: 40 });
    expect(boxOnImage([1700, 10, 1800, 20], { width: 1600, height: 2000 }, { width: 800, height: 1000 })).toBeNull();
  });

  it('works out the frame of a page read before frames were kept: scaled to the reading size, turned, grown by the skew', () => {
    expect(estimatedFrame({ width: 2480, height: 3508 }, 1600, 0, 0)).toEqual({ width: 1131, height: 1600 });
    expect(estimatedFrame({ width: 3508, height: 2480 }, 1600, 90, 0)).toEqual({ width: 1131, height: 1600 });
    expect(estimatedFrame({ width: 1000, height: 1400 }, 1600, 180, 2)).toEqual({ width: Math.round(1000 * Math.cos(Math.PI / 90) + 1400 * Math.sin(Math.PI / 90)), height: Math.round(1000 * Math.sin(Math.PI / 90) + 1400 * Math.cos(Math.PI / 90)) });
  });
});

describe('correcting scanned lines', () => {
  it('keeps the OCR text, stores the clerk’s beside it with who and when, and searches and reads fields from the corrected text', async () => {
    const o = await registered();
    const before = await o.cases.find('1');
    expect(before.fields.name).toBe('王秀三');

    const after = await o.corrections.correctLines(clerk, '1', 1, [
      { line: 3, text: ' 王秀兰 ' },
      { line: 2, text: '我是幸福家园3号楼的居民，楼下烧烤店油烟很大，请尽快处理。' },
      { line: 4, text: LINES[3]!.text },
    ]);
    // The OCR's reading is as it was; the clerk's is beside it.
    expect(after.ocrText).toBe(OCR_TEXT);
    expect(after.pages[0]!.lines.map((l) => l.text)).toEqual(LINES.map((l) => l.text));
    expect(after.correctedText).toBe(`${LINES[0]!.text}\n我是幸福家园3号楼的居民，楼下烧烤店油烟很大，请尽快处理。\n王秀兰\n${LINES[3]!.text}`);
    // The line given as it already read is no correction.
    expect(after.corrections.map((k) => [k.line, k.ocrText, k.text, k.by])).toEqual([
      [2, LINES[1]!.text, '我是幸福家园3号楼的居民，楼下烧烤店油烟很大，请尽快处理。', '刘芳'],
      [3, '王秀三', '王秀兰', '刘芳'],
    ]);
    expect(after.fields.name).toBe('王秀兰');
    expect((await o.cases.search('烧烤店')).map((h) => h.case.number)).toEqual([after.number]);
    expect((await o.cases.search('王秀兰')).map((h) => h.case.number)).toEqual([after.number]);
    // What the OCR misread is no longer what the letter is found by.
    expect(await o.cases.search('烧考店')).toEqual([]);
    const last = after.history[after.history.length - 1]!;
    expect([last.action, last.actor, last.detail]).toEqual(['lines-corrected', '刘芳', '更正第 1 页识别文字第 2、3 行（原识别文字保留）']);
    expect(checkChain(after.number, after.history, { hash: last.hash, count: after.history.length })).toEqual([]);
  });

  it('leaves the fields a clerk set alone when the text is read again, and reads the others again also when the settings change later', async () => {
    const o = await registered();
    const c = await o.cases.find('1');
    await o.cases.edit(clerk, c, { name: '王秀英' });
    const after = await o.corrections.correctLines(clerk, '1', 1, [{ line: 3, text: '王秀兰' }, { line: 4, text: '2026年11月5日' }]);
    expect(after.fields.name).toBe('王秀英');
    expect(after.sources.name).toBe('clerk');
    expect(after.fields.letterDate).toBe('2026-11-05');
    await o.cases.extractAgain();
    expect((await o.cases.find('1')).fields.letterDate).toBe('2026-11-05');
  });

  it('keeps every correction of a line, the latest holding, and a correction back to the OCR’s reading holds too', async () => {
    const o = await registered();
    await o.corrections.correctLines(clerk, '1', 1, [{ line: 3, text: '王秀兰' }]);
    const back = await o.corrections.correctLines({ name: '张敏', role: '登记员' }, '1', 1, [{ line: 3, text: '王秀三' }]);
    expect(back.corrections.map((k) => [k.text, k.by])).toEqual([['王秀兰', '刘芳'], ['王秀三', '张敏']]);
    expect(back.correctedText).toBe(OCR_TEXT);
    expect(back.fields.name).toBe('王秀三');
  });

  it('refuses a role that may not correct, a line or page that is not there, a line too long, and a change that changes nothing', async () => {
    const o = await registered();
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'none';
      } catch (e) {
        if (!isXinfangError(e)) throw e;
        return e.problem.code;
      }
    };
    expect(await code(o.corrections.correctLines({ name: '赵局', role: '领导' }, '1', 1, [{ line: 3, text: '王秀兰' }]))).toBe('not-allowed');
    expect(await code(o.corrections.correctLines({ name: '孙档', role: '档案员' }, '1', 1, [{ line: 3, text: '王秀兰' }]))).toBe('not-allowed');
    // The page for correcting is for those who may correct.
    expect(await code(o.corrections.lines({ name: '赵局', role: '领导' }, '1', 1))).toBe('not-allowed');
    expect(await code(o.corrections.correctLines(clerk, '1', 2, [{ line: 1, text: '王秀兰' }]))).toBe('unknown-page');
    expect(await code(o.corrections.correctLines(clerk, '1', 1, [{ line: 5, text: '王秀兰' }]))).toBe('unknown-line');
    expect(await code(o.corrections.correctLines(clerk, '1', 1, [{ line: 0, text: '王秀兰' }]))).toBe('unknown-line');
    expect(await code(o.corrections.correctLines(clerk, '1', 1, [{ line: 3, text: '字'.repeat(501) }]))).toBe('line-too-long');
    expect(await code(o.corrections.correctLines(clerk, '1', 1, [{ line: 3, text: '王秀三' }]))).toBe('no-line-change');
    expect(await code(o.corrections.correctLines(clerk, '9', 1, [{ line: 3, text: '王秀兰' }]))).toBe('unknown-case');
    const c = await o.cases.find('1');
    expect(c.corrections).toEqual([]);
    expect(c.correctedText).toBeNull();
    // The terminal (no role) may correct.
    expect((await o.corrections.correctLines({ name: '管理员甲' }, '1', 1, [{ line: 3, text: '王秀兰' }])).fields.name).toBe('王秀兰');
  });

  it('lists a page’s lines for the clerk, the unsure ones first, each with the OCR’s and the current text', async () => {
    const o = await registered();
    await o.corrections.correctLines(clerk, '1', 1, [{ line: 3, text: '王秀兰' }]);
    const { lines } = await o.corrections.lines(clerk, '1', 1);
    expect(lines.map((l) => [l.line, l.unsure, l.ocrText, l.text, l.corrected?.by ?? null])).toEqual([
      [2, true, LINES[1]!.text, LINES[1]!.text, null],
      [3, true, '王秀三', '王秀兰', '刘芳'],
      [1, false, LINES[0]!.text, LINES[0]!.text, null],
      [4, false, LINES[3]!.text, LINES[3]!.text, null],
    ]);
  });
});
