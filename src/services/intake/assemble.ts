import type { OcrLine } from '../../ports/ocr.js';

const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
const BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[${CJK}])`, 'gu');
const HALF_TO_FULL: Record<string, string> = { ',': '，', ':': '：', ';': '；', '!': '！', '?': '？', '(': '（', ')': '）' };
const HALF_PUNCT_NEAR_CJK = new RegExp(`(?<=[\\p{Script=Han}])\\s*[,:;!?()]|[,:;!?()](?=\\s*[\\p{Script=Han}])`, 'gu');
/** Page edges and folds read as a lone | ; _ at either end of a line, set off by a space. */
const STRAY_MARKS_AT_ENDS = /^[|;_~`'"^]+\s+|\s+[|;_~`'"^]+$|(?<=[\p{Script=Han}：；，。！？])[;|_]+$/gu;
function stripStrayMarks(text: string): string {
  let previous;
  let current = text;
  do {
    previous = current;
    current = current.replace(STRAY_MARKS_AT_ENDS, '');
  } while (current !== previous);
  return current;
}

/** The year in a document number is bracketed 〔2026〕 (GB/T 9704); engines often read a square bracket for one side. */
const DOC_NUMBER_YEAR = /[〔[［]\s*(\d{4})\s*[〕\]］]/gu;

const SPACE_BY_FULL_PUNCT = /\s+(?=[，。：；！？、）》”])|(?<=[，。：；！？、（《“])\s+/gu;

/** Chinese has no spaces between words: drop those an engine put between two CJK characters,
 * and use full-width punctuation inside Chinese text, as a clerk would write it. */
export function tidyChineseLine(text: string): string {
  return stripStrayMarks(text)
    .replace(BETWEEN_CJK, '')
    .replace(HALF_PUNCT_NEAR_CJK, (p) => HALF_TO_FULL[p.trim()] ?? p)
    .replace(SPACE_BY_FULL_PUNCT, '')
    .replace(DOC_NUMBER_YEAR, '〔$1〕')
    .trim();
}

/**
 * Puts lines in reading order: columns left to right (found by vertical gaps no line crosses),
 * then top to bottom; boxes side by side on one row are read left to right and joined.
 */
export function readingOrder(lines: OcrLine[]): OcrLine[] {
  if (lines.length <= 1) return [...lines];
  const columns = splitColumns(lines);
  return columns.flatMap((column) => mergeRows(column));
}

function splitColumns(lines: OcrLine[]): OcrLine[][] {
  const heights = lines.map((l) => l.box[3] - l.box[1]).sort((a, b) => a - b);
  const lineHeight = heights[Math.floor(heights.length / 2)]!;
  const sorted = [...lines].sort((a, b) => a.box[0] - b.box[0]);
  const columns: OcrLine[][] = [];
  let current: OcrLine[] = [];
  let reach = -Infinity;
  for (const line of sorted) {
    // A gutter at least two line-heights wide, with lines on both sides, starts a new column.
    if (current.length >= 2 && line.box[0] - reach > 2 * lineHeight) {
      columns.push(current);
      current = [];
    }
    current.push(line);
    reach = Math.max(reach, line.box[2]);
  }
  columns.push(current);
  // A single stray box beside the text (a page number, a stamp) is not a column of its own.
  if (columns.some((c) => c.length < 2)) return [lines];
  return columns;
}

function mergeRows(lines: OcrLine[]): OcrLine[] {
  const sorted = [...lines].sort((a, b) => centreY(a) - centreY(b));
  const rows: OcrLine[][] = [];
  for (const line of sorted) {
    const row = rows[rows.length - 1];
    if (row && sameRow(row[row.length - 1]!, line)) row.push(line);
    else rows.push([line]);
  }
  return rows.map((row) => {
    if (row.length === 1) return row[0]!;
    row.sort((a, b) => a.box[0] - b.box[0]);
    const chars = row.reduce((n, l) => n + l.text.length, 0);
    return {
      text: row.map((l) => l.text).join(' '),
      confidence: row.reduce((s, l) => s + l.confidence * l.text.length, 0) / Math.max(1, chars),
      box: [
        Math.min(...row.map((l) => l.box[0])),
        Math.min(...row.map((l) => l.box[1])),
        Math.max(...row.map((l) => l.box[2])),
        Math.max(...row.map((l) => l.box[3])),
      ],
    };
  });
}

function centreY(line: OcrLine): number {
  return (line.box[1] + line.box[3]) / 2;
}

function sameRow(a: OcrLine, b: OcrLine): boolean {
  const overlap = Math.min(a.box[3], b.box[3]) - Math.max(a.box[1], b.box[1]);
  const smaller = Math.min(a.box[3] - a.box[1], b.box[3] - b.box[1]);
  return overlap > 0.5 * smaller;
}

export interface AssembledPage {
  text: string;
  confidence: number;
  lines: OcrLine[];
}

/**
 * Below this an engine is reading noise (a page edge, a shadow, a fold), not text: such lines
 * are dropped rather than put in the register. PaddleOCR's own tools use 0.5.
 */
const NOISE_CONFIDENCE = 0.45;

/** A line worth keeping has at least one character, letter or digit, not only marks. */
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Lines in order, tidied, with the page's confidence weighted by characters. */
export function assemblePage(raw: OcrLine[]): AssembledPage {
  const lines = readingOrder(raw.filter((l) => l.confidence >= NOISE_CONFIDENCE))
    .map((l) => ({ ...l, text: tidyChineseLine(l.text) }))
    .filter((l) => HAS_WORD.test(l.text));
  const chars = lines.reduce((n, l) => n + l.text.length, 0);
  const confidence = chars ? lines.reduce((s, l) => s + l.confidence * l.text.length, 0) / chars : 0;
  return { text: lines.map((l) => l.text).join('\n'), confidence, lines };
}
