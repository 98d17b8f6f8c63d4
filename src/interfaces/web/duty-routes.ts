/**
 * 领导接访日, 包案 and 一岗双责 in the browser, through the duty service as the CLI's `reception`,
 * `take-case` and `duty` commands: the month's reception days with the notice for the notice
 * board (PDF, DOCX), a leader taking charge of a case, and the cadres' linked units with their
 * screenings and who has not screened yet. The services check every permission again.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chineseDate, localDate } from '../../domain/calendar.js';
import { DUTY_UNIT_KINDS, RISK_LEVELS, sensitiveOn, type DutyLink } from '../../domain/duties.js';
import { monthPeriod, type Period } from '../../domain/reports/periods.js';
import { can, mayDoDuty } from '../../domain/roles.js';
import { actorOf, type WebContext } from './server.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const WEEKDAY = ['日', '一', '二', '三', '四', '五', '六'];
const DONE: Record<string, string> = {
  added: '已安排接访日。',
  removed: '已删除这条接访日安排。',
  screened: '已登记排查情况。',
  zero: '已登记零报告。',
  linked: '已登记挂钩单位。',
  unlinked: '已取消挂钩。',
  seeded: '已把设置中的挂钩单位登记进来。',
};

type Body = Record<string, string | undefined>;

export function addDutyRoutes(app: FastifyInstance, ctx: WebContext): void {
  const tzOf = (request: FastifyRequest) => ctx.officeOf(request).settings.office.timezone;
  const duties = (request: FastifyRequest) => ctx.officeOf(request).duties;

  /** The month asked for (默认本月); a bad one is a problem the error page words. */
  const monthOf = (request: FastifyRequest): Period => {
    const month = (request.query as { month?: string }).month;
    return monthPeriod(month || localDate(ctx.officeOf(request).clock(), tzOf(request)).slice(0, 7));
  };
  const done = (request: FastifyRequest) => DONE[(request.query as { done?: string }).done ?? ''] ?? null;

  // 领导接访日.

  app.get('/reception', async (request, reply) => {
    const me = actorOf(request);
    const period = monthOf(request);
    const days = await duties(request).receptionDays(period);
    const month = period.from.slice(0, 7);
    return ctx.page(request, reply, 'reception', {
      title: '领导接访日',
      label: period.label,
      month,
      done: done(request),
      mayEdit: mayDoDuty(me, 'edit-reception'),
      days: days.map((d) => ({ id: d.id, day: chineseDate(d.day), weekday: `星期${WEEKDAY[new Date(`${d.day}T12:00:00Z`).getUTCDay()]}`, leader: d.leader, place: d.place, time: d.time })),
    });
  });

  app.post('/reception', async (request, reply) => {
    const b = request.body as Body;
    const added = await duties(request).addReceptionDay(actorOf(request), { day: b.day ?? '', leader: b.leader ?? '', place: b.place ?? '', time: b.time ?? '' });
    return reply.redirect(`/reception?month=${added.day.slice(0, 7)}&done=added`, 303);
  });

  app.post('/reception/:id/remove', async (request, reply) => {
    const removed = await duties(request).removeReceptionDay(actorOf(request), (request.params as { id: string }).id);
    return reply.redirect(`/reception?month=${removed.day.slice(0, 7)}&done=removed`, 303);
  });

  /** The notice for the notice board, written by the service into archive/报表/ and sent as it wrote it. */
  app.get('/reception/download', async (request, reply) => {
    const format = (request.query as { format?: string }).format === 'docx' ? 'docx' : 'pdf';
    const notice = await duties(request).receptionNotice(monthOf(request));
    return sendWritten(reply, ctx.officeOf(request).paths.absolute(notice.files.find((f) => f.endsWith(`.${format}`))!), format);
  });

  // 包案: the leader signed in takes charge of the case.

  app.post('/cases/:ref/take-case', async (request, reply) => {
    const me = actorOf(request);
    const c = await ctx.officeOf(request).cases.findFor(me, (request.params as { ref: string }).ref);
    await duties(request).takeCase(me, c);
    return reply.redirect(`/cases/${c.year}-${c.seq}?done=take-case`, 303);
  });

  // 一岗双责.

  app.get('/duties', async (request, reply) => {
    const me = actorOf(request);
    const period = monthOf(request);
    const m = await duties(request).month(me, period);
    const screenedIn = (l: DutyLink) => m.screenings.filter((s) => s.cadre === l.cadre && s.unit === l.unit);
    const cadres = [...new Set(m.links.map((l) => l.cadre))];
    const todayPeriods = sensitiveOn(m.today, m.periods);
    const todayDue = m.due.days.find((d) => d.day === m.today);
    const unit = (u: { cadre: string; unit: string }) => `${u.cadre}：${u.unit}`;
    return ctx.page(request, reply, 'duties', {
      title: '一岗双责',
      label: period.label,
      month: period.from.slice(0, 7),
      // Today's zero report is offered on this month's page only.
      current: period.from <= m.today && m.today <= period.to,
      today: chineseDate(m.today),
      todayValue: m.today,
      done: done(request),
      own: m.own,
      mayLink: mayDoDuty(me, 'edit-links'),
      kinds: DUTY_UNIT_KINDS,
      risks: RISK_LEVELS,
      cadres: cadres.map((cadre) => ({
        cadre,
        links: m.links
          .filter((l) => l.cadre === cadre)
          .map((l) => {
            const done = screenedIn(l);
            return { id: l.id, cadre: l.cadre, unit: l.unit, kind: l.kind, count: done.length, last: done.length ? chineseDate(done.at(-1)!.day) : null, screenedToday: done.some((s) => s.day === m.today), mayRecord: mayDoDuty(me, 'record-screening', l.cadre) };
          }),
      })),
      recordable: m.links.filter((l) => mayDoDuty(me, 'record-screening', l.cadre)).map((l) => ({ id: l.id, text: `${l.cadre}：${l.unit}（${l.kind}）` })),
      notScreened: m.due.month.map(unit),
      periods: m.periods.map((p) => ({ name: p.name, from: chineseDate(p.from), to: chineseDate(p.to) })),
      todayPeriods: todayPeriods.map((p) => ({ name: p.name, from: chineseDate(p.from), to: chineseDate(p.to) })),
      todayMissing: todayDue ? todayDue.missing.map(unit) : null,
      daily: m.due.days.map((d) => ({ day: chineseDate(d.day), period: d.period, missing: d.missing.map(unit) })),
      screenings: m.screenings.map((s) => ({
        day: chineseDate(s.day),
        cadre: s.cadre,
        unit: s.unit,
        zero: s.finding === null,
        risk: s.finding?.risk ?? '',
        situation: s.finding?.situation ?? '',
        by: s.by,
      })),
      unseeded: m.unseeded.map((u) => `${u.cadre}：${u.unit}（${u.kind}）`),
    });
  });

  /** A screening of a linked unit (the link by its id): a zero report, or what was found for the ledger. */
  app.post('/duties/screenings', async (request, reply) => {
    const me = actorOf(request);
    const b = request.body as Body;
    const link = await duties(request).linkById(me, b.link ?? '');
    const zero = b.outcome === 'zero';
    const s = await duties(request).recordScreening(me, {
      cadre: link.cadre,
      unit: link.unit,
      day: b.day,
      finding: zero ? null : { risk: b.risk, type: b.type, parties: b.parties, situation: b.situation, measures: b.measures, deadline: b.deadline, responsible: b.responsible },
    });
    return reply.redirect(`/duties?month=${s.day.slice(0, 7)}&done=${zero ? 'zero' : 'screened'}`, 303);
  });

  app.post('/duties/links', async (request, reply) => {
    const b = request.body as Body;
    await duties(request).link(actorOf(request), { cadre: b.cadre ?? '', unit: b.unit ?? '', kind: b.kind });
    return reply.redirect('/duties?done=linked', 303);
  });

  app.post('/duties/links/remove', async (request, reply) => {
    const b = request.body as Body;
    const me = actorOf(request);
    const link = await duties(request).linkById(me, b.link ?? '');
    await duties(request).unlink(me, link.cadre, link.unit);
    return reply.redirect('/duties?done=unlinked', 303);
  });

  app.post('/duties/links/seed', async (request, reply) => {
    await duties(request).seedLinks(actorOf(request));
    return reply.redirect('/duties?done=seeded', 303);
  });

  /** The file the service just wrote, never a path from the URL. */
  function sendWritten(reply: FastifyReply, file: string, format: 'pdf' | 'docx'): FastifyReply {
    reply.type(format === 'pdf' ? 'application/pdf' : DOCX);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`);
    return reply.send(createReadStream(file));
  }
}

/** The 包案 part of the case page: who is in charge, and the form for a leader to take it. */
export function caseLeaderView(me: Parameters<typeof can>[0], c: { caseLeader?: { leader: string; at: string } | null; receivedBy?: string | null }, timeZone: string) {
  return {
    leader: c.caseLeader ? { name: c.caseLeader.leader, since: chineseDate(localDate(c.caseLeader.at, timeZone)) } : null,
    receivedBy: c.receivedBy ?? null,
    mayTake: me.role !== undefined && mayDoDuty(me, 'take-case') && c.caseLeader?.leader !== me.name,
  };
}
