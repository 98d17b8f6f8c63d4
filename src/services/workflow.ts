import type { Settings } from '../domain/settings.js';
import { chineseDate, localDate } from '../domain/calendar.js';
import { XinfangError } from '../domain/problems.js';
import type { DocumentType } from '../domain/document-types.js';
import { StaleStepError, type CaseRow, type Registry } from '../adapters/sqlite/registry.js';
import type { Workspace } from '../adapters/files/workspace.js';
import { caseDeadlines } from '../domain/deadlines.js';
import type { HistoryAction } from '../domain/history.js';
import { issueDocument, removeIssued, type IssuedDocument } from './documents.js';
import { addDays, ALLOWED_FROM, refusal, STATUS_AFTER, STEP_LABEL, type Step } from '../domain/workflow-rules.js';
import { OUTCOMES, STATUS_LABEL, type CaseStatus, type Outcome, type Workflow } from '../domain/workflow.js';

export interface StepContext {
  ws: Workspace;
  settings: Settings;
  registry: Registry;
  /** When the step is taken: the tests' clock or the real one. */
  now: Date;
  /** Who records it. */
  actor: string;
  /** Extra template data given by the clerk (--set). */
  extra?: Record<string, string>;
}

export interface StepResult {
  case: CaseRow;
  documents: string[];
}

export interface InstructInput {
  leader: string;
  text: string;
  handler?: string;
  /** YYYY-MM-DD or 2026年12月1日 */
  due?: string;
}

export async function instruct(ctx: StepContext, c: CaseRow, input: InstructInput): Promise<StepResult> {
  const leader = required(input.leader, '批示领导', '--leader 王主任');
  const text = required(input.text, '批示内容', '--text "请综治办核实处理"');
  const handler = input.handler?.trim() || null;
  const due = input.due === undefined ? null : dueDate(ctx, c, input.due);
  const instruction = { leader, text, handler, at: ctx.now.toISOString(), due };
  const detail = [`${leader}批示：“${text}”`, handler ? `经办人 ${handler}` : '', due ? `办理时限 ${chineseDate(due)}` : ''].filter(Boolean).join('；');
  return take(ctx, c, 'instruct', { ...c.workflow, instruction }, detail, '批办单');
}

export async function accept(ctx: StepContext, c: CaseRow, input: { handler?: string } = {}): Promise<StepResult> {
  const handler = input.handler?.trim() || c.workflow.instruction?.handler || null;
  if (!handler && !refusal('accept', c)) {
    throw new XinfangError('no-handler', `受理须有经办人（一包到底）：请用 --handler 姓名 指定，例如 xinfang accept ${c.number} --handler 李文。`, 2);
  }
  const instruction = c.workflow.instruction ? { ...c.workflow.instruction, handler } : null;
  const workflow: Workflow = { ...c.workflow, instruction, acceptedAt: ctx.now.toISOString() };
  const handleBy = caseDeadlines({ ...c, workflow }, ctx.settings).handle;
  return take(ctx, c, 'accept', workflow, `决定受理，经办人 ${handler}${handleBy ? `；须于 ${chineseDate(handleBy)} 前办结` : ''}`, '受理告知书');
}

export async function decline(ctx: StepContext, c: CaseRow, input: { reason: string }): Promise<StepResult> {
  const reason = required(input.reason, '不予受理的理由', '--reason "该事项已进入诉讼程序"');
  return take(ctx, c, 'decline', { ...c.workflow, declinedAt: ctx.now.toISOString(), declineReason: reason }, `决定不予受理：${reason}`, '不予受理告知书');
}

export async function extend(ctx: StepContext, c: CaseRow, input: { days: string | number; reason: string }): Promise<StepResult> {
  const max = ctx.settings.workflow.maxExtensionDays;
  const days = Number(input.days);
  if (!Number.isInteger(days) || days < 1 || days > max) {
    throw new XinfangError('bad-extension', `延期天数“${input.days}”不行：只能延期一次，最多 ${max} 天（《信访工作条例》），请写 1 到 ${max} 之间的整数。`, 2);
  }
  const reason = required(input.reason, '延期理由', '--reason "需委托第三方检测"');
  const workflow: Workflow = { ...c.workflow, extension: { days, reason, at: ctx.now.toISOString() } };
  const until = caseDeadlines({ ...c, workflow }, ctx.settings).handle;
  return take(ctx, c, 'extend', workflow, `延期 ${days} 日：${reason}${until ? `；办结期限延至 ${chineseDate(until)}` : ''}`, '延期告知书');
}

export interface ReplyInput {
  outcome?: string;
  facts?: string;
  basis?: string;
}

