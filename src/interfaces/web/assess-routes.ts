/**
 * The assessment of cadres and handlers (考核) in the browser, for leaders: the period chooser, the
 * table of figures per person, each count a link to the case list of exactly the cases it counts,
 * and the report as PDF and DOCX. The figures come from the same service as the CLI's `assess`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AssessmentFigure, AssessmentRow } from '../../domain/reports/assessment.js';
import { figureCases } from '../../domain/reports/assessment.js';
import { isXinfangError } from '../../domain/problems.js';
import type { Period } from '../../domain/reports/periods.js';
import { problemText } from '../../domain/words.js';
import { ASSESSMENT_COLUMNS, ASSESSMENT_RULES } from '../../services/assessment-document.js';
import { actorOf, type WebContext } from './server.js';
import { formOf, periodOf, periodQuery } from './stats-routes.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

type Query = Record<string, string | undefined>;

/** The figures of a row shown as counts, in the table's order, each with the figure its link asks for. */
const COUNTED: { title: string; figure: AssessmentFigure }[] = [
  { title: '经办（包案）件数', figure: 'handled' },
  { title: '按期办结', figure: 'on-time' },
  { title: '超期办结', figure: 'late' },
  { title: '未结超期', figure: 'overdue' },
  { title: '在办未超期', figure: 'open' },
];

/** A cell as the paper prints it. */
const columnText = (key: string, r: AssessmentRow) => ASSESSMENT_COLUMNS.find((c) => c.key === key)!.cell(r);

/** The case list of one person's cases of one figure. */
function figureLink(p: Period, who: string, figure: AssessmentFigure): string {
  return `/cases?${new URLSearchParams({ measure: 'assess', figure, who, mfrom: p.from, mto: p.to })}`;
}

export function addAssessRoutes(app: FastifyInstance, ctx: WebContext): void {
  const tzOf = (request: FastifyRequest) => ctx.officeOf(request).settings.office.timezone;
  const form = (request: FastifyRequest) => formOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request));

  const refused = (request: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (!isXinfangError(e)) throw e;
    const status = e.problem.code === 'not-allowed' ? 403 : 422;
    return ctx.page(request, reply, 'assess', { title: '考核', error: problemText(e.problem), form: form(request) }, status);
  };

  app.get('/assess', async (request, reply) => {
    try {
      const period = periodOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request));
      const a = await ctx.officeOf(request).assessment.assess(actorOf(request), period);
      const cell = (r: AssessmentRow, figure: AssessmentFigure) => ({ count: figureCases(r, figure).length, link: figureLink(period, r.name, figure), figure });
      return ctx.page(request, reply, 'assess', {
        title: '考核',
        label: a.period.label,
        asOf: a.asOf,
        query: new URLSearchParams(periodQuery(period)).toString(),
        headers: ASSESSMENT_COLUMNS.map((c) => c.title),
        rows: a.rows.map((r) => ({
          name: r.name,
          roles: r.roles.join('、'),
          counts: COUNTED.map((c) => cell(r, c.figure)),
          rate: columnText('rate', r),
          repeats: cell(r, 'repeats'),
          screenings: columnText('screenings', r),
          satisfaction: { text: columnText('satisfaction', r), ...cell(r, 'closed') },
        })),
        missing: a.rows.filter((r) => r.screenings.missing.length).map((r) => ({ name: r.name, units: r.screenings.missing.map((m) => `${m.unit}（${m.month}）`).join('、') })),
        rules: ASSESSMENT_RULES,
        form: form(request),
      });
    } catch (e) {
      return refused(request, reply, e);
    }
  });

  app.get('/assess/download', async (request, reply) => {
    const format = (request.query as Query).format === 'docx' ? 'docx' : 'pdf';
    try {
      const paper = await ctx.officeOf(request).assessment.paper(actorOf(request), periodOf(request.query as Query, ctx.officeOf(request).clock(), tzOf(request)), format);
      reply.type(format === 'pdf' ? 'application/pdf' : DOCX);
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(paper.name)}`);
      return reply.send(paper.bytes);
    } catch (e) {
      return refused(request, reply, e);
    }
  });
}
