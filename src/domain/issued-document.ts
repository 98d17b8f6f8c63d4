/** A document of the office filled in and ready to be laid out (as PDF or DOCX): the model both renderers read. */
import type { DocumentType } from './document-types.js';

export interface Paragraph {
  text: string;
  /** A first-level heading (一、二、…), set in 黑体. */
  heading: boolean;
  /** A second-level heading (（一）（二）…), set in 楷体. */
  subheading: boolean;
}

/** A document with its wording filled in, ready to be laid out as PDF or DOCX. */
export interface FilledDocument {
  type: DocumentType;
  title: string;
  /** Forms: a line above the title, such as the office's name (front matter 抬头). */
  masthead: string | null;
  addressee: string | null;
  paragraphs: Paragraph[];
  /**
   * Forms: the labels of the rows left for handwriting, the first taking the most room (front
   * matter 书写栏). Empty when the template names none: then every row ending in a colon is one.
   */
  writingLabels: string[];
}

/** What the letter form (信函格式) prints around the wording: issuer, number, signature and date. */
export interface DocumentHead {
  issuer: string;
  docNumber: string;
  /** 2026年11月25日 */
  date: string;
  /** Forms such as the instruction sheet carry no letterhead and no signature. */
  form: boolean;
  /** Text of the QR code printed on every page, so the paper finds its case when scanned back. */
  code?: string;
}

/**
 * For each paragraph of a form: null for a printed row, else its rank as a place to write by hand
 * (0 the largest, such as the leader's instruction). When the template names its rows in 书写栏,
 * a row is one by its label, filled or not: the typed instruction on a filled sheet still leaves
 * the leader room to sign. Without 书写栏 a row is one while still empty after its label; a row
 * with nothing known (a missing phone number) is not mistaken for the leader's box.
 */
export function writingRanks(document: FilledDocument): (number | null)[] {
  const open = (text: string) => /[：:]\s*$/.test(text);
  if (!document.writingLabels.length) {
    let rank = 0;
    return document.paragraphs.map((p) => (open(p.text) ? rank++ : null));
  }
  return document.paragraphs.map((p) => {
    const at = document.writingLabels.findIndex((label) => p.text.startsWith(`${label}：`) || p.text.startsWith(`${label}:`));
    return at >= 0 ? at : null;
  });
}

/** A writing row's label with its colon (领导批示：), what the row holds on a blank sheet. */
export function rowLabel(text: string): string {
  const colon = /[：:]/.exec(text);
  return colon ? text.slice(0, colon.index + 1) : text;
}
