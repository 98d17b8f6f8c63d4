/** The archivist's page: closed cases ready to bind and what the others lack, binding, the year's volumes, verification. */
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packageRoot } from '../../adapters/files/workspace.js';
import { localDate, parseYear } from '../../domain/calendar.js';
import { missingForBinding, volumeTitle } from '../../domain/binding.js';
import type { CaseDetail } from '../../domain/case.js';
import { isXinfangError, type Problem } from '../../domain/problems.js';
import { can } from '../../domain/roles.js';
import { bindingNeedText, chainProblemText, fileProblemText, problemText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

/** How many closed cases the page looks through for ones still to bind: an office's year, and more. */
const CLOSED_LOOKED_AT = 2_000;

export function addArchiveRoutes(app: FastifyInstance, ctx: WebContext): void {

  const view = async (request: Parameters<WebContext['page']>[0], extra: object = {}) => {
    const me = actorOf(request);
    if (!can(me, 'bind') && !can(me, 'verify')) return null;
    const { cases } = await ctx.officeOf(request).cases.query(me, { status: ['closed'], sort: 'number-asc', limit: CLOSED_LOOKED_AT, offset: 0 });
    const unbound: CaseDetail[] = [];
    for (const c of cases) if (!c.binding) unbound.push(await ctx.officeOf(request).cases.find(c.number));
    const tz = ctx.officeOf(request).settings.office.timezone;
    const needs = unbound.map((c) => ({ c, missing: missingForBinding(c) }));
    const ready = needs.filter((x) => x.missing.length === 0).map((x) => x.c);
    const lacking = needs.filter((x) => x.missing.length > 0);
    const volumes = await ctx.officeOf(request).binding.volumes();
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
          .map((v) => ({
            ...v,
            name: `第${v.volume}册${v.edition > 1 ? `（第${v.edition}版）` : ''}`,
            count: v.cases.length,
            superseded: v.supersededAt !== null,
            first: v.cases[0] ?? '',
            last: v.cases.at(-1) ?? '',
            link: `/archive/volumes/${v.year}/${v.volume}/${v.edition}`,
            contents: v.cases.map((number) => ({ number, ref: encodeURIComponent(number) })),
          })),
        exportDir: `导出/${year}年档案`,
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
    const volumesMade: { number: string; link: string }[] = [];
    for (const ref of refs) {
      try {
        const bound = await ctx.officeOf(request).binding.bindCase(me, await ctx.officeOf(request).cases.findFor(me, ref));
        done.push(`${bound.number} 已立卷，档号 ${bound.ref}（${bound.pages} 页）`);
        volumesMade.push({ number: bound.number, link: `/archive/cases/${encodeURIComponent(bound.number)}/volume` });
      } catch (e) {
        if (!isXinfangError(e)) throw e;
        if (e.problem.code === 'not-allowed') return problemOf(e.problem, 403);
        failed.push(problemText(e.problem));
      }
    }
    const data = await view(request, { done, failed, volumesMade, nothingChosen: refs.length === 0 });
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
      const result = await ctx.officeOf(request).binding.bindYear(me, year);
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
      const v = await ctx.officeOf(request).records.verify(me);
      const findings = [...v.fileProblems.map(fileProblemText), ...v.problems.map(chainProblemText)];
      const data = await view(request, { verified: { ok: v.ok, files: v.files, megabytes: (v.bytes / 1048576).toFixed(1), cases: v.cases, findings } });
      return ctx.page(request, reply, 'archive', data!);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return ctx.page(request, reply, 'message', { title: '不能办理', message: problemText(e.problem) }, e.problem.code === 'not-allowed' ? 403 : 422);
    }
  });

  const mayOpen = (request: FastifyRequest) => {
    const me = actorOf(request);
    return can(me, 'bind') || can(me, 'verify');
  };
  const notAllowed = (request: FastifyRequest, reply: FastifyReply) => ctx.page(request, reply, 'message', { title: '不能查看', message: '您的身份不能查看档案页面。' }, 403);
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: string) => ctx.page(request, reply, 'message', { title: '找不到文件', message: what }, 404);

  /** A year volume's PDF, as the registry records it (year, volume, edition): never a path from the URL. */
  app.get('/archive/volumes/:year/:volume/:edition', async (request, reply) => {
    if (!mayOpen(request)) return notAllowed(request, reply);
    const p = request.params as { year: string; volume: string; edition: string };
    const [year, volume, edition] = [p.year, p.volume, p.edition].map(Number);
    const record = Number.isInteger(year) ? (await ctx.officeOf(request).binding.volumes(year)).find((v) => v.volume === volume && v.edition === edition) : undefined;
    if (!record) return notFound(request, reply, '没有这一册案卷。');
    return sendPdf(reply, ctx.officeOf(request).paths.absolute(record.path), request);
  });

  /** The bound case's own volume (案卷), the newest if it was bound again. */
  app.get('/archive/cases/:ref/volume', async (request, reply) => {
    if (!mayOpen(request)) return notAllowed(request, reply);
    const c = await ctx.officeOf(request).cases.findFor(actorOf(request), (request.params as { ref: string }).ref);
    const volume = c.documents.filter((d) => d.role === 'volume').at(-1);
    if (!volume) return notFound(request, reply, `${c.number} 还没有立卷。`);
    return sendPdf(reply, ctx.officeOf(request).paths.absolute(volume.path), request);
  });

  /** A year's BagIt export: into a folder the office names (checked by the service), or downloaded as a zip. */
  app.post('/archive/export', async (request, reply) => {
    const me = actorOf(request);
    const body = request.body as { year?: string; dir?: string; mode?: string };
    try {
      const year = parseYear(body.year ?? '');
      if (body.mode === 'zip') {
        const zip = await ctx.officeOf(request).records.exportZip(me, year, packageVersion());
        reply.type('application/zip').header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(zip.name)}`);
        return reply.send(zip.stream);
      }
      const bag = await ctx.officeOf(request).records.exportYearAs(me, year, body.dir ?? '', packageVersion());
      const data = await view(request, { done: [`已导出 ${year} 年档案：${bag.cases} 件，${bag.files} 个文件，${(bag.bytes / 1048576).toFixed(1)} MB，写在 ${bag.dir}`] });
      return ctx.page(request, reply, 'archive', data!);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'not-allowed' ? 403 : 422;
      const data = status === 403 ? null : await view(request, { failed: [problemText(e.problem)] });
      if (!data) return ctx.page(request, reply, 'message', { title: '不能办理', message: problemText(e.problem) }, status);
      return ctx.page(request, reply, 'archive', data, status);
    }
  });
}

/** A PDF of the archive, inline (the browser's viewer prints it), or as an attachment with ?download. */
function sendPdf(reply: FastifyReply, file: string, request: FastifyRequest): FastifyReply {
  const download = Object.hasOwn(request.query as object, 'download');
  reply.type('application/pdf').header('content-disposition', `${download ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`);
  return reply.send(createReadStream(file));
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
