/**
 * 管理 in the browser, for the administrator: users (add, disable, reset a password, change a
 * role), the office's templates (edited with a live preview, checked before saving, every saved
 * version listed) and the settings people change. The services check the role on every call.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DOCUMENT_TYPES } from '../../domain/document-types.js';
import { isXinfangError, type Problem } from '../../domain/problems.js';
import { ROLES } from '../../domain/roles.js';
import { problemText, settingsIssueText, templateIssueText } from '../../domain/words.js';
import { RESTART_FIELDS, type SettingsForm } from '../../services/office-settings.js';
import type { TemplateCheck } from '../../services/templates.js';
import { actorOf, type WebContext } from './server.js';

const USER_DONE: Record<string, string> = { add: '已添加用户', role: '已改角色', disable: '已停用', enable: '已启用', password: '已重设密码' };

/** The settings form's fields, in the order the page shows them, with whether a change waits for a restart. */
const SETTINGS_FIELDS: { name: keyof SettingsForm; label: string; hint?: string; long?: boolean }[] = [
  { name: 'officeName', label: '单位全称', hint: '登记簿、文书上的单位名称' },
  { name: 'shortName', label: '单位简称', hint: '用于信访编号，如“八宝信〔2026〕7号”中的“八宝”' },
  { name: 'numberFormat', label: '编号格式', hint: '可用 {short} {year} {seq} {seq4}' },
  { name: 'notifyDays', label: '告知是否受理的期限（日）' },
  { name: 'handleDays', label: '受理后办结的期限（日）' },
  { name: 'maxExtensionDays', label: '最多延期（日）' },
  { name: 'categories', label: '类别和关键词', hint: '每行一类：类别名：关键词、关键词（“其他”一类必须保留）', long: true },
  { name: 'urgentWords', label: '紧急字眼', hint: '用顿号或空格分开', long: true },
  { name: 'signNumberFormat', label: '苗头信息编号格式', hint: '可用 {short} {year} {seq} {seq4}，不能与信访编号格式相同' },
  { name: 'signRiskLevels', label: '苗头信息风险等级', hint: '从低到高，用顿号分开' },
  { name: 'fontBody', label: '正文字体文件', hint: '留空使用随程序安装的字体' },
  { name: 'fontTitle', label: '标题字体文件' },
  { name: 'fontHeading', label: '小标题字体文件' },
  { name: 'fontKai', label: '楷体字体文件' },
];

const statusOf = (p: Problem) => (p.code === 'not-allowed' ? 403 : p.code === 'unknown-user' ? 404 : 422);

