/**
 * The steps of a case after registration, in the order the 信访工作条例 sets. A step is refused
 * with the reason if the case is not ready for it; otherwise its document is made first, then the
 * new state, the history entry and the document are recorded in one transaction, and only then
 * are the document's files put in place: nothing half-done, whoever stops the program when.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../adapters/files/hash.js';
import { imagePaperPdf, paperFormat, pdfPageCount } from '../adapters/pdf-lib/paper-pdf.js';
import type { Actor, Case, DocumentRecord } from '../domain/case.js';
import { openReview, reviewAnswerDue, reviewRules, reviewWindow, type ReviewRules, type Review } from '../domain/follow-up.js';
import { addDays, chineseDate, daysUntil, localDate, parseDate } from '../domain/calendar.js';
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

/** A paper handed in as a file: its name as given and where it is now (the CLI's argument, the web's upload). */
export interface PaperFile {
  name: string;
  path: string;
}

export interface VisitInput {
  /** The day of the visit or call; today unless given. */
  on?: string;
  how: string;
  /** Who visited or called; the person recording unless named. */
  by?: string;
  result: string;
  note?: string;
}

export interface ReviewRequestInput {
  /** The day the petitioner asked; today unless given. */
  on?: string;
  /** The body asked; the settings' 复查机关 (复核机关) unless named. */
  body?: string;
  papers?: PaperFile[];
}

export interface ReviewDecisionInput {
  on?: string;
  decision: string;
  papers?: PaperFile[];
}

interface TakeOptions {
  /** Papers to file into the case folder with the step, as this kind (复查申请, 复查意见, …). */
  papers?: { kind: string; files: PaperFile[] };
  review?: StepContext['review'];
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

  /** A return visit or call after the reply (回访, 条例 §21): when, how, by whom, and the petitioner's evaluation on the office's scale. */
  async visit(actor: Actor, c: Case, input: VisitInput): Promise<StepResult> {
    const f = this.ctx.settings.followUp;
    const how = choice(input.how, f.visitMethods, 'visit-method');
    const result = choice(input.result, f.satisfaction, 'satisfaction');
    const by = input.by?.trim() || actor.name;
    const now = this.ctx.clock();
    const on = this.followUpDate(input.on, c.workflow.repliedAt ? this.localDay(c.workflow.repliedAt) : null, now, 'visit');
    const note = input.note?.trim() || null;
    const returnVisit = { on, how, by, result, note, recordedBy: actor.name, recordedAt: now.toISOString() };
    const detail = `${chineseDate(on)}${how}回访（${by}），信访人评价：${result}${note ? `；${note}` : ''}`;
    return this.take(actor, c, 'visit', { ...c.workflow, returnVisit }, detail, {}, now);
  }

  /** The petitioner's request for 复查 (or, after its decision, 复核): the day asked, the body, the papers; refused after its last day. */
  async requestReview(actor: Actor, c: Case, input: ReviewRequestInput): Promise<StepResult> {
    const now = this.ctx.clock();
    const window = reviewWindow(c.workflow, this.reviewRules(), this.ctx.settings.office.timezone, this.ctx.settings.calendar.holidays);
    const on = this.followUpDate(input.on, window?.from ?? null, now, 'review-request');
    const stage = window?.stage ?? '复查';
    const named = input.body?.trim() || (stage === '复查' ? this.ctx.settings.workflow.reviewAuthority : this.ctx.settings.followUp.secondReviewAuthority);
    const body = window ? required('request-review', named, 'review-body') : named;
    const answerDue = reviewAnswerDue(on, this.reviewRules(), this.ctx.settings.calendar.holidays);
    const review: Review = { stage, requestedOn: on, body, answerDue, decision: null, decidedOn: null, recordedBy: actor.name, recordedAt: now.toISOString() };
    const papers = input.papers ?? [];
    const detail = `信访人 ${chineseDate(on)} 向${body}申请${stage}；应于 ${chineseDate(answerDue)} 前作出${stage}意见${papers.length ? `；收到材料 ${papers.length} 份，已归入本案` : ''}`;
    return this.take(actor, c, 'request-review', { ...c.workflow, reviews: [...c.workflow.reviews, review] }, detail, {}, now, {
      papers: { kind: `${stage}申请`, files: papers },
      review: window ? { requestedOn: on, ...window } : null,
    });
  }

