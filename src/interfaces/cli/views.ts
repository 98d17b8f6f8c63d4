/** How the command line shows cases: plain Chinese lines for people, JSON (keys in English) for scripts. */
import type { Case, CaseDetail } from '../../domain/case.js';
import { chineseDate, localDate } from '../../domain/calendar.js';
import { effectiveLines, latestCorrections, lineKey, type LineCorrection } from '../../domain/corrections.js';
import { caseDeadlines, caseReturnDue, dueState } from '../../domain/deadlines.js';
import { missingCalendarYears } from '../../domain/workdays.js';
import { maskIdNumber, maskPhone } from '../../domain/extract/id-number.js';
import { FIELD_NAMES, type FieldName } from '../../domain/fields.js';
import { flagLabel } from '../../domain/flags.js';
import type { ChainProblem } from '../../domain/history.js';
import type { Settings } from '../../domain/settings.js';
import { isSupervisionOpen } from '../../domain/workflow.js';
import { followUpLines, reviewRules, reviewWindow } from '../../domain/follow-up.js';
import { ACTION_LABEL, calendarWarning, daysText, DEADLINE_LABEL, DOCUMENT_ROLE_LABEL, FIELD_LABELS, STATUS_LABEL, chainProblemText, fileProblemText as fileWords, oneLine, petitionerName } from '../../domain/words.js';
import type { FileProblem } from '../../domain/history.js';

const SOURCE_NOTE: Record<string, string> = { inferred: '（推测，请核对）', clerk: '（已人工核对）', dated: '（按登记当天）' };
const JUDGED: readonly FieldName[] = ['summary', 'category', 'handlingType'];

export function caseSummaryJson(row: Case, settings: Settings, now: Date) {
  const due = dueState(row, settings, now);
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
    nextDeadline: due ? { kind: due.kind, date: due.date, daysLeft: due.days } : null,
  };
}

/** Everything about a case, unmasked: JSON is for the registry's own scripts. */
export function caseDetailJson(c: CaseDetail, settings: Settings, now: Date) {
  const f = c.fields;
  const w = c.workflow;
  const due = dueState(c, settings, now);
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
    judged: c.judged,
    urgentWords: c.urgentWords,
    transfer: c.transfer,
    receivedBy: c.receivedBy ?? null,
    caseLeader: c.caseLeader ?? null,
    edits: c.edits,
    ocr: {
      engine: c.ocrEngine,
      text: c.ocrText,
      correctedText: c.correctedText,
      corrections: c.corrections,
      confidence: c.ocrConfidence,
      pages: c.pages.map((p) => ({ text: p.text, confidence: p.confidence, lowConfidence: p.lowConfidence, rotation: p.rotation, skew: p.skew })),
    },
    documents: c.documents.map((d) => ({ role: d.role, kind: d.kind ?? null, path: d.path, sha256: d.sha256, pages: d.pages, ...(d.role === 'returned' ? { text: d.text ?? '' } : {}) })),
    flags: c.flags,
    instruction: w.instruction ? { leader: w.instruction.leader, text: w.instruction.text, handler: w.instruction.handler, at: w.instruction.at } : null,
    deadlines: caseDeadlines(c, settings),
    nextDeadline: due ? { kind: due.kind, date: due.date, daysLeft: due.days } : null,
    acceptedAt: w.acceptedAt,
    declined: w.declinedAt ? { at: w.declinedAt, reason: w.declineReason } : null,
    extension: w.extension,
    outcome: w.outcome,
    facts: w.facts,
    basis: w.basis,
    repliedAt: w.repliedAt,
    reportedAt: w.reportedAt,
    signed: w.signedAt ? { by: w.signedBy, at: w.signedAt } : null,
    returned: w.returnedAt ? { at: w.returnedAt, reason: w.returnReason } : null,
    returnDue: caseReturnDue(c, settings),
    supervision: w.supervision,
    returnVisit: w.returnVisit,
    reviews: w.reviews,
    reviewWindow: reviewWindow(w, reviewRules(settings), settings.office.timezone, settings.calendar.holidays),
    closedAt: w.closedAt,
    archive: c.binding,
    history: c.history.map((h) => ({ at: h.at, actor: h.actor, action: h.action, detail: h.detail })),
  };
}

export function formatTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function flagsText(flags: readonly string[]): string {
  return flags.map((f) => `【${flagLabel(f)}】`).join('');
}

export function fieldText(c: Case, field: FieldName, settings: Settings): string {
  const value = c.fields[field];
  if (value === null || value === undefined) return '（未识别）';
  let text = String(value);
  if (settings.extract.maskPersonalData && field === 'idNumber') text = maskIdNumber(text);
  if (settings.extract.maskPersonalData && field === 'phone') text = maskPhone(text);
  if (field === 'letterDate') text = chineseDate(text);
  const source = c.sources[field];
  if (source === 'clerk') return `${text}${SOURCE_NOTE.clerk}`;
  if (field === 'summary') return `${text}（自动摘要）`;
  const sure = field === 'category' || field === 'handlingType' ? c.judged[field] : undefined;
  if (JUDGED.includes(field)) return `${text}（自动判断${sure === undefined ? '' : `，把握 ${Math.round(sure * 100)}%`}）`;
  return source === 'inferred' || source === 'dated' ? `${text}${SOURCE_NOTE[source]}` : text;
}

