/** The case list with its filters and search, and the case page: scan beside fields, history, documents, the steps as forms. */
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, CaseDetail } from '../../domain/case.js';
import { CHANNELS } from '../../domain/case.js';
import { addDays, chineseDate, localDate, localDayStart, parseDate } from '../../domain/calendar.js';
import { effectiveLines, latestCorrections, lineKey } from '../../domain/corrections.js';
import { caseDeadlines, caseReturnDue, dueState } from '../../domain/deadlines.js';
import type { Settings } from '../../domain/settings.js';
import { maskIdNumber, maskPhone } from '../../domain/extract/id-number.js';
import { FIELD_NAMES, HANDLING_TYPES, KEY_FIELDS, type FieldName } from '../../domain/fields.js';
import { FLAGS, flagLabel } from '../../domain/flags.js';
import { isXinfangError } from '../../domain/problems.js';
import { can, mayTake } from '../../domain/roles.js';
import { OUTCOMES, refusal, STATUSES, STEPS, type CaseStatus, type Step } from '../../domain/workflow.js';
import { ACTION_LABEL, daysText, DEADLINE_LABEL, DOCUMENT_ROLE_LABEL, FIELD_LABELS, problemText, refusalText, STATUS_LABEL, STEP_LABEL } from '../../domain/words.js';
import { hitSnippet, isSearchable } from '../../domain/search.js';
import { followUpLines, nextReviewStage, openReview, reviewRules } from '../../domain/follow-up.js';
import type { PaperFile } from '../../services/workflow.js';
import type { CaseQuery } from '../../ports/store.js';
import { maySeePersonal, PERSONAL_FIELDS } from '../../services/audit.js';
import { isUnmasked } from './audit-routes.js';
import { actorOf, problemPage, type WebContext } from './server.js';
import { statsFilters } from './stats-routes.js';
import { caseLeaderView } from './duty-routes.js';
import { supervisedRows } from './follow-lists.js';

