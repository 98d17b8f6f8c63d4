/** The register book (来信来访登记簿): its columns and each case as a line of it. */
import type { Settings } from './settings.js';
import { localDate } from './calendar.js';
import { maskIdNumber, maskPhone } from './extract/id-number.js';
import type { Case } from './case.js';
import { caseDeadlines } from './deadlines.js';
import { flagShort } from './flags.js';
import type { FitColumn } from './table-fit.js';

/** One line of the register book (来信来访登记簿), already masked as the settings say. */
export interface BookRow {
  seq: number;
  number: string;
  receivedDate: string;
  name: string;
  idNumber: string;
  address: string;
  phone: string;
  people: string;
  summary: string;
  category: string;
  instruction: string;
  handler: string;
  deadline: string;
  result: string;
  replyDate: string;
  /** The return visit after the reply (回访, 条例 §21): its day, how, and the petitioner's evaluation. */
  returnVisit: string;
  notes: string;
}

export interface BookInfo {
  office: string;
  period: string;
  total: number;
  byChannel: [string, number][];
  printedOn: string;
}

/**
 * The columns in the order of the paper register. Numbers, dates, phone and ID numbers each stay
 * on one line (their column as wide as the widest of them); a name of up to four characters is
 * kept whole; the rest share what is left, the summary the most.
 */
export const BOOK_COLUMNS: readonly (FitColumn & { key: keyof BookRow })[] = [
  { key: 'seq', title: '序号', keep: true },
  { key: 'number', title: '编号', keep: true },
  { key: 'receivedDate', title: '收到日期', keep: true },
  { key: 'name', title: '信访人', share: 4, keepUpTo: 4 },
  { key: 'idNumber', title: '身份证号', keep: true },
  { key: 'address', title: '住址', share: 8 },
  { key: 'phone', title: '联系电话', keep: true },
  { key: 'people', title: '人数', keep: true },
  { key: 'summary', title: '反映问题摘要', share: 24 },
  { key: 'category', title: '类别', share: 5 },
  { key: 'instruction', title: '领导批示', share: 8 },
  { key: 'handler', title: '经办人', share: 4, keepUpTo: 4 },
  { key: 'deadline', title: '办理时限', share: 5 },
  { key: 'result', title: '办理结果', share: 6 },
  { key: 'replyDate', title: '答复日期', keep: true },
  { key: 'returnVisit', title: '回访评价', share: 5 },
  { key: 'notes', title: '备注', share: 6 },
];

/** A book row as the table's cells, in the order of BOOK_COLUMNS. */
export function bookCells(row: BookRow): string[] {
  return BOOK_COLUMNS.map((c) => String(row[c.key] ?? ''));
}

/**
 * A case as a line of the register book. The book is the office's own record: phones in full and
 * ID numbers masked unless the book's settings say otherwise (screens follow their own setting).
 */
export function bookRow(c: Case, index: number, settings: Settings): BookRow {
  const f = c.fields;
  const w = c.workflow;
  const tz = settings.office.timezone;
  const due = caseDeadlines(c, settings);
  const mask = settings.book;
  const notes = [
    c.channel !== '来信' ? c.channel : '',
    c.receivedBy ? `接访领导 ${c.receivedBy}` : '',
    c.caseLeader ? `包案领导 ${c.caseLeader.leader}` : '',
    ...c.flags.map(flagShort),
    c.repeatOf ? `前次 ${c.repeatOf}` : '',
    c.transfer ? `${c.transfer.office}转办 ${c.transfer.number}` : '',
    w.extension ? `延期 ${w.extension.days} 日` : '',
    w.closedAt ? `${localDate(w.closedAt, tz)} 办结` : '',
  ].filter(Boolean);
  return {
    seq: index,
    number: c.number,
    receivedDate: localDate(c.receivedAt, settings.office.timezone),
    name: f.name ?? '',
    idNumber: f.idNumber ? (mask.maskIdNumber ? maskIdNumber(f.idNumber) : f.idNumber) : '',
    address: f.address ?? '',
    phone: f.phone ? (mask.maskPhone ? maskPhone(f.phone) : f.phone) : '',
    people: f.signatories ? String(f.signatories) : '',
    summary: f.summary ?? '',
    category: f.category ?? '',
    instruction: w.instruction ? `${w.instruction.leader}：${w.instruction.text}` : '',
    handler: w.instruction?.handler ?? '',
    deadline: due.handle ?? (c.status === 'registered' || c.status === 'instructed' ? `告知 ${due.notify}` : ''),
    result: w.declinedAt ? `不予受理：${w.declineReason ?? ''}` : (w.outcome ?? ''),
    replyDate: w.repliedAt ? localDate(w.repliedAt, tz) : w.declinedAt ? localDate(w.declinedAt, tz) : '',
    returnVisit: w.returnVisit ? `${w.returnVisit.on} ${w.returnVisit.how} ${w.returnVisit.result}` : '',
    notes: notes.join('；'),
  };
}

/** The cases of a year's listing that came in during one month (in the office's time zone), or all of them. */
export async function* inMonth(cases: AsyncIterable<Case>, timeZone: string, month?: number): AsyncGenerator<Case> {
  for await (const c of cases) {
    if (!month || Number(localDate(c.receivedAt, timeZone).slice(5, 7)) === month) yield c;
  }
}

/** The cases as the book's rows, numbered 1, 2, 3 … */
export async function* bookRows(cases: AsyncIterable<Case>, settings: Settings): AsyncGenerator<BookRow> {
  let index = 0;
  for await (const c of cases) yield bookRow(c, ++index, settings);
}
