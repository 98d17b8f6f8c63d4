/**
 * Alerts in the browser: a banner on every page that the page polls (a cheap mark first, so an
 * unchanged banner costs two index reads and no swap), marking an alert read, the list of one's
 * alerts, and recording who takes charge of an urgent letter or group petition.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isReadBy, type Alert } from '../../domain/alerts.js';
import type { Actor } from '../../domain/case.js';
import { ALERT_KIND_LABEL, alertText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

/** How many unread alerts the banner shows; the rest are counted, with a link to the list. */
const BANNER_SIZE = 5;

export function addAlertRoutes(app: FastifyInstance, ctx: WebContext): void {

  const tzOf = (request: FastifyRequest) => ctx.officeOf(request).settings.office.timezone;
  const banner = async (request: FastifyRequest, reply: FastifyReply, me: Actor) => {
    const mark = await ctx.officeOf(request).alerts.mark(me);
    const { alerts, total } = await ctx.officeOf(request).alerts.list(me, { unreadOnly: true, limit: BANNER_SIZE });
    const alertBanner = { mark, alerts: alerts.map((a) => alertView(a, me, tzOf(request))), more: total - alerts.length };
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ctx.views.render('alerts-banner', { bare: true, alertBanner, csrf: reply.generateCsrf() }));
  };

  app.get('/alerts/banner', async (request, reply) => {
    const me = actorOf(request);
    const seen = (request.query as { seen?: string }).seen;
    // Nothing new for this person since the page last asked: no content, and htmx leaves the banner as it is.
    if (seen !== undefined && seen === (await ctx.officeOf(request).alerts.mark(me))) return reply.code(204).header('cache-control', 'no-store').send();
    return banner(request, reply, me);
  });

  app.post('/alerts/:id/read', async (request, reply) => {
    const me = actorOf(request);
    await ctx.officeOf(request).alerts.markRead(me, (request.params as { id: string }).id);
    if (request.headers['hx-request']) return banner(request, reply, me);
    return reply.redirect('/alerts', 303);
  });

  app.get('/alerts', async (request, reply) => {
    const me = actorOf(request);
    const { alerts, total } = await ctx.officeOf(request).alerts.list(me);
    return ctx.page(request, reply, 'alerts', { title: '提醒', alerts: alerts.map((a) => alertView(a, me, tzOf(request))), total, more: total - alerts.length });
  });

  app.post('/alerts/:id/charge', async (request, reply) => {
    const b = request.body as { person?: string; note?: string };
    await ctx.officeOf(request).alerts.takeCharge(actorOf(request), (request.params as { id: string }).id, { person: b.person, note: b.note });
    return reply.redirect('/', 303);
  });
}

/** An alert as the pages show it. */
export function alertView(a: Alert, me: Actor, tz: string) {
  const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: tz, hour12: false });
  return {
    id: a.id,
    kind: a.kind,
    label: ALERT_KIND_LABEL[a.kind],
    text: alertText(a),
    ref: `${a.case.year}-${a.case.seq}`,
    // An informant's report has its own page; every other alert is about a case.
    href: a.sign ? `/signs/${a.case.year}-${a.case.seq}` : `/cases/${a.case.year}-${a.case.seq}`,
    number: a.case.number,
    at: time(a.createdAt),
    read: isReadBy(a, me.name),
    charge: a.charge ? { ...a.charge, at: time(a.charge.at) } : null,
  };
}

/** Urgent letters and group petitions no one has taken charge of, for the dashboard to put first. */
export async function awaitingCharge(ctx: WebContext, request: FastifyRequest, me: Actor) {
  const { alerts } = await ctx.officeOf(request).alerts.awaitingCharge(me);
  return alerts.map((a) => alertView(a, me, ctx.officeOf(request).settings.office.timezone));
}