const SORTS = { 'received-desc': '收到时间（新的在前）', 'received-asc': '收到时间（早的在前）', 'number-desc': '编号（大的在前）', 'number-asc': '编号（小的在前）' } as const;
const SOURCE_NOTE: Record<string, string> = { labelled: '信中写明', inferred: '推测，请核对', clerk: '已人工核对', dated: '按登记当天' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function addCaseRoutes(app: FastifyInstance, ctx: WebContext): void {

  app.get('/cases', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const tz = ctx.officeOf(request).settings.office.timezone;
    const pageSize = ctx.officeOf(request).settings.web.pageSize;
    const page = Math.min(100_000, Math.max(1, Math.floor(Number(q.page)) || 1));
    const day = (text: string | undefined) => (text && DAY.test(text) && parseDate(text) === text ? text : undefined);
    const text = q.q?.trim() || undefined;
    const searchable = text !== undefined && isSearchable(text);
    const query: CaseQuery = {
      status: q.status && (STATUSES as readonly string[]).includes(q.status) ? [q.status as CaseStatus] : undefined,
      category: q.category || undefined,
      channel: q.channel || undefined,
      handler: q.handler || undefined,
      caseLeader: q.caseleader || undefined,
      flag: q.flag || undefined,
      receivedFrom: day(q.from) ? localDayStart(day(q.from)!, tz) : undefined,
      receivedTo: day(q.to) ? localDayStart(addDays(day(q.to)!, 1), tz) : undefined,
      text: searchable ? text : undefined,
      // The statistics' links: no category, a handling type, first petitions, a worked-out figure.
      ...(await statsFilters(ctx, request, actorOf(request), q)),
      sort: q.sort && Object.hasOwn(SORTS, q.sort) ? (q.sort as CaseQuery['sort']) : 'received-desc',
      limit: pageSize,
      offset: (page - 1) * pageSize,
    };
    const me = actorOf(request);
    const office = ctx.officeOf(request);
    const { cases, total } = await office.cases.query(me, query);
    // Open 督办 head the list (its first page), for the handler asked for if one is.
    const supervised = page === 1 ? await supervisedRows(office, me, query.handler) : [];
    const now = office.clock();
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const link = (p: number) => `/cases?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k, v]) => v && k !== 'page')), page: String(p) })}`;
    return ctx.page(request, reply, 'cases', {
      title: '案件列表',
      supervised,
      q,
      tooShort: text !== undefined && !searchable,
      total,
      statuses: STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s], selected: q.status === s })),
      categories: ctx.officeOf(request).settings.categories.map((c) => ({ value: c.name, selected: q.category === c.name })),
      channels: CHANNELS.map((c) => ({ value: c, selected: q.channel === c })),
      flags: FLAGS.map((f) => ({ value: f.flag, label: f.label, selected: q.flag === f.flag })),
      sorts: Object.entries(SORTS).map(([value, label]) => ({ value, label, selected: query.sort === value })),
      rows: cases.map((c) => {
        const due = dueState(c, ctx.officeOf(request).settings, now);
        return {
          ref: `${c.year}-${c.seq}`,
          number: c.number,
          received: localDate(c.receivedAt, tz),
          status: STATUS_LABEL[c.status],
          channel: c.channel,
          name: c.fields.name ?? '',
          category: c.fields.category ?? '',
          caseLeader: c.caseLeader?.leader ?? '',
          summary: c.fields.summary ?? '',
          // Personal details in full only on a case page, after a recorded 显示完整信息.
          snippet: query.text ? maskText(hitSnippet(c, query.text), false) : null,
          flags: c.flags.map(flagLabel),
          urgent: c.flags.includes('urgent'),
          due: due ? `${DEADLINE_LABEL[due.kind]} ${due.date}（${daysText(due.days)}）` : '',
          overdue: due ? due.days < 0 : false,
        };
      }),
      page,
      pages,
      prev: page > 1 ? link(page - 1) : null,
      next: page < pages ? link(page + 1) : null,
    });
  });

  app.get('/cases/:ref', async (request, reply) => {
    const c = await ctx.officeOf(request).cases.findFor(actorOf(request), (request.params as { ref: string }).ref);
    return ctx.page(request, reply, 'case', caseView(ctx, request, actorOf(request), c, (request.query as { done?: string }).done, isUnmasked(request, c.id)));
  });

  /** The acknowledgement a visitor takes home: the number, what was registered, by when they will be told. */
  app.get('/cases/:ref/receipt', async (request, reply) => {
    const c = await ctx.officeOf(request).cases.findFor(actorOf(request), (request.params as { ref: string }).ref);
    const tz = ctx.officeOf(request).settings.office.timezone;
    return ctx.page(request, reply, 'receipt', {
      title: `${c.number} 登记回执`,
      ref: `${c.year}-${c.seq}`,
      number: c.number,
      name: c.fields.name ?? '',
      channel: c.channel,
      received: new Date(c.receivedAt).toLocaleString('zh-CN', { timeZone: tz, hour12: false }),
      matter: c.fields.summary ?? c.ocrText,
      notify: chineseDate(caseDeadlines(c, ctx.officeOf(request).settings).notify),
      clerk: c.history[0]?.actor ?? '',
    });
  });

  app.post('/cases/:ref/edit', async (request, reply) => {
    const me = actorOf(request);
    const c = await ctx.officeOf(request).cases.findFor(me, (request.params as { ref: string }).ref);
    const body = request.body as Record<string, string | undefined>;
    const given: Partial<Record<FieldName, string>> = {};
    for (const f of FIELD_NAMES) {
      const value = body[f];
      const shown = body[`shown_${f}`];
      if (value === undefined || shown === undefined) continue;
      // Only what the clerk changed on the page is a correction; a field left as it was shown is not touched.
      if (value.trim() !== shown.trim()) given[f] = value;
    }
    const checked = body.checked === 'on';
    if (Object.keys(given).length === 0 && !checked) return reply.redirect(`/cases/${c.year}-${c.seq}`, 303);
    try {
      await ctx.officeOf(request).cases.edit(me, c, given, { checked });
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return ctx.page(request, reply, 'case', { ...caseView(ctx, request, me, c, undefined, isUnmasked(request, c.id)), error: problemText(e.problem) }, e.problem.code === 'not-allowed' ? 403 : 422);
    }
    return reply.redirect(`/cases/${c.year}-${c.seq}?done=edit`, 303);
  });

  app.post('/cases/:ref/steps/:step', async (request, reply) => {
    const me = actorOf(request);
    const { ref, step } = request.params as { ref: string; step: string };
    const c = await ctx.officeOf(request).cases.findFor(me, ref);
    if (!(STEPS as readonly string[]).includes(step)) return problemPage(ctx, request, reply, { code: 'unknown-case', reference: step });
    const b = request.body as Record<string, string | undefined>;
    const wf = ctx.officeOf(request).workflow;
    try {
      switch (step as Step) {
        case 'sign':
          await wf.sign(me, c, { by: b.signer, date: b.date?.trim() ? b.date : undefined });
          break;
        case 'return':
          await wf.returnCase(me, c, { reason: b.reason ?? '' });
          break;
        case 'supervise':
          await wf.supervise(me, c, { by: b.supervisor, demand: b.demand ?? '', due: b.due ?? '' });
          break;
        case 'answer':
          await wf.answerSupervision(me, c, { answer: b.answer ?? '' });
          break;
        case 'urge':
          await wf.urge(me, c, { note: b.note });
          break;
        case 'instruct':
          await wf.instruct(me, c, { leader: b.leader ?? me.name, text: b.text ?? '', handler: b.handler, due: b.due?.trim() ? b.due : undefined });
          break;
        case 'accept':
          await wf.accept(me, c, { handler: b.handler });
          break;
        case 'decline':
          await wf.decline(me, c, { reason: b.reason ?? '' });
          break;
        case 'extend':
          await wf.extend(me, c, { days: b.days ?? '', reason: b.reason ?? '' });
          break;
        case 'reply':
          await wf.reply(me, c, { outcome: b.outcome, facts: b.facts, basis: b.basis });
          break;
        case 'report':
          await wf.report(me, c);
          break;
        case 'close':
          await wf.close(me, c);
          break;
        case 'visit':
          await wf.visit(me, c, { how: b.how ?? '', result: b.result ?? '', by: b.visitor, on: b.date, note: b.note });
          break;
        case 'request-review':
        case 'decide-review':
          // With papers: the form posts to /cases/:ref/appeal/:step as multipart.
          return reply.redirect(`/cases/${c.year}-${c.seq}`, 303);
      }
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'not-allowed' ? 403 : e.problem.code === 'step-raced' ? 409 : 422;
      return ctx.page(request, reply, 'case', { ...caseView(ctx, request, me, await ctx.officeOf(request).cases.find(c.number)), error: problemText(e.problem) }, status);
    }
    return reply.redirect(`/cases/${c.year}-${c.seq}?done=${step}`, 303);
  });

  /** 复查/复核: the request or the body's decision with its papers (multipart; the anti-forgery token comes in the address, as the inbox's upload). */
  app.post('/cases/:ref/appeal/:step', async (request, reply) => {
    const me = actorOf(request);
    const { ref, step } = request.params as { ref: string; step: string };
    const c = await ctx.officeOf(request).cases.findFor(me, ref);
    if (step !== 'request-review' && step !== 'decide-review') return problemPage(ctx, request, reply, { code: 'unknown-case', reference: step });
    // Each upload is written to a private folder of its own first, then copied into the case folder by the service; the folder is removed after.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinfang-papers-'));
    try {
      const fields: Record<string, string> = {};
      const papers: PaperFile[] = [];
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const data = await (part as MultipartFile).toBuffer();
          if (!part.filename || data.length === 0) continue;
          const file = path.join(dir, `${papers.length + 1}`);
          await fs.writeFile(file, data);
          papers.push({ name: path.basename(part.filename), path: file });
        } else fields[part.fieldname] = String(part.value ?? '');
      }
      const on = fields.date?.trim() ? fields.date : undefined;
      if (step === 'request-review') await ctx.officeOf(request).workflow.requestReview(me, c, { on, body: fields.body, papers });
      else await ctx.officeOf(request).workflow.decideReview(me, c, { on, decision: fields.decision ?? '', papers });
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'not-allowed' ? 403 : e.problem.code === 'step-raced' ? 409 : 422;
      return ctx.page(request, reply, 'case', { ...caseView(ctx, request, me, await ctx.officeOf(request).cases.find(c.number)), error: problemText(e.problem) }, status);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    return reply.redirect(`/cases/${c.year}-${c.seq}?done=${step}`, 303);
  });

  app.get('/cases/:ref/pages/:page', async (request, reply) => {
    const { ref, page } = request.params as { ref: string; page: string };
    const c = await ctx.officeOf(request).cases.findFor(actorOf(request), ref);
    const width = Number((request.query as { w?: string }).w) || 960;
    const image = await ctx.officeOf(request).pageImages.pageImage(c, Number(page), width);
    if (!image) return reply.code(404).send();
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(image);
  });

  /** A leader transcribing the instruction from the signed sheet that came back: the sheet beside the form. */
  app.get('/cases/:ref/transcribe', async (request, reply) => {
    const me = actorOf(request);
    const c = await ctx.officeOf(request).cases.findFor(me, (request.params as { ref: string }).ref);
    const sheet = signedSheetOf(c);
    if (!sheet) return reply.redirect(`/cases/${c.year}-${c.seq}`, 303);
    const refused = refusal('instruct', c);
    const allowed = !refused && mayTake(me, 'instruct', c);
    return ctx.page(request, reply, 'transcribe', {
      title: `${c.number} 录入批示`,
      ref: `${c.year}-${c.seq}`,
      number: c.number,
      sheets: Array.from({ length: sheet.doc.pages }, (_, i) => ({ index: sheet.index, n: i + 1, name: path.basename(sheet.doc.path) })),
      text: maskText(sheet.doc.text ?? '', can(me, 'see-personal-data') || c.workflow.instruction?.handler === me.name),
      allowed,
      reason: refused ? refusalText('instruct', c.number, c.status, refused) : allowed ? null : '您的身份不能办理这一步。',
    });
  });

  /** A page of one of the case's PDF documents as a picture, by the document's place in the list. */
  app.get('/cases/:ref/documents/:index/pages/:page', async (request, reply) => {
    const { ref, index, page } = request.params as { ref: string; index: string; page: string };
    const c = await ctx.officeOf(request).cases.findFor(actorOf(request), ref);
    const width = Number((request.query as { w?: string }).w) || 960;
    const image = /^\d+$/.test(index) && /^\d+$/.test(page) ? await ctx.officeOf(request).pageImages.documentPageImage(c, Number(index), Number(page), width) : null;
    if (!image) return reply.code(404).type('text/plain; charset=utf-8').send('没有这一页。');
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(image);
  });

  /** A document of the case, by its place in the case's list: never by a path from the URL. */
  app.get('/cases/:ref/documents/:index', async (request, reply) => {
    const { ref, index } = request.params as { ref: string; index: string };
    const c = await ctx.officeOf(request).cases.findFor(actorOf(request), ref);
    const doc = /^\d+$/.test(index) ? c.documents[Number(index)] : undefined;
    if (!doc) return reply.code(404).type('text/plain; charset=utf-8').send('没有这个文件。');
    return sendDocument(reply, ctx.officeOf(request).paths.absolute(doc.path), request);
  });
}