export function addAdminRoutes(app: FastifyInstance, ctx: WebContext): void {

  app.get('/admin', async (request, reply) => {
    const me = actorOf(request);
    const [users, templates] = await Promise.all([ctx.officeOf(request).users.list(me), ctx.officeOf(request).templates.list(me)]);
    return ctx.page(request, reply, 'admin-index', { title: '管理', users: users.length, templates: templates.length });
  });

  // Users.
  const usersPage = async (request: FastifyRequest, reply: FastifyReply, extra: object = {}, status = 200) => {
    const users = await ctx.officeOf(request).users.list(actorOf(request));
    const done = USER_DONE[(request.query as { done?: string }).done ?? ''];
    return ctx.page(request, reply, 'admin-users', { title: '管理 · 用户', users: users.map((u) => ({ ...u, roles: ROLES.map((r) => ({ value: r, selected: r === u.role })) })), roles: ROLES, done, ...extra }, status);
  };
  app.get('/admin/users', (request, reply) => usersPage(request, reply));
  app.post('/admin/users', async (request, reply) => {
    const b = request.body as Record<string, string | undefined>;
    try {
      await ctx.officeOf(request).users.add(actorOf(request), { name: b.name ?? '', role: b.role ?? '', password: b.password ?? '' });
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      return usersPage(request, reply, { error: problemText(e.problem), given: { name: b.name, role: b.role } }, statusOf(e.problem));
    }
    return reply.redirect('/admin/users?done=add', 303);
  });
  app.post('/admin/users/:name/:action', async (request, reply) => {
    const { name, action } = request.params as { name: string; action: string };
    const b = request.body as Record<string, string | undefined>;
    const me = actorOf(request);
    try {
      if (action === 'role') await ctx.officeOf(request).users.setRole(me, name, b.role ?? '');
      else if (action === 'disable' || action === 'enable') await ctx.officeOf(request).users.setDisabled(me, name, action === 'disable');
      else if (action === 'password') await ctx.officeOf(request).users.resetPassword(me, name, b.password ?? '');
      else return ctx.page(request, reply, 'message', { title: '找不到页面', message: '没有这个页面。' }, 404);
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      return usersPage(request, reply, { error: `${name}：${problemText(e.problem)}` }, statusOf(e.problem));
    }
    return reply.redirect(`/admin/users?done=${action}`, 303);
  });

  // Templates.
  app.get('/admin/templates', async (request, reply) => {
    const list = await ctx.officeOf(request).templates.list(actorOf(request));
    const tz = ctx.officeOf(request).settings.office.timezone;
    return ctx.page(request, reply, 'admin-templates', {
      title: '管理 · 文书模板',
      templates: list.map((t) => ({ type: t.type, versions: t.versions, last: t.last ? { by: t.last.by, at: when(t.last.at, tz) } : null })),
    });
  });
  const editor = async (request: FastifyRequest, reply: FastifyReply, type: string, text?: string, check?: TemplateCheck, status = 200) => {
    const me = actorOf(request);
    const opened = await ctx.officeOf(request).templates.open(me, type);
    const shown = text ?? opened.text;
    const result = check ?? (await ctx.officeOf(request).templates.check(me, opened.type, shown));
    return ctx.page(request, reply, 'admin-template', { title: `管理 · 模板 ${opened.type}`, type: opened.type, text: shown, known: opened.known.map((n) => `{{${n}}}`), required: opened.required.map((n) => `{{${n}}}`), ...previewView(result), saved: (request.query as { done?: string }).done === 'saved' }, status);
  };
  app.get('/admin/templates/:type', (request, reply) => editor(request, reply, (request.params as { type: string }).type));
  app.post('/admin/templates/:type/preview', async (request, reply) => {
    const result = await ctx.officeOf(request).templates.check(actorOf(request), (request.params as { type: string }).type, (request.body as { text?: string }).text ?? '');
    return reply.type('text/html; charset=utf-8').send(ctx.views.render('admin-template-preview', { bare: true, ...previewView(result) }));
  });
  app.post('/admin/templates/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    const text = (request.body as { text?: string }).text ?? '';
    try {
      await ctx.officeOf(request).templates.save(actorOf(request), type, text);
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code !== 'template-problems') throw e;
      return editor(request, reply, type, text, { issues: e.problem.issues, preview: null }, 422);
    }
    return reply.redirect(`/admin/templates/${encodeURIComponent(type)}?done=saved`, 303);
  });
  app.get('/admin/templates/:type/versions', async (request, reply) => {
    const { type } = request.params as { type: string };
    const versions = await ctx.officeOf(request).templates.versions(actorOf(request), type);
    const tz = ctx.officeOf(request).settings.office.timezone;
    return ctx.page(request, reply, 'admin-template-versions', {
      title: `管理 · 模板 ${type} 的历次版本`,
      type: DOCUMENT_TYPES.find((t) => t === type),
      versions: versions.map((v, i) => ({ n: versions.length - i, by: v.by, at: when(v.at, tz), text: v.text, current: i === 0 })),
    });
  });

  // Settings.
  const settingsPage = (request: FastifyRequest, reply: FastifyReply, form: SettingsForm, extra: object = {}, status = 200) =>
    ctx.page(
      request,
      reply,
      'admin-settings',
      { title: '管理 · 设置', fields: SETTINGS_FIELDS.map((f) => ({ ...f, value: form[f.name], restart: RESTART_FIELDS.includes(f.name) })), ...extra },
      status,
    );
  app.get('/admin/settings', (request, reply) => settingsPage(request, reply, ctx.officeOf(request).officeSettings.form(actorOf(request))));
  app.post('/admin/settings', async (request, reply) => {
    const me = actorOf(request);
    const current = ctx.officeOf(request).officeSettings.form(me);
    const b = request.body as Record<string, string | undefined>;
    const form = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f.name, b[f.name] ?? current[f.name]])) as unknown as SettingsForm;
    try {
      const saved = await ctx.officeOf(request).officeSettings.save(me, form);
      const restart = SETTINGS_FIELDS.filter((f) => saved.restart.includes(f.name)).map((f) => f.label);
      return settingsPage(request, reply, ctx.officeOf(request).officeSettings.form(me), { done: saved.changed.length ? '设置已保存' : '没有改动', restart: restart.join('、') });
    } catch (e) {
      if (!isXinfangError(e) || e.problem.code === 'not-allowed') throw e;
      const errors = e.problem.code === 'settings-invalid' ? e.problem.issues.map(settingsIssueText) : [problemText(e.problem)];
      return settingsPage(request, reply, form, { errors }, 422);
    }
  });
}

function previewView(result: TemplateCheck) {
  return {
    issues: result.issues.map(templateIssueText),
    preview: result.preview ? { title: result.preview.title, masthead: result.preview.masthead, addressee: result.preview.addressee, paragraphs: result.preview.paragraphs } : null,
  };
}

function when(iso: string, tz: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: tz, hour12: false });
}
