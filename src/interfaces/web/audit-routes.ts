/**
 * The audit log in the browser: the case page's "显示完整信息" (recorded, then the personal
 * details of that case are shown in full for the rest of the session) and the log page the
 * administrator and the leader search by person, case, kind and dates.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AUDIT_KINDS, AUDIT_KIND_LABEL, isAuditKind } from '../../domain/audit.js';
import { addDays, localDayStart, parseDate } from '../../domain/calendar.js';
import { isXinfangError } from '../../domain/problems.js';
import { problemText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

declare module 'fastify' {
  interface Session {
    /** The cases whose personal details this person asked to see (and was recorded seeing). */
    unmasked?: number[];
  }
}

/** How many cases a session remembers as unmasked; older ones are masked again. */
const KEPT = 50;
const PAGE = 100;

/** Whether this session asked (and was recorded) to see the case's personal details in full. */
export function isUnmasked(request: FastifyRequest, caseId: number): boolean {
  return request.session.unmasked?.includes(caseId) ?? false;
}

export function addAuditRoutes(app: FastifyInstance, ctx: WebContext): void {

  app.post('/cases/:ref/unmask', async (request, reply) => {
    const me = actorOf(request);
    const c = await ctx.officeOf(request).cases.findFor(me, (request.params as { ref: string }).ref);
    await ctx.officeOf(request).audit.recordView(me, c);
    request.session.set('unmasked', [...(request.session.unmasked ?? []).filter((id) => id !== c.id), c.id].slice(-KEPT));
    return reply.redirect(`/cases/${c.year}-${c.seq}`, 303);
  });

  app.get('/audit', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const tz = ctx.officeOf(request).settings.office.timezone;
    const day = (text: string | undefined) => (text && /^\d{4}-\d{2}-\d{2}$/.test(text) && parseDate(text) === text ? text : undefined);
    const page = Math.min(100_000, Math.max(1, Math.floor(Number(q.page)) || 1));
    const kind = q.kind && isAuditKind(q.kind) ? q.kind : undefined;
    const base = { title: '审计日志', q, kinds: AUDIT_KINDS.map((k) => ({ value: k, label: AUDIT_KIND_LABEL[k], selected: k === kind })) };
    try {
      const { lines, total } = await ctx.officeOf(request).audit.search(actorOf(request), {
        actor: q.actor,
        caseRef: q.case,
        kind,
        from: day(q.from) ? localDayStart(day(q.from)!, tz) : undefined,
        to: day(q.to) ? localDayStart(addDays(day(q.to)!, 1), tz) : undefined,
        limit: PAGE,
        offset: (page - 1) * PAGE,
      });
      const pages = Math.max(1, Math.ceil(total / PAGE));
      const link = (p: number) => `/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k, v]) => v && k !== 'page')), page: String(p) } as Record<string, string>)}`;
      return ctx.page(request, reply, 'audit', {
        ...base,
        total,
        lines: lines.map((l) => ({ ...l, at: new Date(l.at).toLocaleString('zh-CN', { timeZone: tz, hour12: false }) })),
        page,
        pages,
        prev: page > 1 ? link(page - 1) : null,
        next: page < pages ? link(page + 1) : null,
      });
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      return ctx.page(request, reply, 'audit', { ...base, error: problemText(e.problem), lines: [] }, 422);
    }
  });
}
