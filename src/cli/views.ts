import type { CaseDetail, CaseRow } from '../register/registry.js';

const STATUS_LABEL: Record<string, string> = { registered: '已登记' };
const FLAG_LABEL: Record<string, string> = { 'low-confidence': '需人工核对' };

export function caseSummaryJson(row: CaseRow) {
  return { number: row.number, year: row.year, seq: row.seq, status: row.status, receivedAt: row.receivedAt, channel: row.channel, flags: row.flags };
}

export function caseDetailJson(c: CaseDetail) {
  return {
    number: c.number,
    year: c.year,
    seq: c.seq,
    status: c.status,
    receivedAt: c.receivedAt,
    channel: c.channel,
    source: c.sourceName,
    ocr: {
      engine: c.ocrEngine,
      text: c.ocrText,
      confidence: c.ocrConfidence,
      pages: c.pages.map((p) => ({ text: p.text, confidence: p.confidence, lowConfidence: p.lowConfidence, rotation: p.rotation, skew: p.skew })),
    },
    documents: c.documents.map((d) => ({ role: d.role, path: d.path, sha256: d.sha256, pages: d.pages })),
    flags: c.flags,
  };
}

export function formatTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function flagsText(flags: string[]): string {
  return flags.map((f) => `【${FLAG_LABEL[f] ?? f}】`).join('');
}

export function casesTable(rows: CaseRow[], timeZone: string): string {
  if (rows.length === 0) return '登记簿中还没有案件。把扫描件放进 inbox/ 后运行 `xinfang ingest` 或 `npm start`。';
  const lines = rows.map((r) => {
    const excerpt = r.ocrText.replace(/\s+/g, '').slice(0, 24);
    return `${flagsText(r.flags)}${r.number}  ${formatTime(r.receivedAt, timeZone)}  ${STATUS_LABEL[r.status] ?? r.status}  ${r.channel}  ${excerpt}`;
  });
  return [`共 ${rows.length} 件`, ...lines].join('\n');
}

export function caseText(c: CaseDetail, timeZone: string): string {
  const roleLabel: Record<string, string> = { original: '原件', searchable: '可检索副本' };
  const out = [
    ...(c.flags.length ? [`标记：${flagsText(c.flags)}`] : []),
    `编号：${c.number}`,
    `状态：${STATUS_LABEL[c.status] ?? c.status}    渠道：${c.channel}    收到时间：${formatTime(c.receivedAt, timeZone)}`,
    `来源文件：${c.sourceName ?? '（无）'}`,
    '文件：',
    ...c.documents.map((d) => `  ${roleLabel[d.role] ?? d.role}  ${d.path}  （${d.pages} 页，SHA-256 ${d.sha256.slice(0, 16)}…）`),
    `识别文字（引擎 ${c.ocrEngine ?? '—'}，可信度 ${c.ocrConfidence === null ? '—' : `${Math.round(c.ocrConfidence * 100)}%`}）：`,
  ];
  c.pages.forEach((p, i) => {
    const notes = [p.rotation ? `已旋转 ${p.rotation}°` : '', Math.abs(p.skew) >= 0.1 ? `已纠偏 ${p.skew}°` : '', p.lowConfidence ? '需人工核对' : ''].filter(Boolean).join('，');
    out.push(`—— 第 ${i + 1} 页（可信度 ${Math.round(p.confidence * 100)}%${notes ? `，${notes}` : ''}）——`, p.text);
  });
  return out.join('\n');
}
