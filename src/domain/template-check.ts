/**
 * The check an edited template passes before it is saved: every placeholder a name the program
 * fills, braces in pairs, `{{#if}}` blocks closed, and the items a document of that kind must
 * carry still there. Pure: the wording of each issue is in words.ts.
 */
import type { Case } from './case.js';
import type { DocumentType } from './document-types.js';
import { EMPTY_WORKFLOW } from './workflow.js';
import { TEMPLATE_FIELDS } from './template-data.js';

export type TemplateIssue =
  | { kind: 'unknown'; name: string; suggestion: string | null }
  | { kind: 'unbalanced'; near: string }
  | { kind: 'required-removed'; name: string }
  | { kind: 'unclosed-block'; name: string }
  | { kind: 'unopened-block'; name: string }
  | { kind: 'unsupported'; tag: string }
  | { kind: 'header'; line: number | null }
  | { kind: 'render'; detail: string };

/** Names a kind of document is given by the person issuing it (`--set`), besides the case's own. */
export const GIVEN_FIELDS: Readonly<Partial<Record<DocumentType, readonly string[]>>> = {
  转送交办函: ['转送单位', '回复期限', '附件页数'],
};

/**
 * What each formal document must say, by the 信访工作条例: a template edited without one of
 * these is refused (the instruction sheet is a form and needs only the case's number).
 */
export const REQUIRED_FIELDS: Readonly<Record<DocumentType, readonly string[]>> = {
  受理告知书: ['办结期限', '经办单位'],
  不予受理告知书: ['不予受理理由', '正确途径'],
  延期告知书: ['延期理由', '新办结期限'],
  信访处理意见书: ['查明事实', '处理意见', '复查机关'],
  转送交办函: ['转送单位'],
  办结报告: ['交办编号', '办理结果'],
  批办单: ['编号'],
  退回函: ['交办编号', '退回理由'],
  督办单: ['督办要求', '督办期限'],
  催办单: ['督办期限', '催办日期'],
};

export function knownFields(type: DocumentType): readonly string[] {
  return [...TEMPLATE_FIELDS, ...(GIVEN_FIELDS[type] ?? [])];
}

/** The blocks a template may use: `{{#if 名称}}…{{else}}…{{/if}}` and `{{#unless}}`. */
const BLOCKS = new Set(['if', 'unless']);
const TAG = /\{\{([^{}]*)\}\}/g;

/** The placeholders of a template's whole text (its header too), and what is wrong with them. */
export function checkTemplate(type: DocumentType, source: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const known = knownFields(type);
  const used = new Set<string>();
  const open: string[] = [];
  const note = (issue: TemplateIssue) => {
    if (!issues.some((i) => JSON.stringify(i) === JSON.stringify(issue))) issues.push(issue);
  };
  const useName = (name: string) => {
    used.add(name);
    if (!known.includes(name)) note({ kind: 'unknown', name, suggestion: closest(name, known) });
  };
  for (const [, inner] of source.matchAll(TAG)) {
    const tag = inner!.trim();
    if (tag.startsWith('!')) continue;
    const block = /^#(\S+)\s+(\S+)$/.exec(tag);
    const close = /^\/(\S+)$/.exec(tag);
    if (block && BLOCKS.has(block[1]!)) {
      open.push(block[1]!);
      useName(block[2]!);
    } else if (close && BLOCKS.has(close[1]!)) {
      if (open.pop() !== close[1]) note({ kind: 'unopened-block', name: close[1]! });
    } else if (tag === 'else') {
      if (!open.length) note({ kind: 'unopened-block', name: 'else' });
    } else if (/^[^\s#/>^&{}"'=()]+$/.test(tag)) {
      useName(tag);
    } else {
      note({ kind: 'unsupported', tag: `{{${inner}}}` });
    }
  }
  for (const name of open) note({ kind: 'unclosed-block', name });
  // What is left once every whole {{…}} is taken out must hold no brace at all.
  const rest = source.replace(TAG, '');
  for (const m of rest.matchAll(/[{}]+/g)) note({ kind: 'unbalanced', near: around(rest, m.index) });
  for (const name of REQUIRED_FIELDS[type]) if (!used.has(name)) note({ kind: 'required-removed', name });
  return issues;
}

function around(text: string, at: number): string {
  const chars = [...text.slice(Math.max(0, at - 8), at + 10)];
  return chars.join('').replace(/\s+/g, ' ').trim();
}

/** The known name a misspelt one was most likely meant to be: one or two characters off. */
function closest(name: string, known: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const k of known) {
    const d = distance(name, k);
    if (d <= Math.max(1, Math.floor([...k].length / 2)) && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name ?? null;
}

function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/**
 * A made-up case far enough along that every placeholder has a value, for the preview beside the
 * template being edited: a joint letter, instructed, accepted, extended, replied and closed.
 */
export function sampleCase(today: Date): Case {
  const day = (offset: number) => new Date(today.getTime() - offset * 86_400_000).toISOString();
  const year = today.getUTCFullYear();
  return {
    id: 0,
    number: `示例信〔${year}〕7号`,
    year,
    seq: 7,
    status: 'closed',
    channel: '来信',
    receivedAt: day(40),
    sourceName: null,
    sourceSha256: null,
    folder: '',
    stagingDir: null,
    intakeState: 'done',
    ocrText: '',
    correctedText: null,
    ocrConfidence: null,
    ocrEngine: null,
    flags: [],
    fields: {
      name: '王秀兰',
      phone: '13900000000',
      idNumber: null,
      address: '示例街道示例小区3号楼2单元',
      letterDate: day(42).slice(0, 10),
      signatories: 3,
      summary: '楼下烧烤店油烟噪音扰民，请求责令整改',
      category: '环境保护',
      handlingType: '申诉求决类',
    },
    sources: {},
    judged: {},
    urgentWords: [],
    repeatOf: null,
    transfer: { office: '区信访局', number: `区信转〔${year}〕12号` },
    workflow: {
      ...EMPTY_WORKFLOW,
      instruction: { leader: '张主任', text: '请综治办核实处理', handler: '李文', at: day(38), due: null },
      acceptedAt: day(36),
      extension: { days: 30, reason: '需委托第三方检测', at: day(20) },
      outcome: '予以支持',
      facts: '经现场核查，该店排烟设施未按规定安装。',
      basis: '《中华人民共和国大气污染防治法》第八十一条',
      repliedAt: day(5),
      closedAt: day(1),
    },
    binding: null,
  };
}

/** What the sample gives for the names the person issuing a document types in. */
export const SAMPLE_GIVEN: Readonly<Record<string, string>> = { 转送单位: '区住房和城乡建设局', 回复期限: '下月十五日', 附件页数: '3' };
