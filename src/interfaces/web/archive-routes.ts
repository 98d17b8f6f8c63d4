/** The archivist's page: closed cases ready to bind and what the others lack, binding, the year's volumes, verification. */
import type { FastifyInstance } from 'fastify';
import { localDate } from '../../domain/calendar.js';
import { missingForBinding, volumeTitle } from '../../domain/binding.js';
import type { CaseDetail } from '../../domain/case.js';
import { isXinfangError, type Problem } from '../../domain/problems.js';
import { can } from '../../domain/roles.js';
import { bindingNeedText, chainProblemText, fileProblemText, problemText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

/** How many closed cases the page looks through for ones still to bind: an office's year, and more. */
const CLOSED_LOOKED_AT = 2_000;

export function addArchiveRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { office } = ctx;

  const view = async (request: Parameters<WebContext['page']>[0], extra: object = {}) => {
    const me = actorOf(request);
    if (!can(me, 'bind') && !can(me, 'verify')) return null;
    const { cases } = await office.cases.query(me, { status: ['closed'], sort: 'number-asc', limit: CLOSED_LOOKED_AT, offset: 0 });
    const unbound: CaseDetail[] = [];
    for (const c of cases) if (!c.binding) unbound.push(await office.cases.find(c.number));
    const tz = office.settings.office.timezone;
    const needs = unbound.map((c) => ({ c, missing: missingForBinding(c) }));
    const ready = needs.filter((x) => x.missing.length === 0).map((x) => x.c);
    const lacking = needs.filter((x) => x.missing.length > 0);
    const volumes = await office.binding.volumes();
    const years = [...new Set([...volumes.map((v) => v.year), ...cases.map((c) => c.year)])].sort((a, b) => b - a);
    return {
      title: '档案',
      mayBind: can(me, 'bind'),
      mayVerify: can(me, 'verify'),
      ready: ready.map((c) => ({ ref: `${c.year}-${c.seq}`, number: c.number, title: volumeTitle(c), closed: c.workflow.closedAt ? localDate(c.workflow.closedAt, tz) : '' })),
      lacking: lacking.map(({ c, missing }) => ({ ref: `${c.year}-${c.seq}`, number: c.number, title: volumeTitle(c), missing: missing.map(bindingNeedText).join('、') })),
      years: years.map((year) => ({
        year,
        volumes: volumes
          .filter((v) => v.year === year)
          .map((v) => ({ ...v, name: `第${v.volume}册${v.edition > 1 ? `（第${v.edition}版）` : ''}`, count: v.cases.length, superseded: v.supersededAt !== null, first: v.cases[0] ?? '', last: v.cases.at(-1) ?? '' })),
      })),
      ...extra,
    };
  };

  app.get('/archive', async (request, reply) => {
    const data = await view(request);
    if (!data) return ctx.page(request, reply, 'message', { title: '不能查看', message: '您的身份不能查看档案页面。' }, 403);
    return ctx.page(request, reply, 'archive', data);
  });

  /** Binds the chosen cases, one by one: each that cannot be bound says why, the others are bound regardless. */
  app.post('/archive/bind', async (request, reply) => {
    const me = actorOf(request);
    const body = request.body as { cases?: string | string[] };
    const refs = ([] as string[]).concat(body.cases ?? []);
    const done: string[] = [];
    const failed: string[] = [];
    for (const ref of refs) {
      try {
        const bound = await office.binding.bindCase(me, await office.cases.findFor(me, ref));
        done.push(`${bound.number} 已立卷，档号 ${bound.ref}（${bound.pages} 页）`);
      } catch (e) {
        if (!isXinfangError(e)) throw e;
        if (e.problem.code === 'not-allowed') return problemOf(e.problem, 403);
        failed.push(problemText(e.problem));
      }
    }
    const data = await view(request, { done, failed, nothingChosen: refs.length === 0 });
    if (!data) return problemOf({ code: 'not-allowed', role: me.role ?? '', action: '立卷' }, 403);
    return ctx.page(request, reply, 'archive', data, failed.length && !done.length ? 422 : 200);

    function problemOf(problem: Problem, status: number) {
      return ctx.page(request, reply, 'message', { title: '不能办理', message: problemText(problem) }, status);
    }
  });

  app.post('/archive/year', async (request, reply) => {
    const me = actorOf(request);
    const year = Number((request.body as { year?: string }).year);
    try {
      const result = await office.binding.bindYear(me, year);
      const done = [
        ...result.bound.map((b) => `${b.number} 已立卷，档号 ${b.ref}`),
        ...(result.volumes.length ? result.volumes.map((v) => `${year} 年第${v.volume}册：${v.cases.length} 件，${v.pages} 页`) : [`${year} 年没有新办结的案件需要装订成册，已装订的 ${result.kept.length} 册不变。`]),
      ];
      const data = await view(request, { done });
      return ctx.page(request, reply, 'archive', data!);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'not-allowed' ? 403 : 422;
      const data = await view(request, { failed: [problemText(e.problem)] });
      if (!data) return ctx.page(request, reply, 'message', { title: '不能办理', message: problemText(e.problem) }, status);
      return ctx.page(request, reply, 'archive', data, status);
    }
  });

  app.post('/archive/verify', async (request, reply) => {
    const me = actorOf(request);
    try {
      const v = await office.records.verify(me);
      const findings = [...v.fileProblems.map(fileProblemText), ...v.problems.map(chainProblemText)];
      const data = await view(request, { verified: { ok: v.ok, files: v.files, megabytes: (v.bytes / 1048576).toFixed(1), cases: v.cases, findings } });
      return ctx.page(request, reply, 'archive', data!);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return ctx.page(request, reply, 'message', { title: '不能办理', message: problemText(e.problem) }, e.problem.code === 'not-allowed' ? 403 : 422);
    }
  });
}