export async function reply(ctx: StepContext, c: CaseRow, input: ReplyInput): Promise<StepResult> {
  if (!input.outcome || !OUTCOMES.includes(input.outcome as Outcome)) {
    const given = input.outcome ? `“${input.outcome}”不是规定的处理意见。` : '答复没有写明处理意见。';
    throw new XinfangError('bad-outcome', `${given}请用 --outcome 写明 ${OUTCOMES.join('、')} 之一。`, 2);
  }
  const facts = required(input.facts ?? '', '查明的事实和理由', '--facts "……" 或 --facts-file 文件');
  const workflow: Workflow = { ...c.workflow, outcome: input.outcome as Outcome, facts, basis: input.basis?.trim() || null, repliedAt: ctx.now.toISOString() };
  return take(ctx, c, 'reply', workflow, `书面答复：${input.outcome}`, '信访处理意见书');
}

export async function report(ctx: StepContext, c: CaseRow): Promise<StepResult> {
  return take(ctx, c, 'report', { ...c.workflow, reportedAt: ctx.now.toISOString() }, `向${c.transfer?.office ?? '交办单位'}报送办结报告`, '办结报告');
}

export async function close(ctx: StepContext, c: CaseRow): Promise<StepResult> {
  const how = c.status === 'declined' ? '不予受理，已书面告知' : `已答复（${c.workflow.outcome ?? ''}）`;
  return take(ctx, c, 'close', { ...c.workflow, closedAt: ctx.now.toISOString() }, `办结：${how}`, null);
}

const ACTION: Record<Step, HistoryAction> = {
  instruct: 'instructed',
  accept: 'accepted',
  decline: 'declined',
  extend: 'extended',
  reply: 'replied',
  report: 'reported',
  close: 'closed',
};

/**
 * A step: refused with the reason if the case is not ready for it; otherwise its document is
 * made first, then the new state, the history entry and the document are recorded in one
 * transaction. If recording fails, the document files are taken back: nothing half-done.
 */
async function take(ctx: StepContext, c: CaseRow, step: Step, workflow: Workflow, detail: string, document: DocumentType | null): Promise<StepResult> {
  const refused = refusal(step, c);
  if (refused) throw new XinfangError('step-refused', refused, 1);
  const status: CaseStatus = step === 'report' ? c.status : STATUS_AFTER[step];
  const after: CaseRow = { ...c, status, workflow };
  let issued: IssuedDocument = { records: [], files: [] };
  if (document) issued = await issueDocument(ctx.ws, ctx.settings, after, document, ctx.extra ?? {}, ctx.now);
  try {
    const entry = { at: ctx.now.toISOString(), actor: ctx.actor, action: ACTION[step], detail: document ? `${detail}；已生成${document}` : detail };
    const row = ctx.registry.applyStep(c.id, ALLOWED_FROM[step], { status, workflow }, entry, issued.records);
    return { case: row, documents: issued.records.map((r) => r.path) };
  } catch (e) {
    await removeIssued(issued);
    if (e instanceof StaleStepError) {
      throw new XinfangError('step-raced', `${c.number} 刚被别人改为“${STATUS_LABEL[e.current.status]}”，本次${STEP_LABEL[step]}没有记录。请用 xinfang show ${c.number} 查看后再操作。`, 1);
    }
    throw e;
  }
}

function required(value: string, what: string, example: string): string {
  const v = value.trim();
  if (!v) throw new XinfangError('missing-input', `缺少${what}，请写明，例如 ${example}。`, 2);
  return v;
}

/** A due date the leader sets: not in the past, and not beyond what the rules allow. */
function dueDate(ctx: StepContext, c: CaseRow, text: string): string {
  const date = parseDate(text);
  if (!date) throw new XinfangError('bad-date', `办理时限“${text}”看不懂，请写成 2026-12-20 或 2026年12月20日。`, 2);
  const tz = ctx.settings.office.timezone;
  const today = localDate(ctx.now, tz);
  if (date < today) throw new XinfangError('date-in-past', `办理时限 ${chineseDate(date)} 已经过去（今天是 ${chineseDate(today)}），请给一个今天或以后的日期。`, 2);
  const { notifyDays, handleDays } = ctx.settings.workflow;
  const latest = addDays(localDate(c.receivedAt, tz), notifyDays + handleDays);
  if (date > latest) {
    throw new XinfangError('date-too-late', `办理时限 ${chineseDate(date)} 超出规定：收到后 ${notifyDays} 日内受理、受理后 ${handleDays} 日内办结，最迟 ${chineseDate(latest)}。需要更长时间时，受理后用 xinfang extend 延期。`, 2);
  }
  return date;
}

/** 2026-12-20, 2026/12/20 or 2026年12月20日 → 2026-12-20; null if not a real date. */
export function parseDate(text: string): string | null {
  const m = text.trim().match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}
