import type { Command } from 'commander';
import { FIELD_NAMES, type FieldName } from '../../domain/fields.js';

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

export function addFieldOptions(command: Command): Command {
  for (const o of OPTIONS) command.option(o.flag, o.label);
  return command;
}

/** The field options given, as typed (the services check them). */
export function givenFields(options: Record<string, unknown>): Partial<Record<FieldName, string>> {
  const given: Partial<Record<FieldName, string>> = {};
  for (const field of FIELD_NAMES) if (options[field] !== undefined) given[field] = String(options[field]);
  return given;
}
