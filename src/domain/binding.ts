/** Binding a case for the shelf (DA/T 22-2015): what it needs first, its papers in order, its title and its reference. */
import type { CaseDetail, DocumentRecord } from './case.js';
import type { BindingNeed } from './problems.js';
import type { Settings } from './settings.js';
import type { FitColumn } from './table-fit.js';
import { openReview } from './follow-up.js';

/** What a case still lacks before it can be bound; empty when it can. */
export function missingForBinding(c: CaseDetail): BindingNeed[] {
  const missing: BindingNeed[] = [];
  if (c.status !== 'closed') missing.push({ need: 'closed', status: c.status });
  // A transferred case sent back ends with its 退回函: no instruction or reply of this office's.
  if (c.workflow.returnedAt) return missing;
  if (!c.workflow.instruction) missing.push({ need: 'instruction' });
  if (!c.workflow.repliedAt && !c.workflow.declinedAt) missing.push({ need: 'reply' });
  // A case under review (复查/复核 asked, no decision yet) is not finished: its volume waits for the decision.
  const open = openReview(c.workflow.reviews);
  if (open) missing.push({ need: 'review-decision', stage: open.stage, body: open.body, requestedOn: open.requestedOn, answerDue: open.answerDue });
  return missing;
}

/** 王秀兰关于楼下烧烤店油烟噪音扰民的来信 */
export function volumeTitle(c: CaseDetail): string {
  const matter = (c.fields.summary ?? '').replace(/[。；，,.;\s]+$/u, '').replace(/^(关于|反映)/u, '');
  const what = c.channel === '来信' ? '来信' : c.channel === '转办' ? '信访事项（转办）' : `${c.channel}`;
  return `${c.fields.name ?? '信访人'}关于${matter || '信访事项'}的${what}`;
}
export type Retention = 'Y' | 'D30' | 'D10';
export const RETENTION_LABEL: Record<string, string> = { Y: '永久', D30: '30年', D10: '10年' };

/** The retention period of a case: its category's if the settings name one, else the default. */
export function retentionFor(category: string | null, settings: Settings): Retention {
  return (category ? settings.archive.retentionByCategory[category] : undefined) ?? settings.archive.retention;
}

/** 全宗号-门类代码·年度-保管期限-机构或问题代码-件号 (DA/T 22-2015), e.g. Z109-XF·2026-D30-0007. */
export function archiveRef(settings: Settings, year: number, retention: string, item: number): string {
  const { fondsCode, classCode, unitCode } = settings.archive;
  return `${fondsCode}-${classCode}·${year}-${retention}${unitCode ? `-${unitCode}` : ''}-${String(item).padStart(4, '0')}`;
}

/** 20261103: contents lists write dates as eight digits. */
export function eightDigitDate(isoDate: string): string {
  return isoDate.slice(0, 10).replace(/-/g, '');
}

/**
 * 卷内目录 (DA/T 22-2015): 序号, 文号, 日期 and 页号 each on one line, a name or a short note
 * kept whole; the title takes what they leave.
 */
export const CASE_CONTENTS_COLUMNS: readonly FitColumn[] = [
  { title: '序号', keep: true },
  { title: '文号', keep: true },
  { title: '责任者', share: 13, keepUpTo: 4 },
  { title: '题名', share: 30 },
  { title: '日期', keep: true },
  { title: '页号', keep: true },
  { title: '备注', share: 12, keepUpTo: 4 },
];

/**
 * 归档文件目录 of a year's shelf volume: the same rule, with 档号, 密级 and 页数. A long 档号 (with
 * a unit code) that would leave the title too narrow breaks after one of its '-', nowhere else.
 */
export const YEAR_CONTENTS_COLUMNS: readonly FitColumn[] = [
  { title: '序号', keep: true },
  { title: '档号', keep: true, breakAfter: '-', share: 12 },
  { title: '文号', keep: true },
  { title: '责任者', share: 9, keepUpTo: 4 },
  { title: '题名', share: 26 },
  { title: '日期', keep: true },
  { title: '密级', keep: true },
  { title: '页数', keep: true },
  { title: '备注', share: 7, keepUpTo: 4 },
];

/** One paper of a case's volume and where its pages come from. */
export interface Paper {
  /** The kind as the settings' paperOrder names it: 批办单, 信访处理意见书, 来信, or another document type. */
  kind: string;
  title: string;
  /** 文号: the case number for our documents, none for the petitioner's letter. */
  docNumber: string;
  /** 责任者: who issued or wrote it. */
  author: string;
  /** YYYY-MM-DD */
  date: string;
  /** The PDF to take, relative to the workspace; null for a petition that came without paper. */
  path: string | null;
  /** 备注: signed or stamped paper, or the generated copy. */
  note: string;
}

