import type { Settings } from './settings.js';
import type { Case } from './case.js';
import { chineseDate, localDate } from './calendar.js';
import { caseDeadlines, caseReturnDue } from './deadlines.js';
import { chineseCount } from './numerals.js';

/** Every name caseData gives a template; the template check refuses any other (a misspelt placeholder). */
export const TEMPLATE_FIELDS = [
  '单位', '单位简称', '编号', '年度', '序号', '渠道', '收到日期', '成文日期', '信访人', '信访人等', '人称', '联系电话', '住址', '来信日期',
  '人数', '摘要', '信访请求', '类别', '办理类型', '交办单位', '交办编号', '经办单位', '经办电话', '复查机关', '正确途径', '批示领导',
  '领导批示', '批示日期', '经办人', '告知期限', '办理时限', '受理日期', '办结期限', '不予受理理由', '延期理由', '延长天数', '新办结期限',
  '延期上限', '处理意见', '办理结果', '查明事实', '处理依据', '答复日期', '办结日期', '签收人', '签收日期', '退回理由', '退回日期',
  '退回期限', '督办人', '督办要求', '督办期限', '督办日期', '督办反馈',
  '催办次数', '催办日期',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/**
 * What a template may use about a case, under Chinese names an administrator can read. Empty
 * fields are left out on purpose: a template that needs one stops with its name. Values given
 * by the caller (`extra`) are kept even when empty: a blank form leaves room to write.
 */
export function caseData(c: Case, settings: Settings, today: Date, extra: Record<string, string>): Record<string, string> {
  const f = c.fields;
  const w = c.workflow;
  const tz = settings.office.timezone;
  const day = (iso: string | null | undefined) => (iso ? chineseDate(iso.length === 10 ? iso : localDate(iso, tz)) : null);
  const due = caseDeadlines(c, settings);
  const many = f.signatories !== null && f.signatories > 1;
  // Typed by the list above, so a name added here and not there (or the other way) does not compile.
  const data: Record<TemplateField, string | null | undefined> = {
    单位: settings.office.name,
    单位简称: settings.office.shortName,
    编号: c.number,
    年度: String(c.year),
    序号: String(c.seq),
    渠道: c.channel,
    收到日期: day(c.receivedAt),
    成文日期: day(today.toISOString()),
    信访人: f.name,
    信访人等: f.name && many ? `${f.name}等${f.signatories}人` : f.name,
    人称: addressing(f.name, f.signatories),
    联系电话: f.phone,
    住址: f.address,
    来信日期: f.letterDate ? chineseDate(f.letterDate) : null,
    人数: f.signatories ? String(f.signatories) : null,
    摘要: f.summary,
    信访请求: f.summary,
    类别: f.category,
    办理类型: f.handlingType,
    交办单位: c.transfer?.office,
    交办编号: c.transfer?.number,
    经办单位: settings.workflow.handlingUnit,
    经办电话: settings.workflow.contactPhone,
    复查机关: settings.workflow.reviewAuthority,
    正确途径: settings.workflow.declineAdvice,
    批示领导: w.instruction?.leader,
    领导批示: w.instruction ? `${w.instruction.text}（${w.instruction.leader}，${day(w.instruction.at)}）` : null,
    批示日期: day(w.instruction?.at),
    经办人: w.instruction?.handler,
    告知期限: day(due.notify),
    办理时限: due.handle ? day(due.handle) : w.instruction ? `受理后${settings.workflow.handleDays}日内` : null,
    受理日期: day(w.acceptedAt),
    办结期限: w.instruction?.due ? `于${day(w.instruction.due)}前` : `自受理之日起${chineseCount(settings.workflow.handleDays)}日内`,
    不予受理理由: w.declineReason,
    延期理由: w.extension?.reason,
    延长天数: w.extension ? String(w.extension.days) : null,
    新办结期限: w.extension && due.handle ? day(due.handle) : null,
    延期上限: `${chineseCount(settings.workflow.maxExtensionDays)}日`,
    处理意见: w.outcome,
    办理结果: w.outcome,
    查明事实: w.facts,
    处理依据: w.basis,
    答复日期: day(w.repliedAt),
    办结日期: day(w.closedAt),
    签收人: w.signedBy,
    签收日期: day(w.signedAt),
    退回理由: w.returnReason,
    退回日期: day(w.returnedAt),
    退回期限: day(caseReturnDue(c, settings)),
    督办人: w.supervision?.by,
    督办要求: w.supervision?.demand,
    督办期限: day(w.supervision?.due),
    督办日期: day(w.supervision?.at),
    督办反馈: w.supervision?.answer,
    催办次数: w.supervision?.urges ? chineseCount(w.supervision.urges) : undefined,
    催办日期: day(w.supervision?.urgedAt),
  };
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (value !== null && value !== undefined && value !== '') result[key] = value;
  // A name the clerk gives for this document stands for the petitioner in every form of it.
  const given = extra['信访人']?.trim();
  if (given && extra['信访人等'] === undefined) result['信访人等'] = many ? `${given}等${f.signatories}人` : given;
  if (given && extra['人称'] === undefined) result['人称'] = addressing(given, f.signatories);
  return { ...result, ...extra };
}

/**
 * How a letter addresses the petitioner: 你 for one person (one signatory, or a name and no count),
 * 你们 for a joint letter, 你（们） only when neither the number nor a name is known.
 */
export function addressing(name: string | null, signatories: number | null): string {
  if (signatories !== null) return signatories > 1 ? '你们' : '你';
  return name ? '你' : '你（们）';
}
