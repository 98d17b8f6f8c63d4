/**
 * Correcting the text of a scanned page against the scan: each line's picture beside its text, the
 * lines the OCR was unsure of first. A thin face over CorrectionService, which checks the role.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_LINE_CHARS } from '../../domain/corrections.js';
import { isXinfangError } from '../../domain/problems.js';
import { problemText } from '../../domain/words.js';
import type { LineChange } from '../../services/corrections.js';
import { actorOf, type WebContext } from './server.js';

const LINE_FIELD = /^line_(\d+)$/;

export function addCorrectionRoutes(app: FastifyInstance, ctx: WebContext): void {

  const show = async (request: FastifyRequest, reply: FastifyReply, extra: { done?: number; error?: string; status?: number } = {}) => {
    const { ref, page } = request.params as { ref: string; page: string };
    const pageNo = Number(page);
    const { case: c, lines } = await ctx.officeOf(request).corrections.lines(actorOf(request), ref, pageNo);
    const tz = ctx.officeOf(request).settings.office.timezone;
    const when = (at: string) => new Date(at).toLocaleString('zh-CN', { timeZone: tz, hour12: false });
    return ctx.page(
      request,
      reply,
      'correct',
      {
        title: `${c.number} 第 ${pageNo} 页 更正识别文字`,
        ref: `${c.year}-${c.seq}`,
        number: c.number,
        page: pageNo,
        pageLinks: c.pages.map((_, i) => ({ n: i + 1, current: i + 1 === pageNo })),
        lines: lines.map((l) => ({ ...l, confidence: Math.round(l.confidence * 100), corrected: l.corrected ? { by: l.corrected.by, at: when(l.corrected.at) } : null })),
        unsureCount: lines.filter((l) => l.unsure).length,
        maxChars: MAX_LINE_CHARS,
        ocrText: c.pages[pageNo - 1]!.lines.map((l) => l.text).join('\n'),
        done: extra.done,
        error: extra.error,
      },
      extra.status,
    );
  };

  app.get('/cases/:ref/pages/:page/correct', async (request, reply) => {
    const done = Number((request.query as { done?: string }).done);
    return show(request, reply, { done: Number.isInteger(done) && done > 0 ? done : undefined });
  });

  app.post('/cases/:ref/pages/:page/correct', async (request, reply) => {
    const { ref, page } = request.params as { ref: string; page: string };
    const body = request.body as Record<string, string | undefined>;
    const changes: LineChange[] = [];
    for (const [key, value] of Object.entries(body)) {
      const m = LINE_FIELD.exec(key);
      const shown = m ? body[`shown_${m[1]}`] : undefined;
      // Only what the clerk changed on the page is a correction: a line left as shown is not touched, so two clerks on one page do not undo each other.
      if (m && value !== undefined && shown !== undefined && value.trim() !== shown.trim()) changes.push({ line: Number(m[1]), text: value });
    }
    const me = actorOf(request);
    if (changes.length === 0) return reply.redirect(`/cases/${encodeURIComponent(ref)}/pages/${encodeURIComponent(page)}/correct`, 303);
    try {
      const c = await ctx.officeOf(request).corrections.correctLines(me, ref, Number(page), changes);
      return reply.redirect(`/cases/${c.year}-${c.seq}/pages/${Number(page)}/correct?done=${changes.length}`, 303);
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed' || e.problem.code === 'unknown-case' || e.problem.code === 'unknown-page') throw e;
      return show(request, reply, { error: problemText(e.problem), status: 422 });
    }
  });

  /** One line of a page as a picture, cut from the page image: only for a case the person may see. */
  app.get('/cases/:ref/pages/:page/lines/:line(^\\d+).png', async (request, reply) => {
    const { ref, page, line } = request.params as { ref: string; page: string; line: string };
    const png = /^\d+$/.test(page) ? await ctx.officeOf(request).corrections.lineImage(actorOf(request), ref, Number(page), Number(line)) : null;
    if (!png) return reply.code(404).type('text/plain; charset=utf-8').send('没有这一行。');
    return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
  });
}
