import { readFileSync } from 'node:fs';
import { z } from 'zod';
import YAML from 'yaml';
import { XinfangError } from './problems.js';
import { formatCaseNumber } from './case-number.js';

const positiveInt = (max: number) => z.number().int().min(1).max(max);

/**
 * Sections added after the first release default to these values, so an office's existing
 * settings file keeps working after an upgrade; new installs get them written out in full.
 */
const WORKFLOW_DEFAULTS = {
  notifyDays: 15,
  handleDays: 60,
  maxExtensionDays: 30,
  handlingUnit: '社区综合治理办公室',
  contactPhone: '',
  reviewAuthority: '上一级人民政府信访工作机构',
  declineAdvice: '向有权处理的机关提出，或依法通过诉讼、仲裁等途径解决',
  blankSheets: true,
};

const ARCHIVE_DEFAULTS = {
  fondsName: '',
  fondsCode: 'Z001',
  classCode: 'XF',
  unitCode: '',
  retention: 'D30' as const,
  retentionByCategory: {},
  paperOrder: ['批办单', '信访处理意见书', '来信'],
  sheetsPerVolume: 200,
  scanLongSide: 2339,
  scanJpegQuality: 50,
};

const STATS_DEFAULTS = { disputeCategories: ['邻里纠纷', '物业管理', '劳动社保', '城乡建设', '治安'] };

const settingsSchema = z
  .object({
    office: z
      .object({
        name: z.string().min(1),
        shortName: z.string().min(1).max(10),
        timezone: z.string().refine(isTimeZone, { message: 'timezone' }),
      })
      .strict(),
    numbering: z.object({ format: z.string().min(1) }).strict(),
    intake: z
      .object({
        watchMode: z.enum(['native', 'polling']),
        pollIntervalSeconds: z.number().min(0.2).max(600),
        stableSeconds: z.number().min(0).max(600),
        rescanSeconds: z.number().min(1).max(86_400),
        maxFileMegabytes: z.number().min(1).max(10_000),
        maxPages: positiveInt(2_000),
        maxMegapixelsPerPage: z.number().min(1).max(1_000),
        setAsideFolder: z.string().min(1).regex(/^[^/\\.][^/\\]*$/),
      })
      .strict(),
    decode: z
      .object({
        deskew: z.boolean(),
        maxSkewDegrees: z.number().min(0).max(45),
        archiveLongSide: z.number().int().min(800).max(10_000),
        archiveJpegQuality: z.number().int().min(1).max(100),
      })
      .strict(),
    ocr: z
      .object({
        engine: z.enum(['paddle', 'tesseract']),
        workers: z.union([z.literal('auto'), positiveInt(64)]),
        longSide: z.number().int().min(640).max(6_000),
        lowConfidence: z.number().min(0).max(1),
        // Later than the other keys: a workspace made before it keeps working without it.
        skipBlankMargins: z.boolean().default(true),
        tesseractLanguages: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
      })
      .strict(),
    extract: z
      .object({
        groupThreshold: positiveInt(1000),
        repeatSimilarity: z.number().min(0.05).max(1),
        repeatWithinDays: positiveInt(36_500),
        urgentWords: z.array(z.string().min(1)),
        maskPersonalData: z.boolean(),
      })
      .strict(),
    categories: z.array(z.object({ name: z.string().min(1), keywords: z.array(z.string().min(1)) }).strict()).min(1),
    handlingTypes: z
      .array(z.object({ name: z.enum(['建议意见类', '检举控告类', '申诉求决类']), keywords: z.array(z.string().min(1)) }).strict())
      .min(1),
    defaultHandlingType: z.enum(['建议意见类', '检举控告类', '申诉求决类']),
    workflow: z
      .object({
        notifyDays: positiveInt(365),
        handleDays: positiveInt(365),
        maxExtensionDays: positiveInt(365),
        handlingUnit: z.string().min(1),
        contactPhone: z.string(),
        reviewAuthority: z.string().min(1),
        declineAdvice: z.string().min(1),
        blankSheets: z.boolean().default(WORKFLOW_DEFAULTS.blankSheets),
      })
      .strict()
      .default(WORKFLOW_DEFAULTS),
    archive: z
      .object({
        fondsName: z.string(),
        fondsCode: z.string().min(1).max(20).regex(/^[A-Za-z0-9]+$/),
        classCode: z.string().min(1).max(10).regex(/^[A-Za-z0-9]+$/),
        unitCode: z.string().max(10).regex(/^[A-Za-z0-9]*$/),
        retention: z.enum(['Y', 'D30', 'D10']),
        retentionByCategory: z.record(z.string(), z.enum(['Y', 'D30', 'D10'])),
        paperOrder: z.array(z.string().min(1)).min(1),
        sheetsPerVolume: positiveInt(1000),
        scanLongSide: z.number().int().min(1000).max(5000),
        scanJpegQuality: z.number().int().min(10).max(95),
      })
      .strict()
      .default(ARCHIVE_DEFAULTS),
    stats: z
      .object({ disputeCategories: z.array(z.string().min(1)) })
      .strict()
      .default(STATS_DEFAULTS),
    fonts: z
      .object({
        body: z.string(),
        title: z.string(),
        heading: z.string(),
        kai: z.string(),
      })
      .strict(),
  })
  .strict();

