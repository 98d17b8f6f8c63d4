import type { GrayImage } from '../adapters/sharp/image.js';

/** A line found on a page: its text, how sure the engine is (0–1), and its box in page pixels. */
export interface OcrLine {
  text: string;
  confidence: number;
  /** [left, top, right, bottom] in the pixels of the image that was read. */
  box: [number, number, number, number];
}

/** The one interface every OCR engine of ours offers. Lines may come in any order. */
export interface OcrEngine {
  readonly name: string;
  recognize(page: GrayImage): Promise<OcrLine[]>;
  close(): Promise<void>;
}
