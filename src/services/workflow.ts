/**
 * The steps of a case after registration, in the order the 信访工作条例 sets. A step is refused
 * with the reason if the case is not ready for it; otherwise its document is made first, then the
 * new state, the history entry and the document are recorded in one transaction, and only then
 * are the document's files put in place: nothing half-done, whoever stops the program when.
 */
import type { Actor, Case } from '../domain/case.js';
import { addDays, chineseDate, localDate, parseDate } from '../domain/calendar.js';
import { caseDeadlines, caseReturnDue } from '../domain/deadlines.js';
import { fail, type StepInput } from '../domain/problems.js';
import { ALLOWED_FROM, isSupervisionOpen, OUTCOMES, refusal, statusAfter, WORKFLOW, type Outcome, type Step, type StepContext, type Workflow } from '../domain/workflow.js';
import { maySee, mayTake } from '../domain/roles.js';
import { STEP_LABEL } from '../domain/words.js';
import type { ServiceContext } from './context.js';
import { renderDocument, writeDocument } from './documents.js';
import { FileBatch } from './files.js';

export interface StepResult {
  case: Case;
  /** Paths of the documents the step issued, relative to the workspace. */
  documents: string[];
}

export interface InstructInput {
  leader: string;
  text: string;
  handler?: string;
  /** YYYY-MM-DD or 2026年12月1日 */
  due?: string;
}

export interface ReplyInput {
  outcome?: string;
  facts?: string;
  basis?: string;
}

/** Wording the clerk gives for the step's document (a template's fields), beside what the case supplies. */
export type DocumentWording = Record<string, string>;

