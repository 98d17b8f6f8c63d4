/**
 * The settings an office changes most (its name, the case number's form, the deadlines, the
 * categories and their keywords, the urgent words, the informants' numbers and risk levels, the fonts) as a form: checked with the same
 * schema and Chinese messages as at start-up, written back into pipeline/settings.yaml with its
 * comments and every other key kept, atomically, and applied at once where that is safe.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../adapters/files/fs-safe.js';
import { facesFrom } from '../adapters/fonts/font-files.js';
import { parseYaml, updateYaml, yamlErrorLine } from '../adapters/yaml/yaml.js';
import type { Actor } from '../domain/case.js';
import { fail } from '../domain/problems.js';
import { can } from '../domain/roles.js';
import { parseSettings, type Settings } from '../domain/settings.js';
import type { AuditService } from './audit.js';
import type { ServiceContext } from './context.js';

/** The form's values, as text the way a person types them. */
export interface SettingsForm {
  officeName: string;
  shortName: string;
  numberFormat: string;
  notifyDays: string;
  handleDays: string;
  maxExtensionDays: string;
  /** One category a line: 名称：关键词、关键词 */
  categories: string;
  urgentWords: string;
  /** The informants' reports' number (苗头信息编号). */
  signNumberFormat: string;
  /** The risk levels an informant chooses from, in order. */
  signRiskLevels: string;
  fontBody: string;
  fontTitle: string;
  fontHeading: string;
  fontKai: string;
}

/** Which settings key each form field writes. */
const KEYS: Record<keyof SettingsForm, (string | number)[]> = {
  officeName: ['office', 'name'],
  shortName: ['office', 'shortName'],
  numberFormat: ['numbering', 'format'],
  notifyDays: ['workflow', 'notifyDays'],
  handleDays: ['workflow', 'handleDays'],
  maxExtensionDays: ['workflow', 'maxExtensionDays'],
  categories: ['categories'],
  urgentWords: ['extract', 'urgentWords'],
  signNumberFormat: ['signs', 'numberFormat'],
  signRiskLevels: ['signs', 'riskLevels'],
  fontBody: ['fonts', 'body'],
  fontTitle: ['fonts', 'title'],
  fontHeading: ['fonts', 'heading'],
  fontKai: ['fonts', 'kai'],
};

/**
 * Fields that take effect only after a restart: the registry numbers cases with the short name
 * and the format it was opened with. Everything else is read afresh by each registration and
 * each document.
 */
export const RESTART_FIELDS: readonly (keyof SettingsForm)[] = ['shortName', 'numberFormat'];

const WORDS = /[、，,;；\s]+/;

export class SettingsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    /** Puts new settings in place for the running program. */
    private readonly apply: (next: Settings) => void,
  ) {}

  form(actor: Actor): SettingsForm {
    this.mustManage(actor);
    return formOf(this.ctx.settings);
  }

  /** Checks and writes the form; returns what changed and which of it waits for a restart. */
  async save(actor: Actor, form: SettingsForm): Promise<{ changed: (keyof SettingsForm)[]; restart: (keyof SettingsForm)[] }> {
    this.mustManage(actor);
    const before = formOf(this.ctx.settings);
    const changed = (Object.keys(KEYS) as (keyof SettingsForm)[]).filter((k) => normalizeField(k, form[k] ?? '') !== normalizeField(k, before[k]));
    if (!changed.length) return { changed, restart: [] };
    const file = this.ctx.paths.settingsFile;
    const text = await readFile(file, 'utf8');
    let next: string;
    try {
      next = updateYaml(
        text,
        changed.map((k) => ({ path: KEYS[k], value: valueOf(k, form[k] ?? '') })),
      );
    } catch (e) {
      fail({ code: 'settings-syntax', file: 'pipeline/settings.yaml', line: yamlErrorLine(e) });
    }
    // The same checks as at start-up, with the same messages; nothing is written unless they pass.
    const settings = (this.ctx.settingsOf ?? parseSettings)(parseYaml(next), 'pipeline/settings.yaml');
    facesFrom(settings, this.ctx.paths.root);
    await writeFileAtomic(file, next);
    this.apply(settings);
    await this.audit.noteAdministration(actor, `修改设置：${changed.map((k) => KEYS[k].join('.')).join('、')}`);
    this.ctx.log.info({ keys: changed, by: actor.name }, 'settings saved');
    return { changed, restart: changed.filter((k) => RESTART_FIELDS.includes(k)) };
  }

  private mustManage(actor: Actor): void {
    if (!can(actor, 'manage-office')) fail({ code: 'not-allowed', role: actor.role ?? '', action: '修改设置' });
  }
}

function formOf(s: Settings): SettingsForm {
  return {
    officeName: s.office.name,
    shortName: s.office.shortName,
    numberFormat: s.numbering.format,
    notifyDays: String(s.workflow.notifyDays),
    handleDays: String(s.workflow.handleDays),
    maxExtensionDays: String(s.workflow.maxExtensionDays),
    categories: s.categories.map((c) => `${c.name}：${c.keywords.join('、')}`).join('\n'),
    urgentWords: s.extract.urgentWords.join('、'),
    signNumberFormat: s.signs.numberFormat,
    signRiskLevels: s.signs.riskLevels.join('、'),
    fontBody: s.fonts.body,
    fontTitle: s.fonts.title,
    fontHeading: s.fonts.heading,
    fontKai: s.fonts.kai,
  };
}

/** The form's text as the value the settings file holds: numbers as numbers (so a wrong one gets the schema's message), lists as lists. */
function valueOf(key: keyof SettingsForm, text: string): unknown {
  const t = text.trim();
  if (key === 'notifyDays' || key === 'handleDays' || key === 'maxExtensionDays') return /^\d+$/.test(t) ? Number(t) : t;
  if (key === 'urgentWords' || key === 'signRiskLevels') return words(t);
  if (key === 'categories') {
    return t
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const at = line.search(/[：:]/);
        const name = (at < 0 ? line : line.slice(0, at)).trim();
        return { name, keywords: at < 0 ? [] : words(line.slice(at + 1)) };
      });
  }
  return t;
}

function words(text: string): string[] {
  return text.split(WORDS).map((w) => w.trim()).filter(Boolean);
}

function normalizeField(key: keyof SettingsForm, text: string): string {
  return JSON.stringify(valueOf(key, text));
}