/** 告知是否受理 2026-12-10（还剩 3 天）, or empty when no deadline runs. */
export function dueText(c: Case, settings: Settings, now: Date): string {
  const due = dueState(c, settings, now);
  return due ? `${DEADLINE_LABEL[due.kind]} ${due.date}（${daysText(due.days)}）` : '';
}

export function casesTable(rows: Case[], settings: Settings, now: Date): string {
  if (rows.length === 0) return '登记簿中还没有案件。把扫描件放进 inbox/ 后运行 `xinfang ingest` 或 `npm start`。';
  // Cases a leader must see at once come first: urgent, then supervised (督办) ones awaiting their answer, then group petitions; otherwise by number.
  const weight = (r: Case) => (r.flags.includes('urgent') ? 0 : isSupervisionOpen(r.workflow) ? 1 : r.flags.includes('group') ? 2 : 3);
  const sorted = [...rows].sort((a, b) => weight(a) - weight(b) || a.year - b.year || a.seq - b.seq);
  const lines = sorted.map((r) => {
    // One case, one line: a summary typed with line breaks does not break the list.
    const what = [...(r.fields.summary ? oneLine(r.fields.summary) : r.ocrText.replace(/\s+/g, ''))].slice(0, 24).join('');
    const due = dueText(r, settings, now);
    const sup = isSupervisionOpen(r.workflow) ? `【督办 ${chineseDate(r.workflow.supervision!.due)} 前反馈】` : '';
    return `${flagsText(r.flags)}${sup}${r.number}  ${formatTime(r.receivedAt, settings.office.timezone)}  ${STATUS_LABEL[r.status] ?? r.status}  ${r.channel}  ${oneLine(petitionerName(r))}  ${r.fields.category ?? ''}  ${what}${due ? `  ${due}` : ''}`;
  });
  return [`共 ${rows.length} 件`, ...lines].join('\n');
}

/** A transferred case's signing and return, and the return deadline while it may still be sent back. */
function transferLines(c: CaseDetail, settings: Settings): string[] {
  if (c.channel !== '转办') return [];
  const tz = settings.office.timezone;
  const w = c.workflow;
  const due = caseReturnDue(c, settings);
  const day = (at: string) => chineseDate(at.length === 10 ? at : localDate(at, tz));
  if (w.returnedAt) return [`已退回交办单位：${formatTime(w.returnedAt, tz)}，理由：${w.returnReason ?? ''}`];
  const signed = w.signedAt ? `签收：${w.signedBy ?? ''}（${day(w.signedAt)}）` : '签收：未签收';
  const open = c.status === 'registered' || c.status === 'instructed';
  return [signed, ...(open && due ? [`如不属本单位职权范围，须于 ${chineseDate(due)} 前退回（收到后 ${settings.workflow.returnDays} 个${settings.workflow.dayUnits.return}）`] : [])];
}

/** The latest 督办: who, what, by when; the answer or the 催办 given. */
function supervisionLines(c: CaseDetail, settings: Settings): string[] {
  const s = c.workflow.supervision;
  if (!s) return [];
  const tz = settings.office.timezone;
  return [
    `督办：${s.by}（${formatTime(s.at, tz)}）：${s.demand}；督办期限 ${chineseDate(s.due)}`,
    s.answeredAt ? `督办反馈：${s.answeredBy ?? ''}（${formatTime(s.answeredAt, tz)}）：${s.answer ?? ''}` : `督办反馈：尚未反馈${s.urges ? `，已催办 ${s.urges} 次` : ''}`,
  ];
}

/** The warning while the holiday table lacks the current year, or nothing. */
export function calendarLines(settings: Settings, now: Date): string[] {
  const warning = calendarWarning(missingCalendarYears(localDate(now, settings.office.timezone), settings.calendar.holidays));
  return warning ? [warning] : [];
}

