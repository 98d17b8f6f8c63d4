/**
 * The office in the browser: a thin face over the same services as the CLI. Every page and form
 * goes through sign-in, the role's permissions (checked by the services), anti-forgery tokens and
 * a content security policy without inline scripts; files are served only as documents the
 * registry knows, of cases the person may see.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { packageRoot } from '../../adapters/files/workspace.js';
import { pageViews } from '../../adapters/templates/pages.js';
import type { Office } from '../../app.js';
import { workspaceAt } from '../../adapters/files/workspace.js';
import type { District } from '../../district.js';
import type { Role } from '../../domain/roles.js';
import type { Actor } from '../../domain/case.js';
import { isXinfangError, type Problem } from '../../domain/problems.js';
import { problemText } from '../../domain/words.js';
import type { User } from '../../services/users.js';
import { can } from '../../domain/roles.js';
import { mayAssess } from '../../domain/reports/assessment.js';
import { addAlertRoutes } from './alert-routes.js';
import { addAdminRoutes } from './admin-routes.js';
import { addArchiveRoutes } from './archive-routes.js';
import { addAuditRoutes } from './audit-routes.js';
import { addBookRoutes } from './book-routes.js';
import { addCaseRoutes } from './case-routes.js';
import { addCorrectionRoutes } from './correction-routes.js';
import { addDeskRoutes } from './desk-routes.js';
import { addDocumentRoutes } from './document-routes.js';
import { addDutyRoutes } from './duty-routes.js';
import { addStatsRoutes } from './stats-routes.js';
import { addAssessRoutes } from './assess-routes.js';
import { addSignRoutes } from './sign-routes.js';
import { addQueueRoutes } from './queue-routes.js';
import { mayDoRoster } from '../../domain/roster.js';
import { StoreSessions } from './sessions.js';
import { addDistrictRoutes, communityLinks, districtUrl, isDistrictPage, type CommunityRequest } from './district-routes.js';

declare module 'fastify' {
  interface Session {
    userId?: number;
    /** The password the user signed in with, as a fingerprint: a reset ends the session. */
    credential?: string;
    seenAt?: number;
    /** In a district: the community the person signed in to, or null for a district user. */
    community?: string | null;
  }
  interface FastifyRequest {
    user?: WebUser;
    /** A cadre with linked units, though their role does not see everyone's duties (their own 一岗双责 in the menu). */
    dutyCadre?: boolean;
    /** In a district: the community of the URL (`/c/<code>/...`) and its Office; absent on the district's own pages. */
    community?: string;
    office?: Office;
  }
}

/** The person signed in: an office's user, or in a district a community's or the district's (community null). */
export type WebUser = Pick<User, 'id' | 'name' | 'role'> & { role: Role; community?: string | null };

export interface WebOptions {
  /** Overrides the settings' port (`--port`); 0 picks a free one (tests). */
  port?: number;
  host?: string;
}

export interface WebContext {
  /** The office of the request: the one Office on its own, or the community of the URL (`/c/<code>/...`) in a district. */
  officeOf(request: FastifyRequest): Office;
  views: ReturnType<typeof pageViews>;
  /** The page, rendered into the layout with the signed-in person and the anti-forgery token. */
  page(request: FastifyRequest, reply: FastifyReply, view: string, data: object, status?: number): FastifyReply;
}

const views = () => pageViews(path.join(packageRoot(), 'src', 'interfaces', 'web', 'views'));

/** The person signed in, as the services know them. */
export function actorOf(request: FastifyRequest): Actor {
  const user = request.user!;
  return user.community === undefined ? { name: user.name, role: user.role } : { name: user.name, role: user.role, community: user.community };
}

const isDistrict = (source: Office | District): source is District => 'officeFor' in source;

/**
 * Builds the web server (not yet listening) on an office, or on a district: one server for all its
 * communities, each under `/c/<code>/...` with the pages of an office, the district's own pages at `/`.
 */
