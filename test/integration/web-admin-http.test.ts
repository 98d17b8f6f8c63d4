/**
 * 管理 and 审计日志 over HTTP (Fastify inject): every admin page and form refused to a clerk, forms
 * refused without the anti-forgery token, users, templates and settings changed by the
 * administrator, and a recorded view of a case's personal details in the log.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../src/app.js';
import { localDate } from '../../src/domain/calendar.js';
import { buildWebServer } from '../../src/interfaces/web/server.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';
import { signedInVisitor, Visitor } from '../helpers/visitor.js';

const terminal = { name: '管理员（终端）' };
const PASSWORD = 'xinfang-2026';

let office: Office;
let app: FastifyInstance;
let root: string;

function signedIn(name: string): Promise<Visitor> {
  return signedInVisitor(app, name, PASSWORD);
}

const T = encodeURIComponent('受理告知书');
const ADMIN_PAGES = ['/admin', '/admin/users', '/admin/templates', `/admin/templates/${T}`, `/admin/templates/${T}/versions`, '/admin/settings'];
const ADMIN_FORMS: [string, Record<string, string>][] = [
  ['/admin/users', { name: '新人', role: '管理员', password: 'xinfang-2026' }],
  [`/admin/users/${encodeURIComponent('管理')}/role`, { role: '登记员' }],
  [`/admin/users/${encodeURIComponent('管理')}/disable`, {}],
  [`/admin/users/${encodeURIComponent('刘芳')}/enable`, {}],
  [`/admin/users/${encodeURIComponent('管理')}/password`, { password: 'another-password' }],
  [`/admin/templates/${T}`, { text: '改掉' }],
  [`/admin/templates/${T}/preview`, { text: '改掉' }],
  ['/admin/settings', { officeName: '别的单位' }],
];

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  office = await officeAt(root, { background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人'], ['王档', '档案员'], ['管理', '管理员']] as const) {
    await office.users.add(terminal, { name, role, password: PASSWORD });
  }
  await office.cases.register(terminal, { channel: '来访', matter: '楼下烧烤店油烟扰民，请处理。', fields: { name: '王秀兰', phone: '13900000001', idNumber: '110108198801011235', address: '八宝街道幸福里小区3号楼' } });
  app = await buildWebServer(office);
});
afterAll(async () => {
  await app?.close();
  await office?.close();
});

describe('who may reach 管理 and 审计日志', () => {
  it('refuses every admin page and form to a clerk, and changes nothing', async () => {
    const clerk = await signedIn('刘芳');
    for (const url of ADMIN_PAGES) expect((await clerk.get(url)).statusCode, url).toBe(403);
    const settings = readFileSync(path.join(root, 'pipeline', 'settings.yaml'), 'utf8');
    const template = readFileSync(path.join(root, 'templates', '受理告知书.hbs'), 'utf8');
    for (const [url, form] of ADMIN_FORMS) {
      const r = await clerk.post(url, form);
      expect(r.statusCode, url).toBe(403);
      expect(r.body, url).toContain('您的身份（登记员）不能');
    }
    expect(readFileSync(path.join(root, 'pipeline', 'settings.yaml'), 'utf8')).toBe(settings);
    expect(readFileSync(path.join(root, 'templates', '受理告知书.hbs'), 'utf8')).toBe(template);
    expect((await office.users.list(terminal)).map((u) => `${u.name}${u.role}${u.disabled}`)).not.toContain('管理登记员false');
    expect((await clerk.get('/audit')).statusCode).toBe(403);
  });

  it('refuses every admin form without the anti-forgery token, even to the administrator', async () => {
    const admin = await signedIn('管理');
    await admin.get('/admin');
    for (const [url, form] of ADMIN_FORMS) {
      const r = await admin.post(url, form, { csrf: false });
      expect(r.statusCode, url).toBe(403);
      expect(r.body).toContain('防伪校验未通过');
    }
    expect((await office.users.list(terminal)).find((u) => u.name === '管理')?.role).toBe('管理员');
    expect((await office.users.list(terminal)).some((u) => u.name === '新人')).toBe(false);
  });

  it('offers 管理 to the administrator only and 审计日志 to the administrator and the leader', async () => {
    const menu = async (name: string) => {
      const body = (await (await signedIn(name)).get('/')).body;
      return [body.includes('<a href="/admin">管理</a>'), body.includes('<a href="/audit">审计日志</a>')];
    };
    expect(await menu('管理')).toEqual([true, true]);
    expect(await menu('张主任')).toEqual([false, true]);
    expect(await menu('刘芳')).toEqual([false, false]);
    expect(await menu('王档')).toEqual([false, false]);
    expect((await (await signedIn('张主任')).get('/audit')).statusCode).toBe(200);
    expect((await (await signedIn('张主任')).get('/admin')).statusCode).toBe(403);
  });

  it('offers no menu entry a person cannot open, and refuses 来访登记 when the form is asked for', async () => {
    const entries = async (name: string) => {
      const body = (await (await signedIn(name)).get('/')).body;
      return ['/inbox', '/cases', '/register'].filter((href) => body.includes(`<a href="${href}">`));
    };
    expect(await entries('刘芳')).toEqual(['/inbox', '/cases', '/register']);
    expect(await entries('王档')).toEqual(['/inbox', '/cases']);
    expect(await entries('李文')).toEqual(['/cases']);
    expect(await entries('管理')).toEqual([]);
    for (const name of ['王档', '李文', '管理']) {
      const r = await (await signedIn(name)).get('/register');
      expect(r.statusCode, name).toBe(403);
      expect(r.body).toContain('不能登记来访');
    }
  });
});

describe('users in the browser', () => {
  it('adds a user, resets a password, and keeps the last administrator, saying why in Chinese', async () => {
    const admin = await signedIn('管理');
    await admin.get('/admin/users');
    expect((await admin.post('/admin/users', { name: '赵敏', role: '经办人', password: 'zhaomin-2026' })).statusCode).toBe(303);
    expect((await admin.get('/admin/users?done=add')).body).toContain('赵敏');
    const short = await admin.post('/admin/users', { name: '钱八', role: '经办人', password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('密码太短，至少要 8 个字符。');
    expect((await admin.post(`/admin/users/${encodeURIComponent('赵敏')}/password`, { password: 'zhaomin-2027' })).statusCode).toBe(303);
    await expect(office.users.signIn('赵敏', 'zhaomin-2027')).resolves.toMatchObject({ name: '赵敏' });

    const demote = await admin.post(`/admin/users/${encodeURIComponent('管理')}/role`, { role: '登记员' });
    expect(demote.statusCode).toBe(422);
    expect(demote.body).toContain('这是最后一位管理员，不能停用或改为其他角色。');
    const disable = await admin.post(`/admin/users/${encodeURIComponent('管理')}/disable`, {});
    expect(disable.statusCode).toBe(422);
    expect((await office.users.list(terminal)).find((u) => u.name === '管理')).toMatchObject({ role: '管理员', disabled: false });

    expect((await admin.post(`/admin/users/${encodeURIComponent('赵敏')}/disable`, {})).statusCode).toBe(303);
    expect((await office.users.list(terminal)).find((u) => u.name === '赵敏')?.disabled).toBe(true);
  });
});

describe('templates in the browser', () => {
  it('shows a broken placeholder before saving, refuses to save it, saves a good one and lists both versions', async () => {
    const admin = await signedIn('管理');
    const file = path.join(root, 'templates', '受理告知书.hbs');
    const original = readFileSync(file, 'utf8');
    const editor = await admin.get(`/admin/templates/${T}`);
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('检查通过，可以保存。');
    expect(editor.body).toContain('{{办结期限}}');

    const broken = original.replace('{{经办人}}', '{{经办入}}');
    const preview = await admin.post(`/admin/templates/${T}/preview`, { text: broken });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('没有“{{经办入}}”这项内容，是不是“{{经办人}}”？');
    expect(preview.body).not.toContain('<html');
    const refused = await admin.post(`/admin/templates/${T}`, { text: broken });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('改好之前不能保存');
    expect(readFileSync(file, 'utf8')).toBe(original);

    const good = original.replace('特此告知。', '特此告知，感谢您对社区工作的监督。');
    const goodPreview = await admin.post(`/admin/templates/${T}/preview`, { text: good });
    expect(goodPreview.body).toContain('特此告知，感谢您对社区工作的监督。');
    expect(goodPreview.body).toContain('王秀兰等3人');
    expect((await admin.post(`/admin/templates/${T}`, { text: good })).statusCode).toBe(303);
    expect(readFileSync(file, 'utf8')).toBe(good);
    const versions = (await admin.get(`/admin/templates/${T}/versions`)).body;
    expect(versions).toContain('第 2 版 · 管理');
    expect(versions).toContain('第 1 版 · （原模板文件）');
    expect(versions).toContain('感谢您对社区工作的监督');
    // Escaped like everything else a person typed.
    const script = await admin.post(`/admin/templates/${T}/preview`, { text: `${good}\n<script>alert(1)</script>\n` });
    expect(script.body).not.toContain('<script>alert(1)');
  });
});

describe('settings in the browser', () => {
  it('shows the start-up messages for a wrong value, and saves and applies a right one', async () => {
    const admin = await signedIn('管理');
    const file = path.join(root, 'pipeline', 'settings.yaml');
    const before = readFileSync(file, 'utf8');
    const page = await admin.get('/admin/settings');
    expect(page.body).toContain('单位简称（改后需重新启动）');
    const wrong = await admin.post('/admin/settings', { notifyDays: '0' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('workflow.notifyDays：不能小于 1。');
    expect(readFileSync(file, 'utf8')).toBe(before);

    const saved = await admin.post('/admin/settings', { officeName: '八宝社区居委会', handleDays: '45' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('设置已保存');
    expect(saved.body).toContain('不需要重新启动');
    expect(office.settings.office.name).toBe('八宝社区居委会');
    expect(office.settings.workflow.handleDays).toBe(45);
    // The page's own header reads the new name at once.
    expect((await admin.get('/')).body).toContain('八宝社区居委会 · 信访工作');
    // Urgent words and categories apply to the next registration without a restart.
    const form = office.officeSettings.form(terminal);
    await admin.get('/admin/settings');
    const more = await admin.post('/admin/settings', { urgentWords: `${form.urgentWords}、砸玻璃`, categories: `${form.categories}\n养犬管理：遛狗、拴绳` });
    expect(more.body).toContain('不需要重新启动');
    const next = await office.cases.register(terminal, { channel: '来访', matter: '小区里有人遛狗从不拴绳，还说要砸玻璃。', fields: { name: '孙七' } });
    expect(next.flags).toContain('urgent');
    expect(next.fields.category).toBe('养犬管理');
    expect(readFileSync(file, 'utf8')).toContain('  - name: 养犬管理\n    keywords: [遛狗, 拴绳]');
    const restart = await admin.post('/admin/settings', { shortName: '八宝社区' });
    expect(restart.body).toContain('单位简称的改动在重新启动（npm start）后生效');
    // The informants' numbers and risk levels (signs.*) on the same form, checked as at start-up.
    await admin.get('/admin/settings');
    const sameAsCases = await admin.post('/admin/settings', { signNumberFormat: office.settings.numbering.format });
    expect(sameAsCases.statusCode).toBe(422);
    expect(sameAsCases.body).toContain('不能与信访编号格式相同');
    const signs = await admin.post('/admin/settings', { signNumberFormat: '{short}苗头〔{year}〕{seq}号', signRiskLevels: '低、中、高、极高' });
    expect(signs.body).toContain('不需要重新启动');
    expect(readFileSync(file, 'utf8')).toContain('riskLevels: [低, 中, 高, 极高]');
    const sign = await office.signs.report(terminal, { place: '幸福里小区', people: '十余名业主', matter: '商量去区政府聚集', risk: '极高', reporter: '周信息员' });
    expect(sign.number).toMatch(/^八宝社区苗头〔\d{4}〕1号$/);
  });
});

describe('the audit log', () => {
  it('records a clerk\'s 显示完整信息 and shows it, with edits and history, to the administrator', async () => {
    const clerk = await signedIn('刘芳');
    const masked = (await clerk.get('/cases/2026-1')).body;
    expect(masked).not.toContain('13900000001');
    expect(masked).not.toContain('幸福里小区3号楼');
    expect(masked).toContain('显示完整信息');
    expect((await clerk.post('/cases/2026-1/unmask', {}, { csrf: false })).statusCode).toBe(403);
    expect((await clerk.post('/cases/2026-1/unmask', {})).statusCode).toBe(303);
    const full = (await clerk.get('/cases/2026-1')).body;
    expect(full).toContain('13900000001');
    expect(full).toContain('110108198801011235');
    expect(full).not.toContain('>显示完整信息<');
    await clerk.post('/cases/2026-1/edit', { name: '王秀芝', shown_name: '王秀兰' });

    const archivist = await signedIn('王档');
    await archivist.get('/cases/2026-1');
    expect((await archivist.post('/cases/2026-1/unmask', {})).statusCode).toBe(403);

    const admin = await signedIn('管理');
    const views = (await admin.get(`/audit?kind=view&actor=${encodeURIComponent('刘芳')}`)).body;
    expect(views).toContain('共 1 条');
    expect(views).toContain('查看了完整的身份证号、联系电话、住址');
    expect(views).toContain('八宝信〔2026〕1号');
    const edits = (await admin.get('/audit?kind=edit&case=2026-1')).body;
    expect(edits).toContain('信访人：王秀兰 → 王秀芝');
    const all = (await admin.get('/audit?case=1')).body;
    expect(all).toContain('登记');
    expect(all).toContain('查看完整个人信息');
    const administration = (await admin.get('/audit?kind=admin')).body;
    expect(administration).toContain('保存文书模板“受理告知书”');
    expect(administration).toContain('修改设置：office.name');
    expect(administration).toContain('添加用户 赵敏（经办人）');
    const today = localDate(new Date(), office.settings.office.timezone);
    expect((await admin.get(`/audit?kind=view&from=2000-01-01&to=2000-01-31`)).body).toContain('共 0 条');
    expect((await admin.get(`/audit?kind=view&from=${today}&to=${today}`)).body).not.toContain('共 0 条');
    const unknown = await admin.get('/audit?case=2026-99');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('找不到案件“2026-99”');
  });
});
