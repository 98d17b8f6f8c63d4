/** Reading text off a page: what every OCR engine of ours offers, and the pool the intake reads through. */
import type { GrayImage } from './image.js';

/** A line found on a page: its text, how sure the engine is (0–1), and its box in page pixels. */
export interface OcrLine {
  text: string;
  confidence: number;
  /** [left, top, right, bottom] in the pixels of the image that was read. */
  box: [number, number, number, number];
}

/** One engine. Lines may come in any order. */
export interface OcrEngine {
  readonly name: string;
  recognize(page: GrayImage): Promise<OcrLine[]>;
  close(): Promise<void>;
}

/** The engines the intake reads pages with, several pages at a time. */
export interface PageReader {
  /** How many pages can be read at once. */
  readonly size: number;
  readonly engineName: string;
  recognize(page: GrayImage): Promise<OcrLine[]>;
  close(): Promise<void>;
}
