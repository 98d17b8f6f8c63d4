import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import YAML from 'yaml';
import { XinfangError } from '../../domain/problems.js';

import type { DocumentType } from '../../domain/document-types.js';

export { DOCUMENT_TYPES, type DocumentType } from '../../domain/document-types.js';

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
  addressee: string | null;
  paragraphs: Paragraph[];
  /**
   * Forms: the labels of the rows left for handwriting, the first taking the most room (front
   * matter 书写栏). Empty when the template names none: then every row ending in a colon is one.
   */
  writingLabels: string[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * Fills an office's template with Handlebars in strict mode: a placeholder with no data stops
 * the rendering and names the missing item, so a formal letter never goes out with a hole in it.
 * Forms to be written on by hand (blanksAllowed) leave what is not known yet empty.
 */
export function fillTemplate(templatesDir: string, type: DocumentType, data: Record<string, string>, options: { blanksAllowed?: boolean } = {}): FilledDocument {
  const file = path.join(templatesDir, `${type}.hbs`);
  if (!existsSync(file)) throw new XinfangError('template-missing', `找不到文书模板 ${path.basename(file)}。请从程序自带的 templates 文件夹复制一份到 ${templatesDir}。`);
  const source = readFileSync(file, 'utf8');
  const match = FRONT_MATTER.exec(source);
  const header = (match ? YAML.parse(match[1]!) : {}) as Record<string, unknown>;
  const body = match ? source.slice(match[0].length) : source;
  const fill = (text: string) => {
    try {
      return Handlebars.compile(text, { strict: !options.blanksAllowed, noEscape: true })(data).trim();
    } catch (e) {
      const missing = /"([^"]+)" not defined/.exec(String((e as Error).message))?.[1];
      if (missing) {
        throw new XinfangError('template-field-missing', `文书“${type}”需要“${missing}”，但没有这项内容，文书没有生成。请用 --set ${missing}=… 给出，或先在案件中补全。`, 1);
      }
      throw new XinfangError('template-invalid', `文书模板 ${path.basename(file)} 写法有误：${(e as Error).message.split('\n')[0]}。请检查 {{ }} 是否成对。`, 1);
    }
  };
  const title = fill(String(header['标题'] ?? type));
  const addressee = header['主送'] ? fill(String(header['主送'])) : null;
  const paragraphs = fill(body)
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s*\r?\n\s*/g, '').trim())
    .filter(Boolean)
    .map((text) => ({ text, heading: /^[一二三四五六七八九十]+、/.test(text), subheading: /^（[一二三四五六七八九十]+）/.test(text) }));
  const writing = header['书写栏'];
  const writingLabels = (Array.isArray(writing) ? writing : writing ? [writing] : []).map((l) => String(l).trim()).filter(Boolean);
  return { type, title, addressee, paragraphs, writingLabels };
}

/**
 * For each paragraph of a form: null for a printed row, else its rank as a place to write by hand
 * (0 the largest, such as the leader's instruction). A row is one when it is still empty after its
 * label and the template names that label in 书写栏; a row with nothing known (a missing phone
 * number) is not mistaken for the leader's box.
 */
export function writingRanks(document: FilledDocument): (number | null)[] {
  const open = (text: string) => /[：:]\s*$/.test(text);
  if (!document.writingLabels.length) {
    let rank = 0;
    return document.paragraphs.map((p) => (open(p.text) ? rank++ : null));
  }
  return document.paragraphs.map((p) => {
    if (!open(p.text)) return null;
    const at = document.writingLabels.findIndex((label) => p.text.startsWith(`${label}：`) || p.text.startsWith(`${label}:`));
    return at >= 0 ? at : null;
  });
}
