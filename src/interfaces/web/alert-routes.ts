/**
 * Alerts in the browser: a banner on every page that the page polls (a cheap mark first, so an
 * unchanged banner costs two index reads and no swap), marking an alert read, the list of one's
 * alerts, and recording who takes charge of an urgent letter or group petition.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isReadBy, type Alert } from '../../domain/alerts.js';
import type { Actor } from '../../domain/case.js';
import { ALERT_KIND_LABEL, alertText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

/** How many unread alerts the banner shows; the rest are counted, with a link to the list. */
const BANNER_SIZE = 5;

export function addAlertRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { office } = ctx;

  const tz = office.settings.office.timezone;
  const banner = async (reply: FastifyReply, me: Actor) => {
    const mark = await office.alerts.mark(me);
    const { alerts, total } = await office.alerts.list(me, { unreadOnly: true, limit: BANNER_SIZE });
    const alertBanner = { mark, alerts: alerts.map((a) => alertView(a, me, tz)), more: total - alerts.length };
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ctx.views.render('alerts-banner', { bare: true, alertBanner, csrf: reply.generateCsrf() }));
  };

  app.get('/alerts/banner', async (request, reply) => {
    const me = actorOf(request);
    const seen = (request.query as { seen?: string }).seen;
    // Nothing new for this person since the page last asked: no content, and htmx leaves the banner as it is.
    if (seen !== undefined && seen === (await office.alerts.mark(me))) return reply.code(204).header('cache-control', 'no-store').send();
    return banner(reply, me);
  });

  app.post('/alerts/:id/read', async (request, reply) => {
    const me = actorOf(request);
    await office.alerts.markRead(me, (request.params as { id: string }).id);
    if (request.headers['hx-request']) return banner(reply, me);
    return reply.redirect('/alerts', 303);
  });

  app.get('/alerts', async (request, reply) => {
    const me = actorOf(request);
    const { alerts, total } = await office.alerts.list(me);
    return ctx.page(request, reply, 'alerts', { title: '提醒', alerts: alerts.map((a) => alertView(a, me, tz)), total, more: total - alerts.length });
  });

  app.post('/alerts/:id/charge', async (request, reply) => {
    const b = request.body as { person?: string; note?: string };
    await office.alerts.takeCharge(actorOf(request), (request.params as { id: string }).id, { person: b.person, note: b.note });
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
export async function awaitingCharge(ctx: WebContext, me: Actor) {
  const { alerts } = await ctx.office.alerts.awaitingCharge(me);
  return alerts.map((a) => alertView(a, me, ctx.office.settings.office.timezone));
}