export type Settings = Readonly<z.infer<typeof settingsSchema>>;

/** Reads and validates the settings file; any mistake stops start-up with a Chinese message. */
export function loadSettings(file: string): Settings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new XinfangError('settings-missing', `找不到设置文件 ${file}。请用 \`xinfang init 文件夹\` 新建工作区，或用 --root 指向已有的工作区。`);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new XinfangError('settings-syntax', `设置文件 ${file}${line ? ` 第 ${line} 行` : ''}格式有误（YAML 语法），请检查缩进和冒号。`);
  }
  return parseSettings(raw, file);
}

export function parseSettings(raw: unknown, file = 'pipeline/settings.yaml'): Settings {
  const result = settingsSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  · ${describeIssue(issue)}`);
    throw new XinfangError('settings-invalid', `设置文件 ${file} 有 ${lines.length} 处填写有误：\n${lines.join('\n')}\n请改正后重新启动。`);
  }
  // The fonds is the office itself unless the archive gave it another name.
  if (!result.data.archive.fondsName) result.data.archive.fondsName = result.data.office.name;
  const settings = deepFreeze(result.data);
  checkNumberFormat(settings, file);
  checkCategories(settings, file);
  return settings;
}

function checkNumberFormat(settings: Settings, file: string): void {
  const format = settings.numbering.format;
  const probe = formatCaseNumber(format, { short: settings.office.shortName, year: 2026, seq: 7 });
  const unknown = probe.match(/\{[^}]*\}/);
  if (!format.includes('{seq') || !format.includes('{year}') || unknown) {
    throw new XinfangError(
      'settings-invalid',
      `设置文件 ${file} 中的 numbering.format 填写有误：必须含有 {year} 和 {seq}（或 {seq4}），只能使用 {short}、{year}、{seq}、{seq4}。当前为“${format}”。`,
    );
  }
}

function checkCategories(settings: Settings, file: string): void {
  const names = settings.categories.map((c) => c.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new XinfangError('settings-invalid', `设置文件 ${file} 中 categories 的类别“${repeated}”出现了两次，请合并。`);
  if (!names.includes('其他')) throw new XinfangError('settings-invalid', `设置文件 ${file} 中 categories 必须有“其他”一类，用于无法归类的来信。`);
}

/** How the registry numbers cases and links repeat petitions, taken from the settings. */
export function registryOptions(settings: Settings) {
  return {
    format: settings.numbering.format,
    short: settings.office.shortName,
    repeatSimilarity: settings.extract.repeatSimilarity,
    repeatWithinDays: settings.extract.repeatWithinDays,
  };
}

/** The rules the field reader uses, taken from the settings. */
export function extractRules(settings: Settings) {
  return {
    categories: settings.categories.filter((c) => c.name !== '其他'),
    defaultCategory: '其他',
    handlingTypes: settings.handlingTypes,
    defaultHandlingType: settings.defaultHandlingType,
    urgentWords: settings.extract.urgentWords,
    groupThreshold: settings.extract.groupThreshold,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.join('.') || '（整个文件）';
  switch (issue.code) {
    case 'invalid_value':
      return `${key}：只能填 ${issue.values.map(String).join('、')} 之一。`;
    case 'invalid_type':
      return issue.input === undefined ? `${key}：缺少这一项，请补上。` : `${key}：应填${typeName(issue.expected)}。`;
    case 'too_small':
      return `${key}：不能小于 ${String(issue.minimum)}${issue.origin === 'string' ? ' 个字' : ''}。`;
    case 'too_big':
      return `${key}：不能大于 ${String(issue.maximum)}${issue.origin === 'string' ? ' 个字' : ''}。`;
    case 'unrecognized_keys':
      return `${key === '（整个文件）' ? '' : `${key} 下`}有不认识的设置项 ${issue.keys.join('、')}，请检查拼写或删除。`;
    case 'invalid_union':
      return `${key}：应填 auto 或 1 到 64 之间的整数。`;
    case 'invalid_format':
      return key.startsWith('archive.')
        ? `${key}：只能用英文字母和数字。`
        : `${key}：格式不对（不能含有 / 或 \\，也不能以点开头）。`;
    case 'custom':
      return `${key}：不是有效的时区名称，例如 Asia/Shanghai。`;
    default:
      return `${key}：填写有误。`;
  }
}

function typeName(expected: string): string {
  return ({ string: '文字', number: '数字', boolean: 'true 或 false', array: '列表', object: '一组设置' } as Record<string, string>)[expected] ?? expected;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('zh-CN', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
