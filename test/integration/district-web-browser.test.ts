/**
 * The district's web in a real browser (Debian's Chromium, playwright-core) against the real
 * `xinfang start` at a district's root on PostgreSQL: a community's clerk chooses their community
 * at sign-in and works in it, and is refused the other community's case in Chinese; a district
 * user sees the communities with their figures and opens a community's case. Screenshots are
 * saved; the page's Chinese is drawn with real glyphs (no empty boxes) in the page's own font.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDistrict } from '../../src/district.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { createTestDatabase, dropTestDatabases } from '../helpers/postgres.js';
import { startCli } from '../helpers/run-cli.js';
import { PASSWORD, startWeb } from '../helpers/web-app.js';
import { makeWorkspace } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-district-web-shots');
const databases: string[] = [];
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli> | undefined;

beforeAll(async () => {
  const db = await createTestDatabase('xinfang_districtweb_browser');
  databases.push(db.name);
  const root = await makeWorkspace({ store: { postgres: db.url }, district: { communities: [] }, office: { name: '朝阳街道办事处', shortName: '朝阳' }, workflow: { blankSheets: false } });
  const district = await openDistrict({ root, background: 'none' });
  try {
    await district.addCommunity(terminal, { code: 'babao', name: '八宝社区' });
    await district.addCommunity(terminal, { code: 'xinhua', name: '新华社区' });
    await (await district.officeFor('babao')).cases.register({ name: '值班员' }, { channel: '来访', matter: '楼下烧烤店每天晚上油烟扰民，请求责令整改。', fields: { name: '王秀兰' } });
    await (await district.officeFor('xinhua')).cases.register({ name: '值班员' }, { channel: '电话', matter: '工厂拖欠三个月工资，请求帮助讨薪。', fields: { name: '赵建华' } });
    await (await district.officeFor('babao')).users.add(terminal, { name: '刘芳', role: '登记员', password: PASSWORD });
    await district.users.add(terminal, { name: '王科长', role: '领导', password: PASSWORD });
  } finally {
    await district.close();
  }
  const web = await startWeb(root);
  server = web.server;
  base = web.base;
  expect(web.said).toContain(`${base}/c/babao/`);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await new Promise((resolve) => server!.once('exit', resolve));
  await dropTestDatabases(databases);
});

async function signIn(community: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('单位').selectOption({ label: community });
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForLoadState('load');
  return page;
}

/**
 * Each character of the element's text drawn in the element's own font: distinct characters give
 * distinct pictures, and none is the picture of a character no font has (an empty box).
 */
async function drawnWithGlyphs(page: Page, selector: string): Promise<{ chars: string; distinct: number; boxes: number }> {
  return page.locator(selector).first().evaluate((el) => {
    const font = getComputedStyle(el).font;
    const draw = (ch: string) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const g = canvas.getContext('2d')!;
      g.font = font.replace(/\d+(\.\d+)?px/, '40px');
      g.fillStyle = '#000';
      g.fillText(ch, 4, 48);
      return canvas.toDataURL();
    };
    const chars = [...new Set([...(el.textContent ?? '')].filter((c) => /\p{Script=Han}/u.test(c)))].join('');
    const missing = draw('\u{10FFFD}');
    const pictures = [...chars].map(draw);
    return { chars, distinct: new Set(pictures).size, boxes: pictures.filter((p) => p === missing).length };
  });
}

describe('the district web in the browser', () => {
  it('signs a community clerk in to their community, and refuses them the other community in Chinese', async () => {
    const clerk = await signIn('八宝社区', '刘芳');
    expect(new URL(clerk.url()).pathname).toBe('/c/babao/');
    await clerk.getByRole('link', { name: '案件列表' }).click();
    expect(new URL(clerk.url()).pathname).toBe('/c/babao/cases');
    await clerk.getByRole('link', { name: '八宝信〔2026〕1号' }).click();
    await expect.poll(() => clerk.locator('h1').innerText()).toContain('八宝信〔2026〕1号');
    await screenshot(clerk, path.join(shots, 'community-case.png'));
    const h1 = await drawnWithGlyphs(clerk, 'h1');
    expect(h1.chars.length).toBeGreaterThan(0);
    expect(h1.distinct).toBe(h1.chars.length);
    expect(h1.boxes).toBe(0);

    const refused = await clerk.goto(`${base}/c/xinhua/cases/2026-1`);
    expect(refused?.status()).toBe(403);
    expect(await clerk.locator('main, body').first().innerText()).toContain('不能查看其他社区的案件');
    expect(await clerk.content()).not.toContain('赵建华');
    await screenshot(clerk, path.join(shots, 'other-community-403.png'));
    const message = await drawnWithGlyphs(clerk, 'body');
    expect(message.chars).toContain('社区');
    expect(message.distinct).toBe(message.chars.length);
    expect(message.boxes).toBe(0);
  });

  it('shows a district user the communities with their figures, and opens a community’s case from a search', async () => {
    const lead = await signIn('街道（区）', '王科长');
    expect(new URL(lead.url()).pathname).toBe('/');
    await expect.poll(() => lead.locator('h1').innerText()).toBe('全街道（区）');
    expect(await lead.locator('tr[data-community="babao"] td.total').innerText()).toBe('1');
    expect(await lead.locator('tr[data-community="xinhua"] td.total').innerText()).toBe('1');
    expect(await lead.locator('tr[data-community="total"] td.total').innerText()).toBe('2');
    await screenshot(lead, path.join(shots, 'district-home.png'));
    const table = await drawnWithGlyphs(lead, 'table');
    expect(table.chars).toContain('八宝');
    expect(table.distinct).toBe(table.chars.length);
    expect(table.boxes).toBe(0);

    await lead.getByLabel('在全部社区查找案件').fill('工资');
    await lead.getByRole('button', { name: '查找' }).click();
    await lead.getByRole('link', { name: '新华信〔2026〕1号' }).click();
    expect(new URL(lead.url()).pathname).toBe(`/c/xinhua/cases/${encodeURIComponent('新华信〔2026〕1号')}`);
    await expect.poll(() => lead.locator('h1').innerText()).toContain('新华信〔2026〕1号');
    expect(await lead.content()).toContain('赵建华');
    // Back to the district's page from the community's.
    await lead.getByRole('link', { name: '全街道（区）' }).click();
    expect(new URL(lead.url()).pathname).toBe('/c/');
    await expect.poll(() => lead.locator('h1').innerText()).toBe('全街道（区）');
  });
});
