/** The day's work: the dashboard, the inbox with uploads, and registering a visit, call or transfer. */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHANNELS } from '../../domain/case.js';
import { localDate, localDayStart } from '../../domain/calendar.js';
import { isSupervisionOpen } from '../../domain/workflow.js';
import { flagLabel } from '../../domain/flags.js';
import { fail, isXinfangError } from '../../domain/problems.js';
import { can } from '../../domain/roles.js';
import { calendarWarning, daysText, DEADLINE_LABEL, FIELD_LABELS, problemText, STATUS_LABEL } from '../../domain/words.js';
import { missingCalendarYears } from '../../domain/workdays.js';
import type { Upload } from '../../services/intake/uploads.js';
import { awaitingCharge } from './alert-routes.js';
import { reviewRows, supervisedRows } from './follow-lists.js';
import { actorOf, type WebContext } from './server.js';

export function addDeskRoutes(app: FastifyInstance, ctx: WebContext): void {

  app.get('/', async (request, reply) => {
    const me = actorOf(request);
    // An informant works with their reports of early signs only: that page is their desk.
    if (!can(me, 'see-all-cases') && !can(me, 'see-assigned-cases') && can(me, 'report-signs')) return reply.redirect('/signs', 303);
    const tz = ctx.officeOf(request).settings.office.timezone;
    const today = localDate(ctx.officeOf(request).clock(), tz);
    const todayStart = localDayStart(today, tz);
    const registeredToday = (await ctx.officeOf(request).cases.query(me, { receivedFrom: todayStart, limit: 1, offset: 0 })).total;
    const soon = ctx.officeOf(request).settings.web.dueSoonDays;
    const due = (await ctx.officeOf(request).cases.due()).filter((d) => d.due.days <= soon && (can(me, 'see-all-cases') || d.case.workflow.instruction?.handler === me.name));
    // What a leader must see at once comes first: urgent, then supervised (督办) cases awaiting their answer, then group petitions, then the nearest deadline.
    const weight = (c: (typeof due)[number]['case']) => (c.flags.includes('urgent') ? 0 : isSupervisionOpen(c.workflow) ? 1 : c.flags.includes('group') ? 2 : 3);
    due.sort((a, b) => weight(a.case) - weight(b.case) || a.due.days - b.due.days);
    const office = ctx.officeOf(request);
    const supervised = await supervisedRows(office, me);
    const reviews = await reviewRows(office, me);
    const mine = me.role === '经办人' ? (await office.cases.query(me, { status: ['instructed', 'accepted', 'extended', 'replied'], limit: 1, offset: 0 })).total : null;
    const review = can(me, 'correct') ? (await office.cases.review({ openOnly: true })).length : null;
    const urgent = (await office.cases.query(me, { flag: 'urgent', status: ['registered', 'instructed', 'accepted', 'extended', 'replied'], limit: 1, offset: 0 })).total;
    return ctx.page(request, reply, 'dashboard', {
      title: '工作台',
      supervised,
      reviews,
      calendarWarning: calendarWarning(missingCalendarYears(localDate(office.clock(), office.settings.office.timezone), office.settings.calendar.holidays)),
      charge: await awaitingCharge(ctx, request, me),
      today,
      todayLink: `/cases?from=${today}`,
      registeredToday,
      review,
      mine,
      urgent,
      soon,
      due: due.map((d) => ({
        ref: `${d.case.year}-${d.case.seq}`,
        number: d.case.number,
        flags: d.case.flags.map(flagLabel),
        urgent: d.case.flags.includes('urgent') || d.case.flags.includes('group'),
        status: STATUS_LABEL[d.case.status],
        what: DEADLINE_LABEL[d.due.kind],
        date: d.due.date,
        days: daysText(d.due.days),
        overdue: d.due.days < 0,
        name: d.case.fields.name ?? '',
        summary: d.case.fields.summary ?? '',
      })),
      overdue: due.filter((d) => d.due.days < 0).length,
    });
  });

  app.get('/review', async (request, reply) => {
    const queue = await ctx.officeOf(request).cases.review({ openOnly: (request.query as { all?: string }).all === undefined });
    const me = actorOf(request);
    return ctx.page(request, reply, 'review', {
      title: '待核对',
      items: queue
        .filter(() => can(me, 'correct'))
        .map((q) => ({ ref: `${q.case.year}-${q.case.seq}`, number: q.case.number, missing: q.missing.map((f) => FIELD_LABELS[f]).join('、'), confidence: q.case.ocrConfidence })),
    });
  });

  app.get('/inbox', async (request, reply) => {
    const view = await ctx.officeOf(request).inbox.view(actorOf(request));
    return ctx.page(request, reply, 'inbox', { title: '收件箱', ...view, canUpload: can(actorOf(request), 'upload'), recent: await recentCases(ctx, request) });
  });

  app.get('/inbox/status', async (request, reply) => {
    const view = await ctx.officeOf(request).inbox.view(actorOf(request));
    return reply.type('text/html; charset=utf-8').send(ctx.views.render('inbox-status', { bare: true, ...view, csrf: reply.generateCsrf(), recent: await recentCases(ctx, request) }));
  });

  app.post('/inbox', async (request, reply) => {
    const uploads: Upload[] = [];
    let asOneLetter = false;
    for await (const part of request.parts()) {
      if (part.type === 'file') uploads.push({ name: part.filename, data: await (part as MultipartFile).toBuffer() });
      else if (part.fieldname === 'oneLetter') asOneLetter = part.value === 'on' || part.value === 'true';
    }
    const names = await ctx.officeOf(request).inbox.receive(actorOf(request), uploads, asOneLetter);
    if (request.headers['hx-request']) return reply.type('text/html; charset=utf-8').send(ctx.views.render('uploaded', { bare: true, names }));
    return reply.redirect('/inbox', 303);
  });

  app.post('/inbox/retry', async (request, reply) => {
    await ctx.officeOf(request).inbox.retry(actorOf(request), String((request.body as { name?: string }).name ?? ''));
    return reply.redirect('/inbox', 303);
  });

  /** The leaders on today's reception days, offered in the register form's 接访领导. */
  const receivingToday = async (request: FastifyRequest) => {
    const today = localDate(ctx.officeOf(request).clock(), ctx.officeOf(request).settings.office.timezone);
    return [...new Set((await ctx.officeOf(request).duties.receptionDays({ from: today, to: today })).map((d) => d.leader))];
  };

  app.get('/register', async (request, reply) => {
    // Refused when the page is asked for, not after the visit has been typed in.
    const me = actorOf(request);
    if (!can(me, 'register')) fail({ code: 'not-allowed', role: me.role ?? '', action: '登记来访' });
    return ctx.page(request, reply, 'register', { title: '来访登记', channels: CHANNELS.filter((c) => c !== '来信'), values: {}, leaders: await receivingToday(request) });
  });

  app.post('/register', async (request, reply) => {
    const b = request.body as Record<string, string | undefined>;
    try {
      const c = await ctx.officeOf(request).cases.register(actorOf(request), {
        channel: b.channel ?? '',
        matter: b.matter ?? '',
        fields: Object.fromEntries(['name', 'phone', 'idNumber', 'address', 'signatories'].filter((k) => b[k]?.trim()).map((k) => [k, b[k]!])),
        transfer: b.channel === '转办' ? { office: b.fromOffice ?? '', number: b.fromNumber ?? '' } : undefined,
        receivedBy: b.receivedBy,
      });
      return reply.redirect(`/cases/${c.year}-${c.seq}/receipt`, 303);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return ctx.page(request, reply, 'register', { title: '来访登记', channels: CHANNELS.filter((c) => c !== '来信'), values: b, leaders: await receivingToday(request), error: problemText(e.problem) }, e.problem.code === 'not-allowed' ? 403 : 422);
    }
  });
}

/** The cases registered today, for the inbox page to show a letter once it is in. */
async function recentCases(ctx: WebContext, request: Parameters<WebContext['page']>[0]) {
  const tz = ctx.officeOf(request).settings.office.timezone;
  const today = localDate(ctx.officeOf(request).clock(), tz);
  const { cases } = await ctx.officeOf(request).cases.query(actorOf(request), { receivedFrom: localDayStart(today, tz), sort: 'received-desc', limit: 10, offset: 0 });
  return cases.map((c) => ({ ref: `${c.year}-${c.seq}`, number: c.number, source: c.sourceName ?? c.channel, name: c.fields.name ?? '', status: STATUS_LABEL[c.status] }));
}