export async function buildWebServer(source: Office | District): Promise<FastifyInstance> {
  const district = isDistrict(source) ? source : undefined;
  const single = isDistrict(source) ? undefined : source;
  const settings = district ? district.settings : single!.settings;
  const sessionStore = district ? district.sessions : single!.store;
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false, ...(district ? { rewriteUrl: (raw: CommunityRequest) => districtUrl(raw, district) } : {}) });
  await sessionStore.deleteExpiredSessions(new Date());
  const require = createRequire(import.meta.url);
  const htmx = path.join(path.dirname(require.resolve('htmx.org/package.json')), 'dist', 'htmx.min.js');
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Office PCs reach the server over plain http on the office network.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: sessionSecret(district ? workspaceAt(district.root).archiveDir : single!.paths.archiveDir),
    cookieName: 'xinfang',
    store: new StoreSessions(sessionStore, settings.web.idleMinutes),
    saveUninitialized: false,
    // The idle time is kept on the server (each save moves the session's end on); the cookie lasts as long as the browser.
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'strict', secure: false, path: '/' },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: formToken });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: settings.intake.maxFileMegabytes * 1024 * 1024, files: settings.intake.maxPages } });
  await app.register(fastifyStatic, { root: path.join(packageRoot(), 'src', 'interfaces', 'web', 'assets'), prefix: '/assets/', index: false });
  app.get('/assets/htmx.min.js', (_request, reply) => reply.type('text/javascript').send(readFileSync(htmx)));

  // In a district: the community of the URL and its Office, for every hook and route after this one.
  if (district) {
    app.addHook('onRequest', async (request) => {
      const code = (request.raw as CommunityRequest).xinfangCommunity;
      if (code) {
        request.community = code;
        request.office = await district.officeFor(code);
      }
    });
    // A community's pages carry its prefix in every link, form and redirect.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.community) return payload;
      const location = reply.getHeader('location');
      if (typeof location === 'string' && location.startsWith('/') && !location.startsWith('/c/') && !location.startsWith('//')) reply.header('location', `/c/${request.community}${location}`);
      const type = String(reply.getHeader('content-type') ?? '');
      return typeof payload === 'string' && type.startsWith('text/html') ? communityLinks(payload, request.community) : payload;
    });
  }
  const officeOf = (request: FastifyRequest): Office | undefined => single ?? request.office;

  const ctx: WebContext = {
    officeOf(request) {
      const office = officeOf(request);
      if (!office) throw new Error(`no community office for ${request.url}`);
      return office;
    },
    views: views(),
    page(request, reply, view, data, status = 200) {
      const me = request.user ? { name: request.user.name, role: request.user.role } : null;
      const office = officeOf(request);
      // The menu offers what the person's role may open; the routes check again on every request (none on the district's own pages).
      const menu = me && office ? { inbox: can(me, 'upload') || can(me, 'see-all-cases'), cases: can(me, 'see-all-cases') || can(me, 'see-assigned-cases'), archive: can(me, 'bind') || can(me, 'verify'), book: can(me, 'print-book'), register: can(me, 'register'), admin: can(me, 'manage-users') && can(me, 'manage-office'), audit: can(me, 'see-audit'), reports: can(me, 'see-reports'), assess: mayAssess(me), reception: true, duties: can(me, 'see-duties') || request.dutyCadre === true, signs: can(me, 'report-signs') || can(me, 'handle-signs'), roster: mayDoRoster(me, 'see-roster') } : {};
      const html = this.views.render(view, { ...data, me: request.user, menu, csrf: reply.generateCsrf(), office: (office?.settings ?? settings).office.name, district: district && request.user?.community === null ? { home: true } : undefined, districtPage: district !== undefined && !office, title: (data as { title?: string }).title });
      return reply.code(status).type('text/html; charset=utf-8').send(html);
    },
  };

  // Who is signed in: every request but the sign-in page and the assets needs someone.
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/assets/') || request.url === '/login' || request.url.startsWith('/login?')) return;
    const id = request.session.userId;
    const user = id === undefined ? undefined : await currentUser(id, request.session.credential, request.session.community);
    if (!user) {
      if (request.method === 'GET' && !request.headers['hx-request']) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      return reply.code(401).type('text/plain; charset=utf-8').send('登录已过期，请重新登录。');
    }
    request.user = user;
    if (district && typeof user.community === 'string') {
      // A community's user works in their own community only: another's pages and files are refused, the district's lead to their own.
      if (request.community && request.community !== user.community) {
        // The refusal is a page of their own community (its name, its menu), nothing of the other's.
        request.community = user.community;
        request.office = await district.officeFor(user.community);
        if (request.headers['hx-request']) return reply.code(403).type('text/html; charset=utf-8').send(ctx.views.render('problem', { bare: true, message: OTHER_COMMUNITY }));
        return ctx.page(request, reply, 'message', { title: '不能查看', message: OTHER_COMMUNITY, back: `/c/${user.community}/` }, 403);
      }
      if (!request.community && isDistrictPage(request.url)) return reply.redirect(`/c/${user.community}/`);
    }
    const office = officeOf(request);
    // Only for a full page (the menu), not for the pieces htmx polls for.
    if (office && !can(user, 'see-duties') && request.method === 'GET' && !request.headers['hx-request']) request.dutyCadre = await office.duties.isCadre(user.name);
    // A person at work keeps their session; a page polling by itself (the inbox) does not keep it alive.
    if (!request.url.startsWith('/inbox/status') && !request.url.startsWith('/alerts/banner')) request.session.set('seenAt', Date.now());
    // Forms are checked against forgery; a page read changes nothing.
    if (request.method !== 'GET' && request.method !== 'HEAD') await new Promise<void>((resolve, reject) => app.csrfProtection(request, reply, (e?: Error) => (e ? reject(e) : resolve())));
  });

  app.setErrorHandler((error, request, reply) => {
    if (isXinfangError(error)) return problemPage(ctx, request, reply, error.problem);
    if ((error as { code?: string }).code === 'FST_CSRF_INVALID_TOKEN' || (error as { code?: string }).code === 'FST_CSRF_MISSING_SECRET') {
      return reply.code(403).type('text/plain; charset=utf-8').send('表单已失效（防伪校验未通过），请返回重新打开页面后再提交。');
    }
    if ((error as { statusCode?: number }).statusCode === 413 || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.code(413).type('text/plain; charset=utf-8').send('文件太大，超过了设置的上限。');
    }
    const office = officeOf(request);
    if (office) office.log.error({ err: error, url: request.url }, 'web request failed unexpectedly');
    else process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'web request failed unexpectedly', url: request.url, err: String((error as Error).stack ?? error) })}\n`);
    return reply.code(500).type('text/plain; charset=utf-8').send('程序出错，请把 archive/logs/xinfang.log 交给技术人员。');
  });
  app.setNotFoundHandler((request, reply) => ctx.page(request, reply, 'message', { title: '找不到页面', message: '没有这个页面。' }, 404));

  // In a district the sign-in page asks which community (or the district itself) the person belongs to.
  const chooser = (chosen: string | undefined) =>
    district ? [{ code: '', name: '街道（区）', selected: chosen === '' }, ...district.communities().map((c) => ({ code: c.code, name: c.name, selected: c.code === chosen }))] : undefined;
  app.get('/login', (request, reply) => {
    const next = (request.query as { next?: string }).next;
    return ctx.page(request, reply, 'login', { title: '登录', next: sameSite(next), communities: chooser(request.community) });
  });
  app.post('/login', async (request, reply) => {
    const body = request.body as { username?: string; password?: string; next?: string; community?: string; _csrf?: string };
    await new Promise<void>((resolve, reject) => app.csrfProtection(request, reply, (e?: Error) => (e ? reject(e) : resolve())));
    const next = sameSite(body.next);
    const chosen = district ? (body.community ?? request.community ?? '') : undefined;
    try {
      const user = district ? await district.signIn(chosen || null, body.username ?? '', body.password ?? '') : await single!.users.signIn(body.username ?? '', body.password ?? '');
      await request.session.regenerate();
      request.session.userId = user.id;
      request.session.credential = user.credential;
      if (!district) return reply.redirect(next, 303);
      const community = chosen || null;
      request.session.community = community;
      // A community's user goes to their own community's pages; a district user to the page asked for (a community's, or the district's).
      const target = community ? (request.community === community ? `/c/${community}${next}` : `/c/${community}/`) : request.community ? `/c/${request.community}${next}` : next;
      return reply.redirect(target, 303);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'sign-in-throttled' ? 429 : 401;
      return ctx.page(request, reply, 'login', { title: '登录', error: problemText(e.problem), username: body.username, next, communities: chooser(chosen) }, status);
    }
  });
  app.post('/logout', async (request, reply) => {
    await request.session.destroy();
    return reply.redirect('/login', 303);
  });

  /** The person of a session again, or undefined when they may no longer sign in. */
  async function currentUser(id: number, credential: string | undefined, community: string | null | undefined): Promise<WebUser | undefined> {
    if (!district) return single!.users.current(id, credential);
    // A session from before the district (no community in it) signs in again.
    if (community === undefined) return undefined;
    if (community !== null && !district.communities().some((c) => c.code === community)) return undefined;
    const user = await district.current(community, id, credential);
    return user?.role ? { id: user.id, name: user.name, role: user.role, community: user.community } : undefined;
  }

  if (district) addDistrictRoutes(app, ctx, district);

  addDeskRoutes(app, ctx);
  addCaseRoutes(app, ctx);
  addCorrectionRoutes(app, ctx);
  addArchiveRoutes(app, ctx);
  addBookRoutes(app, ctx);
  addAlertRoutes(app, ctx);
  addAdminRoutes(app, ctx);
  addAuditRoutes(app, ctx);
  addStatsRoutes(app, ctx);
  addAssessRoutes(app, ctx);
  addDocumentRoutes(app, ctx);
  addDutyRoutes(app, ctx);
  addSignRoutes(app, ctx);
  addQueueRoutes(app, ctx);
  return app;
}

const OTHER_COMMUNITY = '不能查看其他社区的案件：您是本社区的工作人员，只能查看本社区的案件和文件。';

/** Where to go after signing in: a page of this server only, never another site. */
function sameSite(next: string | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  try {
    const url = new URL(next, 'http://xinfang.invalid');
    return url.origin === 'http://xinfang.invalid' ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

/** A problem said in the page's words, with the status a browser expects for it. */
export function problemPage(ctx: WebContext, request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const status = problem.code === 'not-allowed' ? 403 : problem.code === 'unknown-case' || problem.code === 'unknown-alert' || problem.code === 'unknown-sign' ? 404 : problem.code === 'step-raced' ? 409 : 422;
  if (request.headers['hx-request']) return reply.code(status).type('text/html; charset=utf-8').send(ctx.views.render('problem', { bare: true, message: problemText(problem) }));
  return ctx.page(request, reply, 'message', { title: '不能办理', message: problemText(problem), back: request.headers.referer?.startsWith('http') ? undefined : '/' }, status);
}

/** The secret the session cookie is signed with, made once per workspace and kept beside the registry. */
function sessionSecret(archiveDir: string): string {
  mkdirSync(archiveDir, { recursive: true });
  const file = path.join(archiveDir, '.web-secret');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process made it first: theirs is the one.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** Starts listening; resolves with the address people open. */
export async function startWebServer(source: Office | District, options: WebOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildWebServer(source);
  const host = options.host ?? source.settings.web.host;
  const port = options.port ?? source.settings.web.port;
  await app.listen({ host, port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { app, url: `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${actual}` };
}

/**
 * The anti-forgery token of a form: in its body, or in the header htmx sends; an upload
 * (multipart, whose body is read only by its route) carries it in the form's address instead.
 */
function formToken(request: FastifyRequest): string | undefined {
  const header = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const body = (request.body as { _csrf?: unknown } | undefined)?._csrf;
  if (typeof body === 'string') return body;
  const fromHeader = header('csrf-token') ?? header('xsrf-token') ?? header('x-csrf-token') ?? header('x-xsrf-token');
  if (fromHeader) return fromHeader;
  const query = (request.query as { _csrf?: unknown } | undefined)?._csrf;
  return request.isMultipart() && typeof query === 'string' ? query : undefined;
}
