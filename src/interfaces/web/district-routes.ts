/**
 * The district's web: one server for all its communities. A community's pages are an office's
 * pages under `/c/<code>/...` (the URL rewritten to the office's own paths, the community kept on
 * the request; every link, form and redirect of its pages given the prefix back); the district's
 * own pages (its communities with their figures, statistics across, search across) at `/`, for
 * district users. A community's user is sent to their own community (server.ts refuses another's).
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { District } from '../../district.js';
import { isXinfangError } from '../../domain/problems.js';
import { isSearchable } from '../../domain/search.js';
import { problemText } from '../../domain/words.js';
import { actorOf, type WebContext } from './server.js';
import { periodOf } from './stats-routes.js';

/** The raw request, with the community its URL named (set while the URL is rewritten, before routing). */
export type CommunityRequest = IncomingMessage & { xinfangCommunity?: string };

/** Where the district's own pages live inside the server; `/` and `/search` outside. */
const DISTRICT = '/district';

/**
 * The URL the routes see: `/c/<code>/rest` is the office's `/rest` of community <code>; `/c/` or
 * `/c` the district's list of communities; the assets and signing in and out as they are;
 * anything else a district page. A code not in the district is a page not found.
 */
export function districtUrl(raw: CommunityRequest, district: District): string {
  const url = raw.url ?? '/';
  const m = /^\/c\/([^/?#]+)(.*)$/.exec(url);
  if (m) {
    const code = decodeURIComponent(m[1]!);
    if (!district.communities().some((c) => c.code === code)) return '/__unknown-community';
    raw.xinfangCommunity = code;
    const rest = m[2]!;
    // The office's pages, and its own district-looking paths refused.
    if (rest.startsWith(`${DISTRICT}/`) || rest === DISTRICT) return '/__unknown-community';
    return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
  }
  if (url === '/c' || url.startsWith('/c/') || url.startsWith('/c?')) return `${DISTRICT}/`;
  if (url.startsWith('/assets/') || url === '/login' || url.startsWith('/login?') || url === '/logout') return url;
  return `${DISTRICT}${url}`;
}

/** A page of the district's own (the URL as the routes see it). */
export const isDistrictPage = (url: string): boolean => url === DISTRICT || url.startsWith(`${DISTRICT}/`);

/** A community's page with its prefix on every link and form of this server (the assets and the district's own links, `/c/...`, kept). */
export function communityLinks(html: string, code: string): string {
  const base = `/c/${encodeURIComponent(code)}`;
  return html.replace(/(\s(?:href|src|action|hx-get|hx-post|hx-put|hx-patch|hx-delete|formaction)=")\/(?!\/|c\/|c"|assets\/)/g, `$1${base}/`);
}

export function addDistrictRoutes(app: FastifyInstance, ctx: WebContext, district: District): void {
  const tz = district.settings.office.timezone;

  /** Now, by the communities' clock (the one the offices were opened with). */
  const today = async (): Promise<Date> => {
    const first = district.communities()[0];
    return first ? (await district.officeFor(first.code)).clock() : new Date();
  };

  /** The district's first page: its communities with this period's figures, and the sums. */
  app.get(`${DISTRICT}/`, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    try {
      const period = periodOf(q, await today(), tz);
      const stats = await district.stats(actorOf(request), period);
      const row = (name: string, code: string | null, f: (typeof stats)['total']) => ({
        name,
        code,
        total: f.total,
        firstTotal: f.firstPetitions.total,
        onTime: f.onTime.onTime,
        late: f.onTime.late,
        overdue: f.overdue,
        group: f.group,
        urgent: f.urgent,
        returned: f.returned,
        byChannel: f.byChannel.map((c) => `${c.name} ${c.count}`).join('，'),
      });
      return ctx.page(request, reply, 'district', {
        title: '全街道（区）',
        period: stats.period.label,
        month: q.month ?? '',
        communities: stats.communities.map((c) => row(c.name, c.code, c.figures)),
        total: row('合计', null, stats.total),
      });
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'not-allowed' ? 403 : 422;
      return ctx.page(request, reply, 'district', { title: '全街道（区）', error: problemText(e.problem), communities: district.communities().map((c) => ({ name: c.name, code: c.code })) }, status);
    }
  });

  /** Search across every community: each hit links to its community's case page. */
  app.get(`${DISTRICT}/search`, async (request, reply) => {
    const text = ((request.query as { q?: string }).q ?? '').trim();
    if (!text) return ctx.page(request, reply, 'district-search', { title: '全街道（区）查找', q: '' });
    if (!isSearchable(text)) return ctx.page(request, reply, 'district-search', { title: '全街道（区）查找', q: text, error: '请至少输入两个字再查找。' }, 422);
    try {
      const hits = await district.search(actorOf(request), text, 20);
      return ctx.page(request, reply, 'district-search', {
        title: '全街道（区）查找',
        q: text,
        searched: true,
        hits: hits.map((h) => ({ community: h.communityName, link: `/c/${encodeURIComponent(h.community)}/cases/${encodeURIComponent(h.case.number)}`, number: h.case.number, status: h.case.status, snippet: maskText(h.snippet) })),
      });
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'not-allowed' ? 403 : 422;
      return ctx.page(request, reply, 'district-search', { title: '全街道（区）查找', q: text, error: problemText(e.problem) }, status);
    }
  });
}

/** ID and phone numbers in a snippet, masked: the district's list shows where to look, the case page shows the rest as the role allows. */
function maskText(text: string): string {
  return text.replace(/\d{17}[\dXx]/g, (id) => `${id.slice(0, 6)}********${id.slice(14)}`).replace(/1[3-9]\d{9}/g, (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`);
}
