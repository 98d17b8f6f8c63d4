import type { Settings } from '../config/settings.js';
import { chineseDate } from '../lib/calendar.js';
import { maskIdNumber, maskPhone } from '../extract/id-number.js';
import { FIELD_NAMES, type FieldName } from '../extract/letter-fields.js';
import type { CaseDetail, CaseRow } from '../register/registry.js';
import { FIELD_LABELS } from './field-options.js';

const STATUS_LABEL: Record<string, string> = { registered: '已登记' };
const FLAG_LABEL: Record<string, string> = {
  urgent: '紧急',
  group: '集体访/联名',
  repeat: '重信重访',
  'low-confidence': '需人工核对',
  'id-checksum': '身份证号有误',
};
const SOURCE_NOTE: Record<string, string> = { inferred: '（推测，请核对）', clerk: '（已人工核对）' };
const JUDGED: readonly FieldName[] = ['summary', 'category', 'handlingType'];

export function caseSummaryJson(row: CaseRow) {
  return {
    number: row.number,
    year: row.year,
    seq: row.seq,
    status: row.status,
    receivedAt: row.receivedAt,
    channel: row.channel,
    flags: row.flags,
    petitioner: { name: row.fields.name },
    category: row.fields.category,
    summary: row.fields.summary,
  };
}

/** Everything about a case, unmasked: JSON is for the registry's own scripts. */
export function caseDetailJson(c: CaseDetail) {
  const f = c.fields;
  return {
    number: c.number,
    year: c.year,
    seq: c.seq,
    status: c.status,
    receivedAt: c.receivedAt,
    channel: c.channel,
    source: c.sourceName,
    petitioner: { name: f.name, phone: f.phone, idNumber: f.idNumber, address: f.address },
    letterDate: f.letterDate,
    signatories: f.signatories,
    category: f.category,
    handlingType: f.handlingType,
    summary: f.summary,
    repeatOf: c.repeatOf,
    personLetters: c.personLetters,
    fieldSources: c.sources,
    urgentWords: c.urgentWords,
    transfer: c.transfer,
    edits: c.edits,
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

export function flagsText(flags: string[]): string {
  return flags.map((f) => `【${FLAG_LABEL[f] ?? f}】`).join('');
}

export function fieldText(c: CaseRow, field: FieldName, settings: Settings): string {
  const value = c.fields[field];
  if (value === null || value === undefined) return '（未识别）';
  let text = String(value);
  if (settings.extract.maskPersonalData && field === 'idNumber') text = maskIdNumber(text);
  if (settings.extract.maskPersonalData && field === 'phone') text = maskPhone(text);
  if (field === 'letterDate') text = chineseDate(text);
  const source = c.sources[field];
  if (source === 'clerk') return `${text}${SOURCE_NOTE.clerk}`;
  if (field === 'summary') return `${text}（自动摘要）`;
  if (JUDGED.includes(field)) return `${text}（自动判断）`;
  return source === 'inferred' ? `${text}${SOURCE_NOTE.inferred}` : text;
}

export function casesTable(rows: CaseRow[], settings: Settings): string {
  if (rows.length === 0) return '登记簿中还没有案件。把扫描件放进 inbox/ 后运行 `xinfang ingest` 或 `npm start`。';
  // Cases a leader must see at once come first: urgent, then group petitions; otherwise by number.
  const weight = (r: CaseRow) => (r.flags.includes('urgent') ? 0 : r.flags.includes('group') ? 1 : 2);
  const sorted = [...rows].sort((a, b) => weight(a) - weight(b) || a.year - b.year || a.seq - b.seq);
  const lines = sorted.map((r) => {
    const what = (r.fields.summary ?? r.ocrText.replace(/\s+/g, '')).slice(0, 24);
    return `${flagsText(r.flags)}${r.number}  ${formatTime(r.receivedAt, settings.office.timezone)}  ${STATUS_LABEL[r.status] ?? r.status}  ${r.channel}  ${r.fields.name ?? '（姓名未识别）'}  ${r.fields.category ?? ''}  ${what}`;
  });
  return [`共 ${rows.length} 件`, ...lines].join('\n');
}

export function caseText(c: CaseDetail, settings: Settings): string {
  const tz = settings.office.timezone;
  const roleLabel: Record<string, string> = { original: '原件', searchable: '可检索副本' };
  const out = [
    ...(c.flags.length ? [`标记：${flagsText(c.flags)}`] : []),
    `编号：${c.number}`,
    `状态：${STATUS_LABEL[c.status] ?? c.status}    渠道：${c.channel}    收到时间：${formatTime(c.receivedAt, tz)}`,
    ...FIELD_NAMES.map((f) => `${FIELD_LABELS[f]}：${fieldText(c, f, settings)}`),
    ...(c.repeatOf ? [`重信重访：前次来信 ${c.repeatOf}`] : []),
    ...(c.personLetters > 1 ? [`该信访人累计来信来访 ${c.personLetters} 次`] : []),
    ...(c.urgentWords.length ? [`紧急情况用语：${c.urgentWords.join('、')}`] : []),
    ...(c.transfer ? [`转办来源：${c.transfer.office}，原编号 ${c.transfer.number}`] : []),
    ...c.edits.map((e) => `人工更正：${formatTime(e.at, tz)} ${e.by} 将${FIELD_LABELS[e.field]}由“${e.oldValue ?? '空'}”改为“${e.newValue ?? '空'}”`),
    `来源文件：${c.sourceName ?? '（无，人工登记）'}`,
  ];
  if (c.documents.length) {
    out.push('文件：', ...c.documents.map((d) => `  ${roleLabel[d.role] ?? d.role}  ${d.path}  （${d.pages} 页，SHA-256 ${d.sha256.slice(0, 16)}…）`));
  }
  if (c.pages.length) {
    out.push(`识别文字（引擎 ${c.ocrEngine ?? '—'}，可信度 ${c.ocrConfidence === null ? '—' : `${Math.round(c.ocrConfidence * 100)}%`}）：`);
    c.pages.forEach((p, i) => {
      const notes = [p.rotation ? `已旋转 ${p.rotation}°` : '', Math.abs(p.skew) >= 0.1 ? `已纠偏 ${p.skew}°` : '', p.lowConfidence ? '需人工核对' : ''].filter(Boolean).join('，');
      out.push(`—— 第 ${i + 1} 页（可信度 ${Math.round(p.confidence * 100)}%${notes ? `，${notes}` : ''}）——`, p.text);
    });
  } else {
    out.push('反映问题（人工记录）：', c.ocrText);
  }
  return out.join('\n');
}