function sendDocument(reply: FastifyReply, file: string, request: FastifyRequest): FastifyReply {
  const ext = path.extname(file).toLowerCase();
  const types: Record<string, string> = { '.pdf': 'application/pdf', '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8' };
  const inline = ext === '.pdf' && (request.query as { download?: string }).download === undefined;
  reply.type(types[ext] ?? 'application/octet-stream');
  reply.header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`);
  return reply.send(createReadStream(file));
}

/** Everything the case page shows, in the office's words, masked as the person's role says. */
function caseView(ctx: WebContext, request: FastifyRequest, me: Actor, c: CaseDetail, done?: string, unmasked = false) {
  const { settings } = ctx.officeOf(request);
  const tz = settings.office.timezone;
  // Masked until the person asks to see them in full, which the audit log records (audit-routes.ts).
  const personal = unmasked && maySeePersonal(me, c);
  const shown = (f: FieldName): string => {
    const v = c.fields[f];
    if (v === null) return '';
    if (!personal && f === 'idNumber') return maskIdNumber(String(v));
    if (!personal && f === 'phone') return maskPhone(String(v));
    if (!personal && f === 'address') return maskAddress(String(v));
    return String(v);
  };
  const due = dueState(c, settings, ctx.officeOf(request).clock());
  // Signing for and sending back are offered on transferred cases only.
  // 回访 and 复查/复核 are offered once the case has its written reply; the decision only while a review waits for it.
  const afterReply = (step: Step) => (step !== 'visit' && step !== 'request-review' && step !== 'decide-review') || (c.workflow.repliedAt !== null && (step !== 'decide-review' || openReview(c.workflow.reviews) !== null));
  const steps = ctx.officeOf(request).workflow.allowedSteps(c).filter(({ step }) => (c.channel === '转办' || (step !== 'sign' && step !== 'return')) && afterReply(step)).map(({ step, refusal: refused }) => {
    const allowed = !refused && mayTake(me, step, c);
    return {
      step,
      label: STEP_LABEL[step],
      allowed,
      reason: refused ? refusalText(step, c.number, c.status, refused) : allowed ? null : '您的身份不能办理这一步。',
      [`is_${step.replaceAll('-', '_')}`]: true,
      // 复查/复核 carry papers: their forms are uploads.
      papers: step === 'request-review' || step === 'decide-review',
    };
  });
  const today = localDate(ctx.officeOf(request).clock(), tz);
  const stage = nextReviewStage(c.workflow.reviews);
  const open = openReview(c.workflow.reviews);
  const corrected = latestCorrections(c.corrections);
  return {
    title: c.number,
    ref: `${c.year}-${c.seq}`,
    c: { number: c.number, status: STATUS_LABEL[c.status], channel: c.channel, received: chineseDate(localDate(c.receivedAt, tz)), source: c.sourceName, repeatOf: c.repeatOf, transfer: c.transfer },
    flags: c.flags.map(flagLabel),
    done: done ? (STEP_LABEL[done as Step] ?? (done === 'edit' ? '更正' : done === 'take-case' ? '包案' : null)) : null,
    canEdit: can(me, 'correct'),
    mayUnmask: !personal && maySeePersonal(me, c) && PERSONAL_FIELDS.some((f) => c.fields[f] !== null),
    // Offered while the case carries the mark or lacks a key field: the clerk says it has been looked at.
    mayCheck: can(me, 'correct') && (c.flags.includes('low-confidence') || KEY_FIELDS.some((f) => c.fields[f] === null)),
    fields: FIELD_NAMES.map((f) => ({
      name: f,
      label: FIELD_LABELS[f],
      value: shown(f),
      source: c.sources[f] ? `${SOURCE_NOTE[c.sources[f]!]}${c.sources[f] !== 'clerk' && (f === 'category' || f === 'handlingType') && c.judged[f] !== undefined ? `（自动判断，把握 ${Math.round(c.judged[f]! * 100)}%）` : ''}` : '',
      category: f === 'category',
      handlingType: f === 'handlingType',
      options: f === 'category' ? settings.categories.map((x) => ({ value: x.name, selected: x.name === c.fields.category })) : f === 'handlingType' ? HANDLING_TYPES.map((h) => ({ value: h, selected: h === c.fields.handlingType })) : null,
      // A value no longer among the settings' choices is still offered, so saving keeps it.
      unlisted: (f === 'category' && c.fields.category !== null && !settings.categories.some((x) => x.name === c.fields.category)) || (f === 'handlingType' && c.fields.handlingType !== null && !(HANDLING_TYPES as readonly string[]).includes(c.fields.handlingType)),
      long: f === 'summary' || f === 'address',
      // Masked values cannot be corrected until shown in full; an empty one reveals nothing.
      editable: can(me, 'correct') && (personal || !PERSONAL_FIELDS.includes(f) || c.fields[f] === null),
    })),
    due: due ? { what: DEADLINE_LABEL[due.kind], date: chineseDate(due.date), days: daysText(due.days), overdue: due.days < 0 } : null,
    instruction: c.workflow.instruction,
    pages: c.pages.map((p, i) => {
      // The clerk's correction of a line is what the page reads; the machine's reading stays beside it.
      const reads = effectiveLines(i + 1, p, corrected);
      const lines = p.lines.map((l, line) => {
        const fixed = corrected.has(lineKey(i + 1, line + 1));
        return { text: maskText(reads[line]!, personal), ocr: fixed ? maskText(l.text, personal) : null, unsure: !fixed && l.confidence < settings.ocr.lowConfidence };
      });
      return { n: i + 1, confidence: Math.round(p.confidence * 100), low: p.lowConfidence, unsure: lines.filter((l) => l.unsure).length, lines };
    }),
    hasScan: c.documents.some((d) => d.role === 'searchable'),
    matter: c.pages.length ? null : maskText(c.ocrText, personal),
    history: c.history.map((h) => ({ at: new Date(h.at).toLocaleString('zh-CN', { timeZone: tz, hour12: false }), action: ACTION_LABEL[h.action], actor: h.actor, detail: h.detail })),
    documents: documentGroups(c),
    steps,
    transferIn: transferInView(c, settings),
    supervision: c.workflow.supervision
      ? { ...c.workflow.supervision, due: chineseDate(c.workflow.supervision.due), open: c.workflow.supervision.answeredAt === null }
      : null,
    signedSheet: signedSheetOf(c) !== null,
    duty: caseLeaderView(me, c, tz),
    followUp: followUpLines(c.workflow, reviewRules(settings), tz, settings.calendar.holidays, today),
    visitMethods: settings.followUp.visitMethods,
    satisfaction: settings.followUp.satisfaction,
    reviewDecisions: settings.followUp.reviewDecisions,
    reviewStage: open?.stage ?? stage ?? '复查',
    reviewBody: stage === '复核' ? settings.followUp.secondReviewAuthority : settings.workflow.reviewAuthority,
    today,
    outcomes: OUTCOMES,
    maxExtension: settings.workflow.maxExtensionDays,
  };
}

/** A transferred case's signing and, while it may still be sent back, the last day for it. */
function transferInView(c: CaseDetail, settings: Settings): { signed: string; returnBy: string | null } | null {
  if (c.channel !== '转办') return null;
  const w = c.workflow;
  if (w.returnedAt) return { signed: `已退回交办单位（${chineseDate(localDate(w.returnedAt, settings.office.timezone))}）：${w.returnReason ?? ''}`, returnBy: null };
  const signed = w.signedAt ? `已签收：${w.signedBy ?? ''}，${chineseDate(w.signedAt.length === 10 ? w.signedAt : localDate(w.signedAt, settings.office.timezone))}` : '尚未签收';
  const due = c.status === 'registered' || c.status === 'instructed' ? caseReturnDue(c, settings) : null;
  return { signed, returnBy: due ? chineseDate(due) : null };
}

/**
 * The case's documents as the page lists them: the files of one document together (its PDF and
 * DOCX, a returned sheet's scan and searchable copy), each later version of an issued document
 * numbered, so a blank sheet and the one filled after the instruction are told apart.
 */
function documentGroups(c: CaseDetail) {
  const groups = new Map<string, { role: string; kind: string; version: number | null; files: { index: number; name: string; pdf: boolean }[] }>();
  c.documents.forEach((d, index) => {
    const name = path.basename(d.path);
    const stem = d.role === 'returned' ? `${d.role}:${name.split('_').slice(0, 3).join('_')}` : `${d.role}:${d.path.replace(/\.[^./]+$/, '')}`;
    const version = d.role === 'issued' ? Number(/_(\d+)\.[^.]+$/.exec(name)?.[1] ?? 1) : null;
    const group = groups.get(stem) ?? { role: DOCUMENT_ROLE_LABEL[d.role], kind: d.kind ?? '', version, files: [] };
    group.files.push({ index, name, pdf: name.toLowerCase().endsWith('.pdf') });
    groups.set(stem, group);
  });
  // A version number only where there is more than one of that kind.
  const issuedKinds = [...groups.values()].filter((g) => g.version !== null).map((g) => g.kind);
  return [...groups.values()].map((g) => ({ ...g, version: g.version !== null && issuedKinds.filter((k) => k === g.kind).length > 1 ? g.version : null }));
}

/** The latest signed instruction sheet come back for this case, as its searchable PDF, with its place in the list. */
function signedSheetOf(c: CaseDetail): { doc: CaseDetail['documents'][number]; index: number } | null {
  for (let i = c.documents.length - 1; i >= 0; i--) {
    const d = c.documents[i]!;
    if (d.role === 'returned' && d.kind === '批办单' && d.path.toLowerCase().endsWith('.pdf')) return { doc: d, index: i };
  }
  return null;
}

/** ID numbers and phone numbers in free text (OCR lines, a matter, a snippet), masked for a role that need not see them. */
function maskText(text: string, personal: boolean): string {
  if (personal) return text;
  return text.replace(/\d{17}[\dXx]/g, (id) => maskIdNumber(id)).replace(/1[3-9]\d{9}/g, (phone) => maskPhone(phone));
}

/** An address without its house number: the district and street only. */
function maskAddress(address: string): string {
  const keep = Math.max(2, Math.floor([...address].length / 2));
  return `${[...address].slice(0, keep).join('')}…`;
}
