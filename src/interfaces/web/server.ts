/**
 * The office in the browser: a thin face over the same services as the CLI. Every page and form
 * goes through sign-in, the role's permissions (checked by the services), anti-forgery tokens and
 * a content security policy without inline scripts; files are served only as documents the
 * registry knows, of cases the person may see.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

declare module 'fastify' {
  interface Session {
    userId?: number;
    /** The password the user signed in with, as a fingerprint: a reset ends the session. */
    credential?: string;
    seenAt?: number;
  }
  interface FastifyRequest {
    user?: User;
    /** A cadre with linked units, though their role does not see everyone's duties (their own 一岗双责 in the menu). */
    dutyCadre?: boolean;
  }
}

export interface WebOptions {
  /** Overrides the settings' port (`--port`); 0 picks a free one (tests). */
  port?: number;
  host?: string;
}

export interface WebContext {
  office: Office;
  views: ReturnType<typeof pageViews>;
  /** The page, rendered into the layout with the signed-in person and the anti-forgery token. */
  page(request: FastifyRequest, reply: FastifyReply, view: string, data: object, status?: number): FastifyReply;
}

const views = () => pageViews(path.join(packageRoot(), 'src', 'interfaces', 'web', 'views'));

/** The person signed in, as the services know them. */
export function actorOf(request: FastifyRequest): Actor {
  return { name: request.user!.name, role: request.user!.role };
}

/** Builds the web server on an office (not yet listening). */
export async function buildWebServer(office: Office): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false });
  await office.store.deleteExpiredSessions(new Date());
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
    secret: sessionSecret(office),
    cookieName: 'xinfang',
    store: new StoreSessions(office.store, office.settings.web.idleMinutes),
    saveUninitialized: false,
    // The idle time is kept on the server (each save moves the session's end on); the cookie lasts as long as the browser.
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'strict', secure: false, path: '/' },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: formToken });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: office.settings.intake.maxFileMegabytes * 1024 * 1024, files: office.settings.intake.maxPages } });
  await app.register(fastifyStatic, { root: path.join(packageRoot(), 'src', 'interfaces', 'web', 'assets'), prefix: '/assets/', index: false });
  app.get('/assets/htmx.min.js', (_request, reply) => reply.type('text/javascript').send(readFileSync(htmx)));

  const ctx: WebContext = {
    office,
    views: views(),
    page(request, reply, view, data, status = 200) {
      const me = request.user ? { name: request.user.name, role: request.user.role } : null;
      // The menu offers what the person's role may open; the routes check again on every request.
      const menu = me ? { inbox: can(me, 'upload') || can(me, 'see-all-cases'), cases: can(me, 'see-all-cases') || can(me, 'see-assigned-cases'), archive: can(me, 'bind') || can(me, 'verify'), book: can(me, 'print-book'), register: can(me, 'register'), admin: can(me, 'manage-users') && can(me, 'manage-office'), audit: can(me, 'see-audit'), reports: can(me, 'see-reports'), assess: mayAssess(me), reception: true, duties: can(me, 'see-duties') || request.dutyCadre === true, signs: can(me, 'report-signs') || can(me, 'handle-signs'), roster: mayDoRoster(me, 'see-roster') } : {};
      const html = this.views.render(view, { ...data, me: request.user, menu, csrf: reply.generateCsrf(), office: office.settings.office.name, title: (data as { title?: string }).title });
      return reply.code(status).type('text/html; charset=utf-8').send(html);
    },
  };

  // Who is signed in: every request but the sign-in page and the assets needs someone.
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/assets/') || request.url === '/login' || request.url.startsWith('/login?')) return;
    const id = request.session.userId;
    const user = id === undefined ? undefined : await office.users.current(id, request.session.credential);
    if (!user) {
      if (request.method === 'GET' && !request.headers['hx-request']) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      return reply.code(401).type('text/plain; charset=utf-8').send('登录已过期，请重新登录。');
    }
    request.user = user;
    // Only for a full page (the menu), not for the pieces htmx polls for.
    if (!can(user, 'see-duties') && request.method === 'GET' && !request.headers['hx-request']) request.dutyCadre = await office.duties.isCadre(user.name);
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
    office.log.error({ err: error, url: request.url }, 'web request failed unexpectedly');
    return reply.code(500).type('text/plain; charset=utf-8').send('程序出错，请把 archive/logs/xinfang.log 交给技术人员。');
  });
  app.setNotFoundHandler((request, reply) => ctx.page(request, reply, 'message', { title: '找不到页面', message: '没有这个页面。' }, 404));

  app.get('/login', (request, reply) => {
    const next = (request.query as { next?: string }).next;
    return ctx.page(request, reply, 'login', { title: '登录', next: sameSite(next) });
  });
  app.post('/login', async (request, reply) => {
    const body = request.body as { username?: string; password?: string; next?: string; _csrf?: string };
    await new Promise<void>((resolve, reject) => app.csrfProtection(request, reply, (e?: Error) => (e ? reject(e) : resolve())));
    const next = sameSite(body.next);
    try {
      const user = await office.users.signIn(body.username ?? '', body.password ?? '');
      await request.session.regenerate();
      request.session.userId = user.id;
      request.session.credential = user.credential;
      return reply.redirect(next, 303);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const status = e.problem.code === 'sign-in-throttled' ? 429 : 401;
      return ctx.page(request, reply, 'login', { title: '登录', error: problemText(e.problem), username: body.username, next }, status);
    }
  });
  app.post('/logout', async (request, reply) => {
    await request.session.destroy();
    return reply.redirect('/login', 303);
  });

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
function sessionSecret(office: Office): string {
  const file = path.join(office.paths.archiveDir, '.web-secret');
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
export async function startWebServer(office: Office, options: WebOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildWebServer(office);
  const host = options.host ?? office.settings.web.host;
  const port = options.port ?? office.settings.web.port;
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
