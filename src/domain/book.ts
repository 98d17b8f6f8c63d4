/** The register book (来信来访登记簿): its columns and each case as a line of it. */
import type { Settings } from './settings.js';
import { localDate } from './calendar.js';
import { maskIdNumber, maskPhone } from './extract/id-number.js';
import type { Case } from './case.js';
import { caseDeadlines } from './deadlines.js';
import { flagShort } from './flags.js';

/** One line of the register book (来信来访登记簿), already masked as the settings say. */
export interface BookRow {
  seq: number;
  number: string;
  receivedDate: string;
  name: string;
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
  notes: string;
}

export interface BookInfo {
  office: string;
  period: string;
  total: number;
  byChannel: [string, number][];
  printedOn: string;
}

/** The columns, their share of the table's width, in the order of the paper register. */
export const BOOK_COLUMNS: { key: keyof BookRow; title: string; share: number }[] = [
  { key: 'seq', title: '序号', share: 3.8 },
  { key: 'number', title: '编号', share: 8.5 },
  { key: 'receivedDate', title: '收到日期', share: 7.8 },
  { key: 'name', title: '信访人', share: 5 },
  { key: 'address', title: '住址', share: 8.5 },
  { key: 'phone', title: '联系电话', share: 8.8 },
  { key: 'people', title: '人数', share: 3.6 },
  { key: 'summary', title: '反映问题摘要', share: 15 },
  { key: 'category', title: '类别', share: 6 },
  { key: 'instruction', title: '领导批示', share: 7 },
  { key: 'handler', title: '经办人', share: 5.5 },
  { key: 'deadline', title: '办理时限', share: 7.8 },
  { key: 'result', title: '办理结果', share: 7 },
  { key: 'replyDate', title: '答复日期', share: 7.8 },
  { key: 'notes', title: '备注', share: 7 },
];

/** A case as a line of the register book; ID numbers and phones masked unless the settings say not. */
export function bookRow(c: Case, index: number, settings: Settings): BookRow {
  const f = c.fields;
  const w = c.workflow;
  const tz = settings.office.timezone;
  const due = caseDeadlines(c, settings);
  const mask = settings.extract.maskPersonalData;
  const notes = [
    c.channel !== '来信' ? c.channel : '',
    ...c.flags.map(flagShort),
    c.repeatOf ? `前次 ${c.repeatOf}` : '',
    c.transfer ? `${c.transfer.office}转办 ${c.transfer.number}` : '',
    w.extension ? `延期 ${w.extension.days} 日` : '',
    w.closedAt ? `${localDate(w.closedAt, tz)} 办结` : '',
    f.idNumber ? `身份证 ${mask ? maskIdNumber(f.idNumber) : f.idNumber}` : '',
  ].filter(Boolean);
  return {
    seq: index,
    number: c.number,
    receivedDate: localDate(c.receivedAt, settings.office.timezone),
    name: f.name ?? '',
    address: f.address ?? '',
    phone: f.phone ? (mask ? maskPhone(f.phone) : f.phone) : '',
    people: f.signatories ? String(f.signatories) : '',
    summary: f.summary ?? '',
    category: f.category ?? '',
    instruction: w.instruction ? `${w.instruction.leader}：${w.instruction.text}` : '',
    handler: w.instruction?.handler ?? '',
    deadline: due.handle ?? (c.status === 'registered' || c.status === 'instructed' ? `告知 ${due.notify}` : ''),
    result: w.declinedAt ? `不予受理：${w.declineReason ?? ''}` : (w.outcome ?? ''),
    replyDate: w.repliedAt ? localDate(w.repliedAt, tz) : w.declinedAt ? localDate(w.declinedAt, tz) : '',
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