export class WorkflowService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A transferred case signed for (签收): by whom (the person acting unless named) and when (now unless a date is given). */
  async sign(actor: Actor, c: Case, input: { by?: string; date?: string } = {}): Promise<StepResult> {
    const now = this.ctx.clock();
    const by = input.by?.trim() || actor.name;
    const at = input.date === undefined ? now.toISOString() : this.signDate(c, input.date, now);
    const due = caseReturnDue(c, this.ctx.settings);
    const detail = `${by}签收${c.transfer?.office ?? '上级'}转办件${c.transfer?.number ? `（交办编号 ${c.transfer.number}）` : ''}${due ? `；如不属本单位职权范围，须于 ${chineseDate(due)} 前退回` : ''}`;
    return this.take(actor, c, 'sign', { ...c.workflow, signedBy: by, signedAt: at }, detail, {}, now);
  }

  /** A transferred case that is not this office's, sent back (退回) with the reasons: the 退回函 is issued and the case ends. */
  async returnCase(actor: Actor, c: Case, input: { reason: string }, wording: DocumentWording = {}): Promise<StepResult> {
    const reason = required('return', input.reason, 'return-reason');
    const now = this.ctx.clock();
    const workflow: Workflow = { ...c.workflow, returnedAt: now.toISOString(), returnReason: reason, closedAt: now.toISOString() };
    return this.take(actor, c, 'return', workflow, `退回${c.transfer?.office ?? '交办单位'}：${reason}`, wording, now);
  }

  /** A 督办 of a case: who supervises (a leader or the district office), the demand and the due date; the 督办单 is issued. */
  async supervise(actor: Actor, c: Case, input: { by?: string; demand: string; due: string }, wording: DocumentWording = {}): Promise<StepResult> {
    const by = input.by?.trim() || actor.name;
    const demand = required('supervise', input.demand, 'supervision-demand');
    const now = this.ctx.clock();
    const due = this.futureDate(input.due, now);
    const supervision = { by, demand, due, at: now.toISOString(), answer: null, answeredBy: null, answeredAt: null, urges: 0, urgedAt: null };
    return this.take(actor, c, 'supervise', { ...c.workflow, supervision }, `${by}督办：${demand}；须于 ${chineseDate(due)} 前反馈`, wording, now);
  }

  /** The handler's answer (反馈) to the 督办. */
  async answerSupervision(actor: Actor, c: Case, input: { answer: string }): Promise<StepResult> {
    const answer = required('answer', input.answer, 'supervision-answer');
    const now = this.ctx.clock();
    const s = c.workflow.supervision;
    const supervision = s ? { ...s, answer, answeredBy: actor.name, answeredAt: now.toISOString() } : null;
    return this.take(actor, c, 'answer', { ...c.workflow, supervision }, `向${s?.by ?? '督办人'}反馈：${answer}`, {}, now);
  }

  /** A 催办: the 督办's due date has passed with no answer. */
  async urge(actor: Actor, c: Case, input: { note?: string } = {}): Promise<StepResult> {
    const now = this.ctx.clock();
    const s = c.workflow.supervision;
    const supervision = s ? { ...s, urges: s.urges + 1, urgedAt: now.toISOString() } : null;
    const note = input.note?.trim();
    return this.take(actor, c, 'urge', { ...c.workflow, supervision }, `第 ${(s?.urges ?? 0) + 1} 次催办：督办期限 ${s ? chineseDate(s.due) : ''} 已过，未见反馈${note ? `；${note}` : ''}`, {}, now);
  }

  async instruct(actor: Actor, c: Case, input: InstructInput, wording: DocumentWording = {}): Promise<StepResult> {
    const leader = required('instruct', input.leader, 'leader');
    const text = required('instruct', input.text, 'instruction');
    const handler = input.handler?.trim() || null;
    const now = this.ctx.clock();
    const due = input.due === undefined ? null : this.dueDate(c, input.due, now);
    const instruction = { leader, text, handler, at: now.toISOString(), due };
    const detail = [`${leader}批示：“${text}”`, handler ? `经办人 ${handler}` : '', due ? `办理时限 ${chineseDate(due)}` : ''].filter(Boolean).join('；');
    return this.take(actor, c, 'instruct', { ...c.workflow, instruction }, detail, wording, now);
  }

  async accept(actor: Actor, c: Case, input: { handler?: string } = {}, wording: DocumentWording = {}): Promise<StepResult> {
    const handler = input.handler?.trim() || c.workflow.instruction?.handler || null;
    if (!handler && !refusal('accept', c)) fail({ code: 'no-handler', caseNumber: c.number });
    const now = this.ctx.clock();
    const instruction = c.workflow.instruction ? { ...c.workflow.instruction, handler } : null;
    const workflow: Workflow = { ...c.workflow, instruction, acceptedAt: now.toISOString() };
    const handleBy = caseDeadlines({ ...c, workflow }, this.ctx.settings).handle;
    return this.take(actor, c, 'accept', workflow, `决定受理，经办人 ${handler}${handleBy ? `；须于 ${chineseDate(handleBy)} 前办结` : ''}`, wording, now);
  }

  async decline(actor: Actor, c: Case, input: { reason: string }, wording: DocumentWording = {}): Promise<StepResult> {
    const reason = required('decline', input.reason, 'decline-reason');
    const now = this.ctx.clock();
    return this.take(actor, c, 'decline', { ...c.workflow, declinedAt: now.toISOString(), declineReason: reason }, `决定不予受理：${reason}`, wording, now);
  }

  async extend(actor: Actor, c: Case, input: { days: string | number; reason: string }, wording: DocumentWording = {}): Promise<StepResult> {
    const max = this.ctx.settings.workflow.maxExtensionDays;
    const days = Number(input.days);
    if (!Number.isInteger(days) || days < 1 || days > max) fail({ code: 'bad-extension', given: String(input.days), max });
    const reason = required('extend', input.reason, 'extension-reason');
    const now = this.ctx.clock();
    const workflow: Workflow = { ...c.workflow, extension: { days, reason, at: now.toISOString() } };
    const until = caseDeadlines({ ...c, workflow }, this.ctx.settings).handle;
    return this.take(actor, c, 'extend', workflow, `延期 ${days} 日：${reason}${until ? `；办结期限延至 ${chineseDate(until)}` : ''}`, wording, now);
  }

  async reply(actor: Actor, c: Case, input: ReplyInput, wording: DocumentWording = {}): Promise<StepResult> {
    if (!input.outcome || !(OUTCOMES as readonly string[]).includes(input.outcome)) fail({ code: 'bad-outcome', given: input.outcome ?? null, allowed: OUTCOMES });
    const facts = required('reply', input.facts ?? '', 'facts');
    const now = this.ctx.clock();
    const workflow: Workflow = { ...c.workflow, outcome: input.outcome as Outcome, facts, basis: input.basis?.trim() || null, repliedAt: now.toISOString() };
    return this.take(actor, c, 'reply', workflow, `书面答复：${input.outcome}`, wording, now);
  }

  async report(actor: Actor, c: Case, wording: DocumentWording = {}): Promise<StepResult> {
    const now = this.ctx.clock();
    return this.take(actor, c, 'report', { ...c.workflow, reportedAt: now.toISOString() }, `向${c.transfer?.office ?? '交办单位'}报送办结报告`, wording, now);
  }

  async close(actor: Actor, c: Case): Promise<StepResult> {
    const now = this.ctx.clock();
    const how = c.status === 'declined' ? '不予受理，已书面告知' : `已答复（${c.workflow.outcome ?? ''}）`;
    return this.take(actor, c, 'close', { ...c.workflow, closedAt: now.toISOString() }, `办结：${how}`, {}, now);
  }

  /** Open cases under a 督办 awaiting the answer that the actor may see, the earliest due first: the head of the handler's and the leader's lists. */
  async supervised(actor: Actor): Promise<Case[]> {
    const open = (await this.ctx.store.supervisedCases()).filter((c) => isSupervisionOpen(c.workflow) && maySee(actor, c));
    return open.sort((a, b) => a.workflow.supervision!.due.localeCompare(b.workflow.supervision!.due) || a.year - b.year || a.seq - b.seq);
  }

  /** The steps that may be taken on a case now, and for the others why not: for a page that offers them as forms. */
  allowedSteps(c: Case): { step: Step; refusal: ReturnType<typeof refusal> }[] {
    const at = this.stepContext(c, this.ctx.clock());
    return (Object.keys(WORKFLOW) as Step[]).map((step) => ({ step, refusal: refusal(step, c, at) }));
  }

  /** Today and the case's return deadline, for the rules that look at time. */
  private stepContext(c: Case, now: Date): StepContext {
    return { today: localDate(now, this.ctx.settings.office.timezone), returnDue: caseReturnDue(c, this.ctx.settings) };
  }

  /** A date from today on. */
  private futureDate(text: string, now: Date): string {
    const date = parseDate(text);
    if (!date) fail({ code: 'bad-date', given: text });
    const today = localDate(now, this.ctx.settings.office.timezone);
    if (date < today) fail({ code: 'date-in-past', date, today });
    return date;
  }

  /** The day a transfer was signed for: not before it arrived, not in the future. */
  private signDate(c: Case, text: string, now: Date): string {
    const date = parseDate(text);
    if (!date) fail({ code: 'bad-date', given: text });
    const tz = this.ctx.settings.office.timezone;
    const today = localDate(now, tz);
    const received = localDate(c.receivedAt, tz);
    if (date > today || date < received) fail({ code: 'bad-sign-date', date, received, today });
    return date;
  }

  private async take(actor: Actor, c: Case, step: Step, workflow: Workflow, detail: string, wording: DocumentWording, now: Date): Promise<StepResult> {
    if (!mayTake(actor, step, c)) fail({ code: 'not-allowed', role: actor.role ?? '', action: `对 ${c.number} ${STEP_LABEL[step]}` });
    const refused = refusal(step, c, this.stepContext(c, now));
    if (refused) fail({ code: 'step-refused', step, caseNumber: c.number, status: c.status, refusal: refused });
    const status = statusAfter(step, c.status);
    const document = WORKFLOW[step].document;
    const batch = new FileBatch(this.ctx);
    const records = document ? await batch.writing(async () => writeDocument(this.ctx, batch, c, await renderDocument(this.ctx, { ...c, status, workflow }, document, wording, now))) : [];
    const entry = { at: now.toISOString(), actor: actor.name, action: WORKFLOW[step].action, detail: document ? `${detail}；已生成${document}` : detail };
    const applied = await batch.commit(
      () => this.ctx.store.applyStep(c.id, ALLOWED_FROM[step], { status, workflow }, entry, records),
      (result) => result.applied,
    );
    if (!applied.applied) fail({ code: 'step-raced', step, caseNumber: c.number, status: applied.current.status });
    await this.ctx.alerts?.stepTaken(applied.case);
    return { case: applied.case, documents: records.map((r) => r.path) };
  }

  /** A due date the leader sets: not in the past, and not beyond what the rules allow. */
  private dueDate(c: Case, text: string, now: Date): string {
    const date = parseDate(text);
    if (!date) fail({ code: 'bad-date', given: text });
    const tz = this.ctx.settings.office.timezone;
    const today = localDate(now, tz);
    if (date < today) fail({ code: 'date-in-past', date, today });
    const { notifyDays, handleDays } = this.ctx.settings.workflow;
    const latest = addDays(localDate(c.receivedAt, tz), notifyDays + handleDays);
    if (date > latest) fail({ code: 'date-too-late', date, latest, notifyDays, handleDays });
    return date;
  }
}

function required(step: Step, value: string, input: StepInput): string {
  const v = value.trim();
  if (!v) fail({ code: 'missing-input', step, input });
  return v;
}