export function caseText(c: CaseDetail, settings: Settings, now: Date): string {
  const tz = settings.office.timezone;
  const w = c.workflow;
  const due = dueText(c, settings, now);
  const out = [
    ...(c.flags.length ? [`标记：${flagsText(c.flags)}`] : []),
    `编号：${c.number}`,
    `状态：${STATUS_LABEL[c.status] ?? c.status}    渠道：${c.channel}    收到时间：${formatTime(c.receivedAt, tz)}`,
    ...FIELD_NAMES.map((f) => `${FIELD_LABELS[f]}：${fieldText(c, f, settings)}`),
    ...(c.repeatOf ? [`重信重访：前次来信 ${c.repeatOf}`] : []),
    ...(c.personLetters > 1 ? [`该信访人累计来信来访 ${c.personLetters} 次`] : []),
    ...(c.urgentWords.length ? [`紧急情况用语：${c.urgentWords.join('、')}`] : []),
    ...(c.transfer ? [`转办来源：${c.transfer.office}，原编号 ${c.transfer.number}`] : []),
    ...transferLines(c, settings),
    ...(c.receivedBy ? [`接访领导：${c.receivedBy}`] : []),
    ...(c.caseLeader ? [`包案领导：${c.caseLeader.leader}（${formatTime(c.caseLeader.at, tz)}）`] : []),
    ...c.edits.map((e) =>
      e.oldValue === e.newValue
        ? `人工确认：${formatTime(e.at, tz)} ${e.by} 确认${FIELD_LABELS[e.field]}为“${e.newValue}”`
        : `人工更正：${formatTime(e.at, tz)} ${e.by} 将${FIELD_LABELS[e.field]}由“${e.oldValue ?? '空'}”改为“${e.newValue ?? '空'}”`,
    ),
    `来源文件：${c.sourceName ?? '（无，人工登记）'}`,
    ...(w.instruction ? [`领导批示：${w.instruction.leader}（${formatTime(w.instruction.at, tz)}）：${w.instruction.text}`, `经办人：${w.instruction.handler ?? '（未指定）'}`] : []),
    ...(due ? [`下一期限：${due}`] : []),
    ...(w.declineReason ? [`不予受理理由：${w.declineReason}`] : []),
    ...supervisionLines(c, settings),
    ...(w.extension ? [`延期：${w.extension.days} 日，理由：${w.extension.reason}`] : []),
    ...(w.outcome ? [`处理意见：${w.outcome}（${formatTime(w.repliedAt ?? '', tz)} 答复）`] : []),
    ...(w.closedAt ? [`办结时间：${formatTime(w.closedAt, tz)}`] : []),
    ...followUpLines(w, reviewRules(settings), tz, settings.calendar.holidays, localDate(now, tz)),
    ...(c.binding ? [`档号：${c.binding.ref}（${formatTime(c.binding.boundAt, tz)} 立卷）`] : []),
    ...(c.documents.some((d) => d.role === 'returned' && d.kind === '批办单') && !w.instruction
      ? [`已收回领导签批的批办单，请录入批示：xinfang instruct ${c.number} --leader 姓名 --text 批示内容`]
      : []),
  ];
  if (c.documents.length) {
    out.push('文件：', ...c.documents.map((d) => `  ${DOCUMENT_ROLE_LABEL[d.role] ?? d.role}${d.kind ? `（${d.kind}）` : ''}  ${d.path}  （${d.pages ? `${d.pages} 页，` : ''}SHA-256 ${d.sha256.slice(0, 16)}…）`));
  }
  out.push('办理经过：', ...historyLines(c, settings));
  out.push(...calendarLines(settings, now));
  if (c.pages.length) {
    out.push(`识别文字（引擎 ${c.ocrEngine ?? '—'}，可信度 ${c.ocrConfidence === null ? '—' : `${Math.round(c.ocrConfidence * 100)}%`}）：`);
    c.pages.forEach((p, i) => {
      const notes = [p.rotation ? `已旋转 ${p.rotation}°` : '', Math.abs(p.skew) >= 0.1 ? `已纠偏 ${p.skew}°` : '', p.lowConfidence ? '需人工核对' : ''].filter(Boolean).join('，');
      out.push(`—— 第 ${i + 1} 页（可信度 ${Math.round(p.confidence * 100)}%${notes ? `，${notes}` : ''}）——`, ...correctedPageText(c, i + 1, tz));
    });
  } else {
    out.push('反映问题（人工记录）：', c.ocrText);
  }
  return out.join('\n');
}

/** A page as it now reads, a clerk's lines in place of the OCR's, then what the OCR had read on each corrected line. */
function correctedPageText(c: CaseDetail, pageNo: number, tz: string): string[] {
  const page = c.pages[pageNo - 1]!;
  const latest = latestCorrections(c.corrections);
  const changed = page.lines.map((_, i) => latest.get(lineKey(pageNo, i + 1))).filter((k): k is LineCorrection => k !== undefined);
  if (changed.length === 0) return [page.text];
  return [
    effectiveLines(pageNo, page, latest).filter((t) => t !== '').join('\n'),
    `（本页有 ${changed.length} 行经人工更正，原识别文字保留：）`,
    ...changed.map((k) => `  第 ${k.line} 行：识别为“${k.ocrText}”，${formatTime(k.at, tz)} ${k.by} 更正为${k.text ? `“${k.text}”` : '空（不是文字）'}`),
  ];
}

function historyLines(c: CaseDetail, settings: Settings): string[] {
  return c.history.map((h) => `  ${formatTime(h.at, settings.office.timezone)}  ${ACTION_LABEL[h.action] ?? h.action}  ${h.actor}  ${h.detail}`);
}

export function historyText(c: CaseDetail, settings: Settings): string {
  return [`${c.number} 的办理经过（${STATUS_LABEL[c.status]}）：`, ...historyLines(c, settings)].join('\n');
}

export function problemText(p: ChainProblem & { number: string }): string {
  return `  ${chainProblemText(p)}`;
}

export function fileProblemText(p: FileProblem): string {
  return `  ${fileWords(p)}`;
}
