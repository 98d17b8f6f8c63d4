/**
 * Informants' reports of early signs (苗头信息) and the leading group's duty roster and contact
 * list (值班通讯录) in the browser: a page to report and list (an informant sees only their own
 * reports), a report's page with its two endings (turn into a case, close with what was done), the
 * month's roster and the contacts with their forms for a leader or the administrator, and the
 * printed roster to download. Every permission is the services'.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/case.js';
import { CHANNELS } from '../../domain/case.js';
import { chineseDate, localDate } from '../../domain/calendar.js';
import { isXinfangError } from '../../domain/problems.js';
import { monthPeriod } from '../../domain/reports/periods.js';
import { can } from '../../domain/roles.js';
import { mayDoRoster, onDutyText } from '../../domain/roster.js';
import { SIGN_STATUS_LABEL, type SignReport } from '../../domain/signs.js';
import { problemText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

type Form = Record<string, string | undefined>;

export function addSignRoutes(app: FastifyInstance, ctx: WebContext): void {
  const tz = (request: FastifyRequest) => ctx.officeOf(request).settings.office.timezone;
  const time = (request: FastifyRequest, iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: tz(request), hour12: false });
  const view = (request: FastifyRequest, s: SignReport) => ({
    ...s,
    ref: `${s.year}-${s.seq}`,
    caseRef: s.caseNumber ? encodeURIComponent(s.caseNumber) : null,
    statusLabel: SIGN_STATUS_LABEL[s.status],
    reportedAtText: time(request, s.reportedAt),
    atText: time(request, s.at),
    closedAtText: s.closedAt ? time(request, s.closedAt) : null,
    open: s.status === 'open',
  });

  const signsPage = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: string; values?: Form } = {}, status = 200) => {
    const me = actorOf(request);
    const signs = await ctx.officeOf(request).signs.list(me);
    return ctx.page(
      request,
      reply,
      'signs',
      { title: '苗头信息', signs: signs.map((s) => view(request, s)), mayReport: can(me, 'report-signs'), asInformant: !can(me, 'handle-signs'), riskLevels: ctx.officeOf(request).settings.signs.riskLevels, values: extra.values ?? {}, error: extra.error },
      status,
    );
  };

  app.get('/signs', (request, reply) => signsPage(request, reply));

  app.post('/signs', async (request, reply) => {
    const b = request.body as Form;
    try {
      const s = await ctx.officeOf(request).signs.report(actorOf(request), { place: b.place, people: b.people, matter: b.matter, risk: b.risk, reporter: b.reporter, reportedAt: b.reportedAt?.replace('T', ' ') });
      return reply.redirect(`/signs/${s.year}-${s.seq}`, 303);
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      return signsPage(request, reply, { error: problemText(e.problem), values: b }, 422);
    }
  });

  app.get('/signs/:ref', async (request, reply) => {
    const me = actorOf(request);
    const s = await ctx.officeOf(request).signs.find(me, (request.params as { ref: string }).ref);
    const handles = can(me, 'handle-signs');
    return ctx.page(request, reply, 'sign', { title: s.number, sign: view(request, s), mayClose: handles && s.status === 'open', mayTurn: handles && can(me, 'register') && s.status === 'open', channels: CHANNELS.filter((c) => c !== '转办' && c !== '来信') });
  });

  app.post('/signs/:ref/to-case', async (request, reply) => {
    const b = request.body as Form;
    const done = await ctx.officeOf(request).signs.toCase(actorOf(request), (request.params as { ref: string }).ref, { channel: b.channel, name: b.name, phone: b.phone });
    return reply.redirect(`/cases/${done.case.year}-${done.case.seq}`, 303);
  });

  app.post('/signs/:ref/close', async (request, reply) => {
    const b = request.body as Form;
    const s = await ctx.officeOf(request).signs.close(actorOf(request), (request.params as { ref: string }).ref, b.outcome ?? '');
    return reply.redirect(`/signs/${s.year}-${s.seq}`, 303);
  });

  // The duty roster and the contact list.

  const monthOf = (request: FastifyRequest) => {
    const m = (request.query as Form).month;
    return monthPeriod(m && /^\d{4}-\d{1,2}$/.test(m) ? m : localDate(ctx.officeOf(request).clock(), tz(request)).slice(0, 7));
  };

  const rosterPage = async (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) => {
    const me = actorOf(request);
    const period = monthOf(request);
    const [shifts, contacts, today] = await Promise.all([ctx.officeOf(request).roster.shifts(me, period), ctx.officeOf(request).roster.contacts(me), ctx.officeOf(request).roster.onDuty(me)]);
    return ctx.page(
      request,
      reply,
      'roster',
      {
        title: '值班表和通讯录',
        label: period.label,
        month: period.from.slice(0, 7),
        today: { day: chineseDate(today.day), text: onDutyText(today.people) },
        shifts: shifts.map((s) => ({ ...s, dayText: chineseDate(s.day) })),
        contacts: contacts.map((c) => ({ ...c, phonesText: c.phones.join('、') })),
        mayEdit: mayDoRoster(me, 'edit-roster'),
        error,
      },
      status,
    );
  };

  const edit = (work: (me: Actor, b: Form, request: FastifyRequest) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const b = request.body as Form;
    try {
      await work(actorOf(request), b, request);
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      return rosterPage(request, reply, problemText(e.problem), 422);
    }
    const month = /^\d{4}-\d{2}$/.test(b.month ?? '') ? `?month=${b.month}` : '';
    return reply.redirect(`/roster${month}`, 303);
  };

  app.get('/roster', (request, reply) => rosterPage(request, reply));
  app.post('/roster/shifts', edit((me, b, request) => ctx.officeOf(request).roster.setShift(me, { day: b.day ?? '', person: b.person ?? '', phone: b.phone, post: b.post })));
  app.post('/roster/shifts/:id/remove', (request, reply) => edit((me) => ctx.officeOf(request).roster.removeShift(me, (request.params as { id: string }).id))(request, reply));
  app.post('/roster/contacts', edit((me, b, request) => ctx.officeOf(request).roster.setContact(me, { name: b.name ?? '', post: b.post ?? '', phones: b.phones ?? '' })));
  app.post('/roster/contacts/remove', edit((me, b, request) => ctx.officeOf(request).roster.removeContact(me, b.name ?? '')));

  app.get('/roster/download', async (request, reply) => {
    const format = (request.query as Form).format === 'docx' ? 'docx' : 'pdf';
    const printed = await ctx.officeOf(request).roster.print(actorOf(request), monthOf(request));
    // The file the service just wrote into archive/报表/, never a path from the URL.
    const file = ctx.officeOf(request).paths.absolute(printed.files.find((f) => f.endsWith(`.${format}`))!);
    reply.type(format === 'pdf' ? 'application/pdf' : DOCX);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`);
    return reply.send(createReadStream(file));
  });
}