  /** The body's decision on the open 复查 or 复核 (维持 / 撤销 / 变更, or the settings' words), its day, and its papers. */
  async decideReview(actor: Actor, c: Case, input: ReviewDecisionInput): Promise<StepResult> {
    const decision = choice(input.decision, this.ctx.settings.followUp.reviewDecisions, 'review-decision');
    const now = this.ctx.clock();
    const open = openReview(c.workflow.reviews);
    const on = this.followUpDate(input.on, open?.requestedOn ?? null, now, 'review-decision');
    const reviews = c.workflow.reviews.map((r) => (r === open ? { ...r, decision, decidedOn: on } : r));
    const papers = input.papers ?? [];
    const stage = open?.stage ?? '复查';
    const late = open && on > open.answerDue ? `（超过 ${chineseDate(open.answerDue)} 的答复期限）` : '';
    const detail = `${open?.body ?? ''} ${chineseDate(on)} 作出${stage}意见：${decision}${late}${papers.length ? `；收到材料 ${papers.length} 份，已归入本案` : ''}`;
    return this.take(actor, c, 'decide-review', { ...c.workflow, reviews }, detail, {}, now, { papers: { kind: `${stage}意见`, files: papers } });
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

  /** Cases whose 复查 or 复核 waits for the body's decision, the earliest answer date first: the review deadlines the office follows up. */
  async underReview(actor?: Actor): Promise<{ number: string; name: string | null; review: Review; daysLeft: number }[]> {
    const today = localDate(this.ctx.clock(), this.ctx.settings.office.timezone);
    return (await this.ctx.store.listStatsCases())
      .flatMap((c) => {
        const review = openReview(c.workflow.reviews);
        // For a person (the desk): only the cases they may see.
        if (!review || (actor && !maySee(actor, c))) return [];
        return [{ number: c.number, name: c.fields.name, review, daysLeft: daysUntil(review.answerDue, today) }];
      })
      .sort((a, b) => a.review.answerDue.localeCompare(b.review.answerDue));
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

  reviewRules(): ReviewRules {
    return reviewRules(this.ctx.settings);
  }

  private localDay(iso: string): string {
    return localDate(iso, this.ctx.settings.office.timezone);
  }

  /** A day of a return visit, review request or decision: today unless given; not before the answer it follows (when there is one), not after today. */
  private followUpDate(text: string | undefined, from: string | null, now: Date, what: 'visit' | 'review-request' | 'review-decision'): string {
    const today = this.localDay(now.toISOString());
    if (text === undefined || text.trim() === '') return today;
    const date = parseDate(text);
    if (!date) fail({ code: 'bad-date', given: text });
    if (date > today || (from && date < from)) fail({ code: 'bad-follow-up-date', what, date, from: from ?? date, today });
    return date;
  }

  /** Copies the papers into the case folder (written aside, recorded with the step, then put in place); a photo or scan also as a one-page PDF for the volume. */
  private async filePapers(batch: FileBatch, c: Case, kind: string, files: PaperFile[], now: Date): Promise<DocumentRecord[]> {
    const records: DocumentRecord[] = [];
    for (const file of files) {
      const name = path.basename(file.name);
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(file.path);
      } catch {
        fail({ code: 'bad-review-paper', file: name, reason: 'unreadable' });
      }
      const format = paperFormat(bytes);
      if (!format) fail({ code: 'bad-review-paper', file: name, reason: 'type' });
      const sha = sha256(bytes);
      const stem = `${kind}_${sha.slice(0, 8)}_${safeName(name.replace(/\.[^.]*$/, '')) || '材料'}`;
      let pages = 1;
      if (format === 'pdf') {
        try {
          pages = await pdfPageCount(bytes);
        } catch {
          fail({ code: 'bad-review-paper', file: name, reason: 'unreadable' });
        }
      }
      const copied = await batch.copy(file.path, `${c.folder}/${stem}.${format === 'jpeg' ? 'jpg' : format}`, sha);
      records.push({ role: 'received', kind, path: copied.path, sha256: copied.sha256, pages, bytes: copied.bytes, sourceName: name });
      if (format !== 'pdf') {
        let pdf: Buffer;
        try {
          pdf = await imagePaperPdf(bytes, format, `${c.number} ${kind}`, now);
        } catch {
          fail({ code: 'bad-review-paper', file: name, reason: 'unreadable' });
        }
        const written = await batch.write(`${c.folder}/${stem}.pdf`, pdf);
        records.push({ role: 'received', kind, path: written.path, sha256: written.sha256, pages: 1, bytes: written.bytes, sourceName: null });
      }
    }
    return records;
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

  private async take(actor: Actor, c: Case, step: Step, workflow: Workflow, detail: string, wording: DocumentWording, now: Date, options: TakeOptions = {}): Promise<StepResult> {
    if (!mayTake(actor, step, c)) fail({ code: 'not-allowed', role: actor.role ?? '', action: `对 ${c.number} ${STEP_LABEL[step]}` });
    const refused = refusal(step, c, { ...this.stepContext(c, now), review: options.review ?? null });
    if (refused) fail({ code: 'step-refused', step, caseNumber: c.number, status: c.status, refusal: refused });
    const status = statusAfter(step, c.status);
    const document = WORKFLOW[step].document;
    const batch = new FileBatch(this.ctx);
    const records = document ? await batch.writing(async () => writeDocument(this.ctx, batch, c, await renderDocument(this.ctx, { ...c, status, workflow }, document, wording, now))) : [];
    if (options.papers?.files.length) {
      const { kind, files } = options.papers;
      records.push(...(await batch.writing(() => this.filePapers(batch, c, kind, files, now))));
    }
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

/** A word from one of the settings' lists. */
function choice(given: string | undefined, allowed: readonly string[], what: 'visit-method' | 'satisfaction' | 'review-decision'): string {
  const v = given?.trim() ?? '';
  if (!allowed.includes(v)) fail({ code: 'bad-choice', what, given: v || null, allowed });
  return v;
}

function safeName(name: string): string {
  return name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_');
}

function required(step: Step, value: string, input: StepInput): string {
  const v = value.trim();
  if (!v) fail({ code: 'missing-input', step, input });
  return v;
}
