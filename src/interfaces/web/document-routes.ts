/**
 * A case's documents before they go out: any notice or reply previewed as it will print (the
 * draft PDF, made without issuing or recording anything) beside the template's fields, the ones
 * still missing marked; issued only when complete; the draft DOCX for editing in WPS or Word; the
 * documents already issued one click from printing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, CaseDetail } from '../../domain/case.js';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/document-types.js';
import { isXinfangError } from '../../domain/problems.js';
import { problemText } from '../../domain/words.js';
import { checkDocumentType, type DocumentDraft } from '../../services/documents.js';
import { actorOf, type WebContext } from './server.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Form inputs carry the template's field names behind this prefix, apart from the form's own. */
const FIELD = 'f_';

type Values = Record<string, string | string[] | undefined>;

/** The template's values typed on the page, from a form or a query string. */
function typedValues(input: Values): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!key.startsWith(FIELD) || key.length === FIELD.length) continue;
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') values[key.slice(FIELD.length)] = text.slice(0, 2_000);
  }
  return values;
}

export function addDocumentRoutes(app: FastifyInstance, ctx: WebContext): void {
  const refOf = (c: CaseDetail) => `${c.year}-${c.seq}`;
  const caseOf = (request: FastifyRequest) => ctx.officeOf(request).cases.findFor(actorOf(request), (request.params as { ref: string }).ref);

  /** The page: the kinds of document, and for the one chosen its fields beside its draft. */
  const page = async (request: FastifyRequest, reply: FastifyReply, c: CaseDetail, me: Actor, type: DocumentType | undefined, typed: Record<string, string>, extra: object = {}, status = 200) => {
    const draft = type ? await ctx.officeOf(request).documents.draft(me, c, type, typed) : null;
    const ref = refOf(c);
    const query = draft ? new URLSearchParams(draft.fields.filter((f) => !f.fromCase && f.value).map((f) => [`${FIELD}${f.name}`, f.value])).toString() : '';
    return ctx.page(
      request,
      reply,
      'letters',
      {
        title: `${c.number} 文书`,
        ref,
        number: c.number,
        types: DOCUMENT_TYPES.map((t) => ({ name: t, link: `/cases/${ref}/letters?type=${encodeURIComponent(t)}`, chosen: t === type })),
        issued: issuedPdfs(c, ref),
        draft: draft ? draftView(draft, ref, query) : null,
        ...extra,
      },
      status,
    );
  };

  app.get('/cases/:ref/letters', async (request, reply) => {
    const c = await caseOf(request);
    const q = request.query as Values;
    const type = typeof q.type === 'string' && q.type ? checkDocumentType(q.type) : undefined;
    return page(request, reply, c, actorOf(request), type, typedValues(q));
  });

  /** 更新预览 (the draft with what was typed) or 出具 (issue: refused while a field is missing). */
  app.post('/cases/:ref/letters/:type', async (request, reply) => {
    const me = actorOf(request);
    const c = await caseOf(request);
    const type = checkDocumentType((request.params as { type: string }).type);
    const body = request.body as Values;
    const typed = typedValues(body);
    if (body.action !== 'issue') return page(request, reply, c, me, type, typed);
    try {
      const records = await ctx.officeOf(request).documents.issueAs(me, c, type, typed);
      const fresh = await ctx.officeOf(request).cases.findFor(me, refOf(c));
      return page(request, reply, fresh, me, type, {}, { done: `已出具${type}：${records.map((r) => r.path.split('/').at(-1)).join('、')}` });
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      return page(request, reply, c, me, type, typed, { refused: problemText(e.problem) }, 422);
    }
  });

  /** The draft as it will print, inline for the page's frame; nothing issued, nothing recorded. */
  app.get('/cases/:ref/letters/:type/draft.pdf', async (request, reply) => {
    const draft = await draftOf(request);
    return reply.type('application/pdf').header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`${draft.type}（草稿）.pdf`)}`).header('cache-control', 'no-store').send(draft.rendered.pdf);
  });

  /** The draft to edit in WPS or Word. */
  app.get('/cases/:ref/letters/:type/draft.docx', async (request, reply) => {
    const draft = await draftOf(request);
    return reply.type(DOCX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${draft.type}（草稿）.docx`)}`).header('cache-control', 'no-store').send(draft.rendered.docx);
  });

  async function draftOf(request: FastifyRequest): Promise<DocumentDraft> {
    const c = await caseOf(request);
    const type = checkDocumentType((request.params as { type: string }).type);
    return ctx.officeOf(request).documents.draft(actorOf(request), c, type, typedValues(request.query as Values));
  }
}

/** The case's issued PDFs, newest first, each to open for printing. */
function issuedPdfs(c: CaseDetail, ref: string) {
  return c.documents
    .map((d, index) => ({ d, index }))
    .filter(({ d }) => d.role === 'issued' && d.path.endsWith('.pdf'))
    .reverse()
    .map(({ d, index }) => ({ kind: d.kind ?? '', name: d.path.split('/').at(-1) ?? '', link: `/cases/${ref}/documents/${index}` }));
}

function draftView(draft: DocumentDraft, ref: string, query: string) {
  const base = `/cases/${ref}/letters/${encodeURIComponent(draft.type)}`;
  return {
    type: draft.type,
    action: base,
    pdf: `${base}/draft.pdf${query ? `?${query}` : ''}`,
    docx: `${base}/draft.docx${query ? `?${query}` : ''}`,
    complete: draft.complete,
    missing: draft.fields.filter((f) => f.missing).map((f) => f.name),
    fields: draft.fields.map((f, i) => ({ ...f, input: `${FIELD}${f.name}`, id: `field-${i}`, long: f.value.length > 30 })),
  };
}