const returnedNote: Record<string, string> = { 批办单: '领导签批件扫描', 信访处理意见书: '盖章原件扫描' };

/** A paper of a review filed into the case: the petitioner's request (申请) or the body's decision (意见), with its date and author. */
function receivedPaper(d: DocumentRecord, c: CaseDetail, name: string, localDay: (iso: string) => string): Paper {
  const kind = d.kind ?? '复查材料';
  const stage = kind.startsWith('复核') ? '复核' : '复查';
  const review = c.workflow.reviews.find((r) => r.stage === stage);
  const decision = kind.endsWith('意见');
  const date = (decision ? review?.decidedOn : review?.requestedOn) ?? localDay(c.receivedAt);
  return { kind, title: decision ? `${review?.body ?? ''}关于${name}信访事项的${stage}意见` : `${name}${stage}申请`, docNumber: '', author: decision ? (review?.body ?? '') : name, date, path: d.path, note: '收到件扫描' };
}

/**
 * The papers of a case, one per kind: where a paper came back signed or stamped, its scan;
 * otherwise the last generated copy. A declined case's reply is its decline notice. Papers follow
 * the settings' order; the rest follow in the order they were made.
 */
export function casePapers(c: CaseDetail, office: string, order: readonly string[], localDay: (iso: string) => string): Paper[] {
  const pdfs = c.documents.filter((d) => d.path.endsWith('.pdf'));
  const latest = (role: DocumentRecord['role'], kind: string) => pdfs.filter((d) => d.role === role && d.kind === kind).at(-1);
  const name = c.fields.name ?? '信访人';
  const w = c.workflow;
  const ours = (kind: string, title: string, date: string | null): Paper | null => {
    const returned = latest('returned', kind);
    const generated = latest('issued', kind);
    const doc = returned ?? generated;
    if (!doc) return null;
    return { kind, title, docNumber: c.number, author: office, date: localDay(date ?? c.receivedAt), path: doc.path, note: returned ? (returnedNote[kind] ?? '收回件扫描') : '系统生成' };
  };
  const papers: Paper[] = [];
  const sheet = ours('批办单', `${name}信访事项批办单`, w.instruction?.at ?? null);
  if (sheet) papers.push(sheet);
  const reply = w.declinedAt ? ours('不予受理告知书', `${name}信访事项不予受理告知书`, w.declinedAt) : ours('信访处理意见书', `关于${name}信访事项的处理意见`, w.repliedAt);
  if (reply) papers.push({ ...reply, kind: '信访处理意见书' });
  const letter = pdfs.find((d) => d.role === 'searchable');
  papers.push({
    kind: '来信',
    title: letter ? `${name}来信` : `${name}${c.channel}登记表`,
    docNumber: '',
    author: name,
    date: c.fields.letterDate ?? localDay(c.receivedAt),
    path: letter?.path ?? null,
    note: letter ? '原件扫描' : `${c.channel}，无纸质原件`,
  });
  const taken = new Set(papers.map((p) => p.path));
  for (const d of pdfs) {
    if (taken.has(d.path) || d.role === 'volume' || d.role === 'searchable') continue;
    if (d.kind === '批办单' || (d.kind === (w.declinedAt ? '不予受理告知书' : '信访处理意见书') && d.role === 'issued')) continue;
    if (d.role === 'returned' && papers.some((p) => p.path === d.path)) continue;
    if (d.role === 'received') {
      papers.push(receivedPaper(d, c, name, localDay));
      taken.add(d.path);
      continue;
    }
    const date = d.kind === '受理告知书' ? w.acceptedAt : d.kind === '延期告知书' ? w.extension?.at : d.kind === '办结报告' ? w.reportedAt : d.kind === '退回函' ? w.returnedAt : d.kind === '督办单' ? (w.supervision?.at ?? null) : d.kind === '催办单' ? (w.supervision?.urgedAt ?? null) : null;
    papers.push({ kind: d.kind ?? '其他', title: `${name}信访事项${d.kind ?? '文书'}`, docNumber: c.number, author: office, date: localDay(date ?? c.receivedAt), path: d.path, note: d.role === 'returned' ? '收回件扫描' : '系统生成' });
    taken.add(d.path);
  }
  const rank = (p: Paper) => {
    const i = order.indexOf(p.kind);
    return i >= 0 ? i : order.length;
  };
  return papers.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}
