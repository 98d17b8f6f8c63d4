import type { Settings } from '../config/settings.js';
import type { CaseRow } from '../register/registry.js';
import { chineseDate, localDate } from '../lib/calendar.js';

/**
 * What a template may use about a case, under Chinese names an administrator can read. Empty
 * fields are left out on purpose: a template that needs one stops with its name.
 */
export function caseData(c: CaseRow, settings: Settings, today: Date, extra: Record<string, string>): Record<string, string> {
  const f = c.fields;
  const data: Record<string, string | null | undefined> = {
    单位: settings.office.name,
    单位简称: settings.office.shortName,
    编号: c.number,
    年度: String(c.year),
    序号: String(c.seq),
    渠道: c.channel,
    收到日期: chineseDate(localDate(c.receivedAt, settings.office.timezone)),
    成文日期: chineseDate(localDate(today, settings.office.timezone)),
    信访人: f.name,
    联系电话: f.phone,
    住址: f.address,
    来信日期: f.letterDate ? chineseDate(f.letterDate) : null,
    人数: f.signatories ? String(f.signatories) : null,
    摘要: f.summary,
    类别: f.category,
    办理类型: f.handlingType,
    交办单位: c.transfer?.office,
    交办编号: c.transfer?.number,
  };
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...data, ...extra })) if (value !== null && value !== undefined && value !== '') result[key] = value;
  return result;
}
