/** The register book in the browser: a year, a month or any days, its rows in the page, PDF and DOCX to download. */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BOOK_COLUMNS } from '../../domain/book.js';
import { localDate } from '../../domain/calendar.js';
import { isXinfangError } from '../../domain/problems.js';
import { problemText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';

/** Rows shown in the page; the download holds them all. */
const SHOWN = 500;

export function addBookRoutes(app: FastifyInstance, ctx: WebContext): void {
  const period = (q: Record<string, string | undefined>, request: FastifyRequest) => {
    const thisYear = Number(localDate(ctx.officeOf(request).clock(), ctx.officeOf(request).settings.office.timezone).slice(0, 4));
    const year = /^\d{4}$/.test(q.year ?? '') ? Number(q.year) : thisYear;
    const month = /^\d{1,2}$/.test(q.month ?? '') ? Number(q.month) : undefined;
    // A span of days when either end is given; the service says what is wrong with it.
    const range = q.from || q.to ? { from: q.from ?? '', to: q.to ?? '' } : undefined;
    return { year, month, range };
  };

  app.get('/book', async (request, reply) => {
    const { year, month, range } = period(request.query as Record<string, string | undefined>, request);
    const base = { title: '登记簿', year, from: range?.from, to: range?.to, headers: BOOK_COLUMNS.map((c) => c.title), months: Array.from({ length: 12 }, (_, i) => ({ value: i + 1, selected: month === i + 1 })) };
    try {
      const me = actorOf(request);
      const book = range ? await ctx.officeOf(request).reports.bookRangePreview(me, range.from, range.to, SHOWN) : await ctx.officeOf(request).reports.bookPreview(me, year, month, SHOWN);
      const query = new URLSearchParams(range ?? { year: String(year), ...(month ? { month: String(month) } : {}) }).toString();
      // Numbers, dates and short names stay on one line, as in the printed book.
      const rows = book.rows.map((cells) => cells.map((text, i) => ({ text, keep: Boolean(BOOK_COLUMNS[i]?.keep || BOOK_COLUMNS[i]?.keepUpTo) })));
      return ctx.page(request, reply, 'book', { ...base, ...book, rows, shown: rows.length, cut: book.total > rows.length, query });
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return ctx.page(request, reply, 'book', { ...base, period: '', error: problemText(e.problem) }, e.problem.code === 'not-allowed' ? 403 : 422);
    }
  });

  app.get('/book/download', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const { year, month, range } = period(q, request);
    const format = q.format === 'docx' ? 'docx' : 'pdf';
    try {
      const me = actorOf(request);
      const book = range ? await ctx.officeOf(request).reports.bookRange(me, range.from, range.to, format) : await ctx.officeOf(request).reports.book(me, year, month, format);
      // The file the service just wrote into archive/登记簿/, never a path from the URL.
      const file = ctx.officeOf(request).paths.absolute(book.file);
      reply.type(format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`);
      return reply.send(createReadStream(file));
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      return ctx.page(request, reply, 'message', { title: '不能打印', message: problemText(e.problem) }, e.problem.code === 'not-allowed' ? 403 : 422);
    }
  });
}
