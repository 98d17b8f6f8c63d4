/**
 * An informant's report of an early sign in a real browser (Debian's Chromium driven by
 * playwright-core) against the real `xinfang start`: the informant signs in and lands on the
 * reports page, reports with the form; a leader on another page is told at once by the banner,
 * which names who is on duty today; the leader opens the report from the banner and closes it with
 * what was done; the informant sees the ending on their report.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/calendar.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { startCli } from '../helpers/run-cli.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { cliPath, makeWorkspace } from '../helpers/workspace.js';

let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');
const cli = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], { input, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

/** An informant's desk is the reports page: signing in lands there, not on the dashboard. */
async function signInAsInformant(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/signs`);
  return page;
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  for (const [name, role] of [['张主任', '领导'], ['赵信息', '信息员']]) cli(['user', 'add', name!, '--role', role!, '--password-stdin'], `${PASSWORD}\n`);
  // Today in the office's time zone, as the running server sees it.
  const today = localDate(new Date(), 'Asia/Shanghai');
  cli(['contact', 'set', '张主任', '--post', '组长', '--phone', '13800000001', '--by', '管理员']);
  cli(['roster', 'set', '--day', today, '--person', '张主任', '--post', '带班领导', '--by', '管理员']);
  const web = await startWeb(root);
  server = web.server;
  base = web.base;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
});

describe('an informant’s report in the browser', () => {
  it('is reported on the form, told to a leader at once naming who is on duty, and closed from the banner', async () => {
    const leader = await signInAs(browser, base, '张主任');
    await leader.goto(`${base}/cases`);
    await leader.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const informant = await signInAsInformant('赵信息');
    expect(await informant.getByRole('link', { name: '案件列表' }).count()).toBe(0);
    await informant.getByLabel('地点或单位').fill('幸福里小区3号楼');
    await informant.getByLabel('涉及人员').fill('十余户业主');
    await informant.getByLabel('苗头情况（正在酝酿什么）').fill('业主商量周末去区政府门口拉横幅讨要维修基金');
    await informant.getByLabel('风险等级').selectOption('高');
    await informant.getByRole('button', { name: '报告' }).click();
    await informant.waitForURL(/\/signs\/\d{4}-1$/);
    const number = /八宝信息〔\d{4}〕1号/.exec(await informant.locator('h1').innerText())![0];
    expect(await informant.locator('dl').innerText()).toContain('赵信息（信息员');

    const item = leader.locator('#alerts .alert-item', { hasText: '苗头信息' });
    await item.waitFor({ timeout: 30_000 });
    const said = await item.innerText();
    expect(said).toContain(number);
    expect(said).toContain('拉横幅');
    expect(said).toContain('今日值班：张主任（13800000001）');
    expect(await leader.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(leader, path.join(shots, 'sign-alert-banner.png'));

    await item.getByRole('link').click();
    await leader.waitForURL(/\/signs\/\d{4}-1$/);
    await leader.getByLabel('处置情况（做了什么）').fill('社区已约见业主代表，维修基金申请材料本周报区住建委');
    await leader.getByRole('button', { name: '办结' }).click();
    await leader.waitForURL(/\/signs\/\d{4}-1$/);
    expect(await leader.locator('h1').innerText()).toContain('已办结');

    await informant.reload();
    expect(await informant.locator('h1').innerText()).toContain('已办结');
    expect(await informant.locator('dl').innerText()).toContain('社区已约见业主代表');
    await screenshot(informant, path.join(shots, 'sign-closed.png'));
  }, 120_000);
});
