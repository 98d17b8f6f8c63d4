import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { FilledDocument } from '../../domain/issued-document.js';
import { fail } from '../../domain/problems.js';
import { parseYaml, yamlErrorLine } from '../yaml/yaml.js';
import { writeFileAtomic } from '../files/fs-safe.js';
import type { DocumentType } from '../../domain/document-types.js';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * Fills an office's template with Handlebars in strict mode: a placeholder with no data stops
 * the rendering and names the missing item, so a formal letter never goes out with a hole in it.
 * Forms to be written on by hand (blanksAllowed) leave what is not known yet empty.
 */
export function fillTemplate(templatesDir: TemplateFolders, type: DocumentType, data: Record<string, string>, options: { blanksAllowed?: boolean } = {}): FilledDocument {
  return fillTemplateText(readTemplate(templatesDir, type), `${type}.hbs`, type, data, options);
}

/** A template folder, or folders read in order (a community's own, its district's, the program's): the first holding the file gives it. */
export type TemplateFolders = string | readonly string[];

/** The text of an office's template file. */
export function readTemplate(templatesDir: TemplateFolders, type: DocumentType): string {
  return readFileSync(foundTemplate(templatesDir, type), 'utf8');
}

/** The file a template is read from: the first folder that has it; 'template-missing' (naming the office's own folder) if none. */
function foundTemplate(templatesDir: TemplateFolders, type: DocumentType): string {
  const folders = typeof templatesDir === 'string' ? [templatesDir] : templatesDir;
  const file = folders.map((folder) => templateFile(folder, type)).find((f) => existsSync(f));
  return file ?? fail({ code: 'template-missing', file: `${type}.hbs`, folder: folders[0] ?? '' });
}

export function templateFile(templatesDir: string, type: DocumentType): string {
  return path.join(templatesDir, `${type}.hbs`);
}

/** Replaces a template file: written beside it and renamed into place, so a reader sees the old text or the new, never half. */
export async function writeTemplate(templatesDir: string, type: DocumentType, text: string): Promise<void> {
  await writeFileAtomic(templateFile(templatesDir, type), text);
}

/** The line of a template's header (between the --- lines) that is not valid YAML; undefined when it reads. */
export function templateHeaderError(source: string): { line: number | null } | undefined {
  const match = FRONT_MATTER.exec(source);
  if (!match) return undefined;
  try {
    parseYaml(match[1]!);
    return undefined;
  } catch (e) {
    // The header starts on the file's second line.
    const line = yamlErrorLine(e);
    return { line: line === null ? null : line + 1 };
  }
}

/** Fills a template's text (the file's, or one being edited) as fillTemplate does. */
export function fillTemplateText(source: string, fileName: string, type: DocumentType, data: Record<string, string>, options: { blanksAllowed?: boolean } = {}): FilledDocument {
  const file = fileName;
  const match = FRONT_MATTER.exec(source);
  const header = (match ? parseYaml(match[1]!) : {}) as Record<string, unknown>;
  const body = match ? source.slice(match[0].length) : source;
  const fill = (text: string) => {
    try {
      return Handlebars.compile(text, { strict: !options.blanksAllowed, noEscape: true })(data).trim();
    } catch (e) {
      const missing = /"([^"]+)" not defined/.exec(String((e as Error).message))?.[1];
      if (missing) fail({ code: 'template-field-missing', type, field: missing });
      fail({ code: 'template-invalid', file: path.basename(file), detail: (e as Error).message.split('\n')[0] ?? '' });
    }
  };
  const title = fill(String(header['标题'] ?? type));
  const addressee = header['主送'] ? fill(String(header['主送'])) : null;
  const masthead = header['抬头'] ? fill(String(header['抬头'])) || null : null;
  const paragraphs = fill(body)
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s*\r?\n\s*/g, '').trim())
    .filter(Boolean)
    .map((text) => ({ text, heading: /^[一二三四五六七八九十]+、/.test(text), subheading: /^（[一二三四五六七八九十]+）/.test(text) }));
  const writing = header['书写栏'];
  const writingLabels = (Array.isArray(writing) ? writing : writing ? [writing] : []).map((l) => String(l).trim()).filter(Boolean);
  return { type, title, masthead, addressee, paragraphs, writingLabels };
}


export interface TemplateField {
  name: string;
  /** Printed unconditionally: the letter cannot go out without it. Fields used only under {{#if}} are optional. */
  required: boolean;
}

/** The data a template uses, in the order it first appears (title, addressee, masthead, body). */
export function templateFields(templatesDir: TemplateFolders, type: DocumentType): TemplateField[] {
  const source = readTemplate(templatesDir, type);
  const match = FRONT_MATTER.exec(source);
  const header = (match ? parseYaml(match[1]!) : {}) as Record<string, unknown>;
  const texts = [header['标题'], header['主送'], header['抬头']].filter((t) => t !== undefined).map(String);
  texts.push(match ? source.slice(match[0].length) : source);
  const fields = new Map<string, boolean>();
  const note = (name: string, required: boolean) => fields.set(name, (fields.get(name) ?? false) || required);
  type Node = { type: string; path?: { type: string; original: string }; params?: Node[]; original?: string; program?: { body: Node[] }; inverse?: { body: Node[] } };
  const walk = (nodes: Node[], inBlock: boolean) => {
    for (const n of nodes) {
      if (n.type === 'MustacheStatement' && n.path?.type === 'PathExpression' && !n.params?.length) note(n.path.original, !inBlock);
      if (n.type === 'BlockStatement') {
        for (const p of n.params ?? []) if (p.type === 'PathExpression' && p.original) note(p.original, false);
        walk(n.program?.body ?? [], true);
        walk(n.inverse?.body ?? [], true);
      }
    }
  };
  for (const text of texts) {
    try {
      walk(Handlebars.parse(text).body as unknown as Node[], false);
    } catch (e) {
      fail({ code: 'template-invalid', file: `${type}.hbs`, detail: (e as Error).message.split('\n')[0] ?? '' });
    }
  }
  return [...fields].filter(([name]) => name !== 'this' && !name.startsWith('@')).map(([name, required]) => ({ name, required }));
}
