import type { Settings } from './settings.js';
import { localDate } from './calendar.js';
import { maskIdNumber, maskPhone } from './extract/id-number.js';
import type { CaseRow } from '../adapters/sqlite/registry.js';
import { caseDeadlines } from './deadlines.js';
import type { BookRow } from '../adapters/pdfkit/register-book.js';

const FLAG_NOTE: Record<string, string> = { urgent: '紧急', group: '集体访', repeat: '重信重访', 'low-confidence': '待核对', 'id-checksum': '身份证号待核' };

/** A case as a line of the register book; ID numbers and phones masked unless the settings say not. */
export function bookRow(c: CaseRow, index: number, settings: Settings): BookRow {
  const f = c.fields;
  const w = c.workflow;
  const tz = settings.office.timezone;
  const due = caseDeadlines(c, settings);
  const mask = settings.extract.maskPersonalData;
  const notes = [
    c.channel !== '来信' ? c.channel : '',
    ...c.flags.map((flag) => FLAG_NOTE[flag] ?? ''),
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
export function* inMonth(cases: Iterable<CaseRow>, timeZone: string, month?: number): Generator<CaseRow> {
  for (const c of cases) {
    if (!month || Number(localDate(c.receivedAt, timeZone).slice(5, 7)) === month) yield c;
  }
}

/** The cases as the book's rows, numbered 1, 2, 3 … */
export function* bookRows(cases: Iterable<CaseRow>, settings: Settings): Generator<BookRow> {
  let index = 0;
  for (const c of cases) yield bookRow(c, ++index, settings);
}
