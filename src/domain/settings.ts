/** The office's settings: their schema, checked once at start-up and frozen. */
import type { ExtractRules } from './extract/letter-fields.js';
import { z } from 'zod';
import { formatCaseNumber } from './case-number.js';
import { DAY_UNITS } from './deadlines.js';
import { HANDLING_TYPES } from './fields.js';
import { fail, type SettingsIssue } from './problems.js';

/** A community's code in a district: its folder communities/<code>/ and its schema c_<code>. */
export const COMMUNITY_CODE = /^[a-z][a-z0-9]{0,19}$/;

/** The sections only a district's own settings hold: one database and one list of communities for all of them. */
const DISTRICT_ONLY = ['store', 'district'] as const;

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
  returnDays: 5,
  dayUnits: { notify: '自然日', handle: '自然日', return: '工作日', review: '自然日' } as Record<'notify' | 'handle' | 'return' | 'review', '自然日' | '工作日'>,
  // 条例 §35, §36: 30 days to ask for 复查 (复核), 30 days for the body to answer.
  reviewRequestDays: 30,
  reviewAnswerDays: 30,
};

/** 回访, 满意度 and the words of review decisions; the office's own scale and wording. */
const FOLLOW_UP_DEFAULTS = {
  visitMethods: ['上门', '电话', '当面', '书面', '网上'],
  satisfaction: ['满意', '基本满意', '不满意'],
  satisfied: ['满意', '基本满意'],
  reviewDecisions: ['维持', '撤销', '变更'],
  secondReviewAuthority: '',
  unsatisfiedAdvice: '可自收到书面答复之日起{天数}日内（{期限}前）向{复查机关}请求复查',
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
  exportFolders: [] as string[],
};

const CLASSIFY_DEFAULTS = { learn: true, reviewBelow: 0.5, maxExamples: 2000 };
const STATS_DEFAULTS = { disputeCategories: ['邻里纠纷', '物业管理', '劳动社保', '城乡建设', '治安'] };

/** The register book is the office's own record: phones in full, ID numbers masked, unless set otherwise. */
const BOOK_DEFAULTS = { maskPhone: false, maskIdNumber: true };

/** Alerts to leaders and handlers (urgent letters, group petitions, deadlines) and the site's own hook command. */
const ALERTS_DEFAULTS = { daysBeforeDue: 3, checkMinutes: 60, command: [] as string[], commandTimeoutSeconds: 30 };

/** China's official calendar, one entry per year from the State Council's notice; none until the office fills it in. */
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A holiday, or a run of them written first～last as the State Council's notice gives them (春节 2025-01-28～2025-02-04). */
const holidayDays = z
  .array(z.string().regex(/^\d{4}-\d{2}-\d{2}(\s*[～~至]\s*\d{4}-\d{2}-\d{2})?$/))
  .transform((entries) => entries.flatMap(expandDayRange));

function expandDayRange(entry: string): string[] {
  const [first, last = first] = entry.split(/\s*[～~至]\s*/) as [string, string?];
  const days: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); d <= new Date(`${last}T00:00:00Z`) && days.length <= 366; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}
const CALENDAR_DEFAULTS = { holidays: {} as Record<string, { holidays: string[]; workdays: string[] }> };

/** 一岗双责: cadres' linked units to seed the registry with, and the periods when screening is daily. */
const DUTIES_DEFAULTS = { links: [] as { cadre: string; units: string[]; enterprises: string[] }[], sensitivePeriods: [] as { name: string; from: string; to: string }[] };

/** 信息员 reports of early signs (苗头): their own number, per year, and the risk levels an informant chooses from. */
const SIGNS_DEFAULTS = { numberFormat: '{short}信息〔{year}〕{seq}号', riskLevels: ['低', '中', '高'] };

const WEB_DEFAULTS = { host: '127.0.0.1', port: 8080, idleMinutes: 30, dueSoonDays: 7, pageSize: 50 };

