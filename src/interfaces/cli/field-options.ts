import type { Command } from 'commander';
import type { Settings } from '../../domain/settings.js';
import { findDates } from '../../domain/extract/dates.js';
import { normalisePhone } from '../../domain/extract/petitioner.js';
import type { FieldName, LetterFields } from '../../domain/extract/letter-fields.js';
import { XinfangError } from '../../domain/problems.js';

/** The register fields as command-line options, shared by `register` and `edit`. */
const OPTIONS: { field: FieldName; flag: string; label: string }[] = [
  { field: 'name', flag: '--name <姓名>', label: '信访人姓名' },
  { field: 'phone', flag: '--phone <电话>', label: '联系电话（手机或带区号的座机）' },
  { field: 'idNumber', flag: '--id-number <身份证号>', label: '身份证号（18 位）' },
  { field: 'address', flag: '--address <住址>', label: '住址' },
  { field: 'letterDate', flag: '--letter-date <日期>', label: '来信日期，如 2026-11-03 或 2026年11月3日' },
  { field: 'signatories', flag: '--signatories <人数>', label: '人数（联名人数）' },
  { field: 'summary', flag: '--summary <摘要>', label: '反映问题摘要（60 字以内）' },
  { field: 'category', flag: '--category <类别>', label: '类别（见设置 categories）' },
  { field: 'handlingType', flag: '--handling-type <办理类型>', label: '建议意见类、检举控告类或申诉求决类' },
];

export const FIELD_LABELS: Record<FieldName, string> = {
  name: '信访人',
  phone: '联系电话',
  idNumber: '身份证号',
  address: '住址',
  letterDate: '来信日期',
  signatories: '人数',
  summary: '反映问题摘要',
  category: '类别',
  handlingType: '办理类型',
};

export function addFieldOptions(command: Command): Command {
  for (const o of OPTIONS) command.option(o.flag, o.label);
  return command;
}

/** Reads and checks the field options given; an empty value clears a field. */
export function fieldChanges(options: Record<string, unknown>, settings: Settings): Partial<LetterFields> {
  const changes: Partial<LetterFields> = {};
  for (const { field } of OPTIONS) {
    const raw = options[field];
    if (raw === undefined) continue;
    const text = String(raw).trim();
    (changes as Record<FieldName, unknown>)[field] = text === '' ? null : checkField(field, text, settings);
  }
  return changes;
}

function checkField(field: FieldName, value: string, settings: Settings): string | number {
  const wrong = (what: string) => new XinfangError('bad-field', `${FIELD_LABELS[field]}“${value}”不对：${what}`, 2);
  switch (field) {
    case 'phone': {
      const phone = normalisePhone(value);
      if (phone) return phone;
      throw wrong('应为 11 位手机号，或带区号的座机号，如 010-62345678。');
    }
    case 'idNumber':
      if (!/^\d{17}[\dXx]$/.test(value)) throw wrong('应为 18 位，最后一位可以是 X。');
      return value.toUpperCase();
    case 'letterDate': {
      const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
      const found = findDates(iso ? `${iso[1]}年${iso[2]}月${iso[3]}日` : value);
      if (found.length !== 1) throw wrong('应写成 2026-11-03 或 2026年11月3日。');
      return found[0]!.date;
    }
    case 'signatories': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw wrong('应为 1 以上的整数。');
      return n;
    }
    case 'summary':
      if ([...value].length > 60) throw wrong('摘要不能超过 60 个字。');
      return value;
    case 'category': {
      const names = settings.categories.map((c) => c.name);
      if (!names.includes(value)) throw wrong(`只能是 ${names.join('、')} 之一（可在设置 categories 中增加）。`);
      return value;
    }
    case 'handlingType':
      if (!['建议意见类', '检举控告类', '申诉求决类'].includes(value)) throw wrong('只能是 建议意见类、检举控告类、申诉求决类 之一。');
      return value;
    default:
      return value;
  }
}
