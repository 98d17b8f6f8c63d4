import type { CaseDetail, DocumentRecord } from '../../adapters/sqlite/registry.js';

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
    const generated = latest('letter', kind);
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
    if (d.kind === '批办单' || (d.kind === (w.declinedAt ? '不予受理告知书' : '信访处理意见书') && d.role === 'letter')) continue;
    if (d.role === 'returned' && papers.some((p) => p.path === d.path)) continue;
    const date = d.kind === '受理告知书' ? w.acceptedAt : d.kind === '延期告知书' ? w.extension?.at : d.kind === '办结报告' ? w.reportedAt : null;
    papers.push({ kind: d.kind ?? '其他', title: `${name}信访事项${d.kind ?? '文书'}`, docNumber: c.number, author: office, date: localDay(date ?? c.receivedAt), path: d.path, note: d.role === 'returned' ? '收回件扫描' : '系统生成' });
    taken.add(d.path);
  }
  const rank = (p: Paper) => {
    const i = order.indexOf(p.kind);
    return i >= 0 ? i : order.length;
  };
  return papers.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}