const settingsSchema = z
  .object({
    office: z
      .object({
        name: z.string().min(1),
        shortName: z.string().min(1).max(10),
        timezone: z.string().refine(isTimeZone, { message: 'timezone' }),
        // The person the terminal's commands and the shared folder's registrations are recorded under when no one is named.
        clerk: z.string().trim().max(20).default(''),
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
      .array(z.object({ name: z.enum(HANDLING_TYPES), keywords: z.array(z.string().min(1)) }).strict())
      .min(1),
    defaultHandlingType: z.enum(HANDLING_TYPES),
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
        // Later than the other keys: a settings file made before them keeps working.
        returnDays: positiveInt(365).default(WORKFLOW_DEFAULTS.returnDays),
        dayUnits: z
          .object({
            notify: z.enum(DAY_UNITS).default('自然日'),
            handle: z.enum(DAY_UNITS).default('自然日'),
            return: z.enum(DAY_UNITS).default('工作日'),
            review: z.enum(DAY_UNITS).default('自然日'),
          })
          .strict()
          .default(WORKFLOW_DEFAULTS.dayUnits),
        reviewRequestDays: positiveInt(365).default(WORKFLOW_DEFAULTS.reviewRequestDays),
        reviewAnswerDays: positiveInt(365).default(WORKFLOW_DEFAULTS.reviewAnswerDays),
      })
      .strict()
      .default(WORKFLOW_DEFAULTS),
    followUp: z
      .object({
        visitMethods: z.array(z.string().trim().min(1)).min(1).default(FOLLOW_UP_DEFAULTS.visitMethods),
        satisfaction: z.array(z.string().trim().min(1)).min(2).default(FOLLOW_UP_DEFAULTS.satisfaction),
        satisfied: z.array(z.string().trim().min(1)).min(1).default(FOLLOW_UP_DEFAULTS.satisfied),
        reviewDecisions: z.array(z.string().trim().min(1)).min(1).default(FOLLOW_UP_DEFAULTS.reviewDecisions),
        secondReviewAuthority: z.string().default(FOLLOW_UP_DEFAULTS.secondReviewAuthority),
        unsatisfiedAdvice: z.string().trim().min(1).default(FOLLOW_UP_DEFAULTS.unsatisfiedAdvice),
      })
      .strict()
      .default(FOLLOW_UP_DEFAULTS),
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
        /** Folders outside the workspace the web may write a BagIt export under (absolute paths). */
        exportFolders: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default(ARCHIVE_DEFAULTS),
    classify: z
      .object({
        learn: z.boolean().default(CLASSIFY_DEFAULTS.learn),
        reviewBelow: z.number().min(0).max(1).default(CLASSIFY_DEFAULTS.reviewBelow),
        maxExamples: positiveInt(100_000).default(CLASSIFY_DEFAULTS.maxExamples),
      })
      .strict()
      .default(CLASSIFY_DEFAULTS),
    stats: z
      .object({ disputeCategories: z.array(z.string().min(1)) })
      .strict()
      .default(STATS_DEFAULTS),
    book: z
      .object({
        maskPhone: z.boolean().default(BOOK_DEFAULTS.maskPhone),
        maskIdNumber: z.boolean().default(BOOK_DEFAULTS.maskIdNumber),
      })
      .strict()
      .default(BOOK_DEFAULTS),
    web: z
      .object({
        host: z.string().min(1).default(WEB_DEFAULTS.host),
        port: z.number().int().min(1).max(65_535).default(WEB_DEFAULTS.port),
        idleMinutes: positiveInt(24 * 60).default(WEB_DEFAULTS.idleMinutes),
        dueSoonDays: positiveInt(365).default(WEB_DEFAULTS.dueSoonDays),
        pageSize: positiveInt(500).default(WEB_DEFAULTS.pageSize),
      })
      .strict()
      .default(WEB_DEFAULTS),
    alerts: z
      .object({
        daysBeforeDue: z.number().int().min(0).max(365).default(ALERTS_DEFAULTS.daysBeforeDue),
        checkMinutes: positiveInt(24 * 60).default(ALERTS_DEFAULTS.checkMinutes),
        // The program first, then its arguments; an empty list runs nothing.
        command: z.array(z.string().min(1)).default(ALERTS_DEFAULTS.command),
        commandTimeoutSeconds: positiveInt(3_600).default(ALERTS_DEFAULTS.commandTimeoutSeconds),
      })
      .strict()
      .default(ALERTS_DEFAULTS),
    calendar: z
      .object({
        holidays: z
          .record(
            z.string().regex(/^\d{4}$/),
            z.object({ holidays: holidayDays.default([]), workdays: z.array(isoDay).default([]) }).strict(),
          )
          .default(CALENDAR_DEFAULTS.holidays),
      })
      .strict()
      .default(CALENDAR_DEFAULTS),
    duties: z
      .object({
        links: z
          .array(z.object({ cadre: z.string().trim().min(1), units: z.array(z.string().trim().min(1)).default([]), enterprises: z.array(z.string().trim().min(1)).default([]) }).strict())
          .default(DUTIES_DEFAULTS.links),
        sensitivePeriods: z
          .array(
            z
              .object({ name: z.string().trim().min(1), from: isoDay, to: isoDay })
              .strict()
              .refine((p) => !/^\d{4}-\d{2}-\d{2}$/.test(p.from) || !/^\d{4}-\d{2}-\d{2}$/.test(p.to) || p.from <= p.to, { message: 'period-order', path: ['to'] }),
          )
          .default(DUTIES_DEFAULTS.sensitivePeriods),
      })
      .strict()
      .default(DUTIES_DEFAULTS),
    signs: z
      .object({
        numberFormat: z.string().trim().min(1).default(SIGNS_DEFAULTS.numberFormat),
        riskLevels: z.array(z.string().trim().min(1).max(10)).min(1).default(SIGNS_DEFAULTS.riskLevels),
      })
      .strict()
      .default(SIGNS_DEFAULTS),
    // Where the registry is kept: without a connection string, the workspace's own SQLite file.
    store: z
      .object({
        // A PostgreSQL connection string puts the registry on that server (a district's one database).
        postgres: z.string().trim().refine(isPostgresUrl, { message: 'connection-string' }).optional(),
      })
      .strict()
      .default({}),
    // A district's root only: the communities it runs (a community's own file may not hold it, nor store: the district's).
    district: z
      .object({
        communities: z.array(z.object({ code: z.string().regex(COMMUNITY_CODE), name: z.string().trim().min(1).max(40) }).strict()).default([]),
      })
      .strict()
      .optional(),
    // A district's work as jobs (src/ports/queue.ts): the shared file store, tries, back-off and the lapse after which a silent worker's job is taken up again.
    queue: z
      .object({
        files: z.string().trim().min(1).optional(),
        tries: z.number().int().min(1).max(20).default(3),
        backoffSeconds: z.number().int().min(1).max(3600).default(10),
        expireSeconds: z.number().int().min(2).max(86_400).default(900),
        checkSeconds: z.number().int().min(1).max(600).default(30),
        concurrency: z.number().int().min(1).max(16).default(1),
      })
      .strict()
      .default({ tries: 3, backoffSeconds: 10, expireSeconds: 900, checkSeconds: 30, concurrency: 1 }),
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

export function parseSettings(raw: unknown, file = 'pipeline/settings.yaml'): Settings {
  // With the input on each issue, a wrong type (deskew: 是) is told apart from a missing key.
  const result = settingsSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    fail({ code: 'settings-invalid', file, issues: result.error.issues.map(toIssue) });
  }
  // The fonds is the office itself unless the archive gave it another name.
  if (!result.data.archive.fondsName) result.data.archive.fondsName = result.data.office.name;
  const settings = deepFreeze(result.data);
  checkNumberFormat(settings, file);
  checkSignNumberFormat(settings, file);
  checkCategories(settings, file);
  checkSatisfaction(settings, file);
  checkCommunities(settings, file);
  return settings;
}

/**
 * A community's settings: the district's file with the community's over it, key by key (a list
 * or a value replaces the district's whole; a section merges). `file` names the community's file,
 * where a mistake is most likely made; a district-only section in it is refused.
 */
export function parseCommunitySettings(districtRaw: unknown, communityRaw: unknown, file: string): Settings {
  const own = communityRaw ?? {};
  if (!isPlainObject(own)) fail({ code: 'settings-invalid', file, issues: [{ key: '', kind: 'type', expected: 'object' }] });
  const forbidden = DISTRICT_ONLY.filter((key) => key in own);
  if (forbidden.length) fail({ code: 'settings-invalid', file, issues: forbidden.map((key) => ({ key, kind: 'district-only' as const })) });
  const { district: _list, ...shared } = (isPlainObject(districtRaw) ? districtRaw : {}) as Record<string, unknown>;
  return parseSettings(mergeRaw(shared, own), file);
}

function mergeRaw(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    out[key] = isPlainObject(under) && isPlainObject(value) ? mergeRaw(under, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCommunities(settings: Settings, file: string): void {
  const codes = settings.district?.communities.map((c) => c.code) ?? [];
  const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
  if (repeated) fail({ code: 'settings-invalid', file, issues: [{ key: 'district.communities', kind: 'community-twice', community: repeated }] });
  if (settings.district && !settings.store.postgres) fail({ code: 'settings-invalid', file, issues: [{ key: 'store.postgres', kind: 'district-needs-postgres' }] });
}

/** The words that count as satisfied must be on the scale, and at least one word of the scale must not. */
function checkSatisfaction(settings: Settings, file: string): void {
  const { satisfaction, satisfied } = settings.followUp;
  const stray = satisfied.find((s) => !satisfaction.includes(s));
  if (stray) fail({ code: 'settings-invalid', file, issues: [{ key: 'followUp.satisfied', kind: 'one-of', values: [...satisfaction] }] });
  if (satisfaction.every((s) => satisfied.includes(s))) fail({ code: 'settings-invalid', file, issues: [{ key: 'followUp.satisfied', kind: 'unsatisfied-missing' }] });
}

function checkNumberFormat(settings: Settings, file: string): void {
  const format = settings.numbering.format;
  const probe = formatCaseNumber(format, { short: settings.office.shortName, year: 2026, seq: 7 });
  const unknown = probe.match(/\{[^}]*\}/);
  if (!format.includes('{seq') || !format.includes('{year}') || unknown) {
    fail({ code: 'settings-number-format', file, format });
  }
}

function checkSignNumberFormat(settings: Settings, file: string): void {
  const format = settings.signs.numberFormat;
  const probe = formatCaseNumber(format, { short: settings.office.shortName, year: 2026, seq: 7 });
  const caseProbe = formatCaseNumber(settings.numbering.format, { short: settings.office.shortName, year: 2026, seq: 7 });
  if (!format.includes('{seq') || !format.includes('{year}') || /\{[^}]*\}/.test(probe) || probe === caseProbe) {
    fail({ code: 'settings-sign-number-format', file, format });
  }
  const levels = settings.signs.riskLevels;
  const repeated = levels.find((l, i) => levels.indexOf(l) !== i);
  if (repeated) fail({ code: 'settings-risk-twice', file, level: repeated });
}

function checkCategories(settings: Settings, file: string): void {
  const names = settings.categories.map((c) => c.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) fail({ code: 'settings-category-twice', file, category: repeated });
  if (!names.includes('其他')) fail({ code: 'settings-no-other-category', file });
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
export function extractRules(settings: Settings, learned?: ExtractRules['learned']): ExtractRules {
  return {
    learned,
    categories: settings.categories.filter((c) => c.name !== '其他'),
    defaultCategory: '其他',
    handlingTypes: settings.handlingTypes,
    defaultHandlingType: settings.defaultHandlingType,
    urgentWords: settings.extract.urgentWords,
    groupThreshold: settings.extract.groupThreshold,
  };
}

/** A schema complaint as our own data, for each face to word. */
function toIssue(issue: z.core.$ZodIssue): SettingsIssue {
  const key = issue.path.join('.');
  switch (issue.code) {
    case 'invalid_value':
      return { key, kind: 'one-of', values: issue.values.map(String) };
    case 'invalid_type':
      return issue.input === undefined ? { key, kind: 'missing' } : { key, kind: 'type', expected: issue.expected };
    case 'too_small':
      return { key, kind: 'too-small', limit: String(issue.minimum), text: issue.origin === 'string' };
    case 'too_big':
      return { key, kind: 'too-big', limit: String(issue.maximum), text: issue.origin === 'string' };
    case 'unrecognized_keys':
      return { key, kind: 'unknown-keys', keys: issue.keys };
    case 'invalid_union':
      return { key, kind: 'workers' };
    case 'invalid_format':
      if (key.startsWith('calendar.') || key.startsWith('duties.')) return { key, kind: 'date' };
      if (key.startsWith('district.')) return { key, kind: 'community-code' };
      return { key, kind: key.startsWith('archive.') ? 'letters-and-digits' : 'folder-name' };
    case 'custom':
      if (key.startsWith('store.')) return { key, kind: 'connection-string' };
      return key.startsWith('duties.') ? { key, kind: 'period-order' } : { key, kind: 'time-zone' };
    default:
      return { key, kind: 'other' };
  }
}

/** postgresql://user:password@host:port/database, or postgresql:///database?host=/var/run/postgresql for the local socket. */
function isPostgresUrl(text: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(text)) return false;
  try {
    return new URL(text).pathname.length > 1;
  } catch {
    return false;
  }
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
