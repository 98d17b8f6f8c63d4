/** Reading text off a page: what every OCR engine of ours offers, and the pool the intake reads through. */
import type { GrayImage } from './image.js';

/** A line found on a page: its text, how sure the engine is (0–1), and its box in page pixels. */
export interface OcrLine {
  text: string;
  confidence: number;
  /** [left, top, right, bottom] in the pixels of the image that was read. */
  box: [number, number, number, number];
}

/** [left, top, right, bottom] of a line of text, in the pixels of the image it was found in. */
export type LineBox = [number, number, number, number];

/** One engine. Lines may come in any order. */
export interface OcrEngine {
  readonly name: string;
  recognize(page: GrayImage): Promise<OcrLine[]>;
  /** Engines whose finding of lines and reading of them are separate steps offer them apart. */
  readonly steps?: LineSteps;
  close(): Promise<void>;
}

/**
 * Finding lines and reading them as two steps: lets the intake look at where the lines are (and
 * read a few of them both ways up) before it reads a whole page.
 */
export interface LineSteps {
  /** Where the lines of text are, not read. */
  detect(page: GrayImage): Promise<LineBox[]>;
  /**
   * Each box read, in the order given (a line read as nothing has empty text); `turned` reads each
   * box turned half round, as it would be on the page turned upside down.
   */
  readLines(page: GrayImage, boxes: LineBox[], turned: boolean): Promise<OcrLine[]>;
}

/** The engines the intake reads pages with, several pages at a time. */
export interface PageReader {
  /** How many pages can be read at once. */
  readonly size: number;
  readonly engineName: string;
  recognize(page: GrayImage): Promise<OcrLine[]>;
  /** The engines' separate steps, when they have them (paddle does, tesseract does not). */
  readonly steps?: LineSteps;
  close(): Promise<void>;
}
