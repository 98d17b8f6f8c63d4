/**
 * 包案 and 一岗双责 in a real browser (Debian's Chromium driven by playwright-core) against the real
 * `xinfang start`: a leader takes charge of a case and sees it on the case page and in the case
 * list; a cadre records a zero report for a linked unit and the list of who has not screened
 * shrinks, with the daily screening of the sensitive period asked for.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../src/domain/calendar.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { readPdf } from '../helpers/pdf.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { startCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
let caseNumber: string;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');
// The server runs on the system clock: the sensitive period is put around today.
const today = localDate(new Date(), 'Asia/Shanghai');

function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name, { height: 900, acceptDownloads: true });
}

beforeAll(async () => {
  root = await makeWorkspace({
    workflow: { blankSheets: false },
    duties: { links: [{ cadre: '张明', units: ['幸福里物业', '第二幼儿园'], enterprises: [] }], sensitivePeriods: [{ name: '重要会议期间', from: today, to: addDays(today, 1) }] },
  });
  for (const [name, role] of [['王主任', '领导'], ['张明', '经办人']]) {
    const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const office = await officeAt(root, { background: 'none' });
  const c = await office.cases.register(terminal, { channel: '来访', matter: '小区停车位被占用，物业不处理，请求协调。', fields: { name: '赵六' } });
  caseNumber = c.number;
  expect(await office.duties.seedLinks(terminal)).toHaveLength(2);
  await office.close();

  const web = await startWeb(root);
  server = web.server;
  base = web.base;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
});

describe('包案 and 一岗双责 in the browser', () => {
  it('a leader takes charge of a case and sees it on the case page and in the case list', async () => {
    const leader = await signIn('王主任');
    await leader.getByRole('link', { name: '案件列表' }).click();
    await leader.getByRole('link', { name: caseNumber }).click();
    await expect.poll(() => leader.locator('#case-leader').innerText()).toContain('尚无领导包案');
    await leader.getByRole('button', { name: '由我包案' }).click();
    await expect.poll(() => leader.locator('p.done').innerText()).toContain('已包案');
    expect(await leader.locator('#case-leader').innerText()).toContain('包案领导：王主任');
    expect(await leader.locator('.timeline').innerText()).toContain('王主任包案');
    expect(await leader.getByRole('button', { name: '由我包案' }).count()).toBe(0);
    await screenshot(leader, path.join(shots, 'duties-case-leader.png'));
    await leader.getByRole('link', { name: '案件列表' }).click();
    expect(await leader.locator('td.case-leader').first().innerText()).toBe('王主任');

    // The statistics count it under the leader, and the count opens the case.
    await leader.getByRole('link', { name: '统计' }).click();
    const count = leader.locator('a[data-figure="case-leader"]');
    expect(await count.innerText()).toBe('1');
    await count.click();
    expect(await leader.locator('td.case-leader').allInnerTexts()).toEqual(['王主任']);

    // The reception days: the leader puts one on the schedule through the form.
    await leader.getByRole('link', { name: '接访日' }).click();
    await leader.getByLabel('接访日期').fill(today);
    await leader.getByLabel('接访领导').fill('王主任');
    await leader.getByLabel('接访地点').fill('社区一楼接待室');
    await leader.getByLabel('接访时间').fill('9:00—12:00');
    await leader.getByRole('button', { name: '安排' }).click();
    await expect.poll(() => leader.locator('p.done').innerText()).toContain('已安排接访日');
    expect(await leader.locator('#reception-days tbody').innerText()).toContain('社区一楼接待室');
    await screenshot(leader, path.join(shots, 'duties-reception.png'));
  });

  it('a cadre records a zero report and the not-screened list shrinks', async () => {
    const cadre = await signIn('张明');
    await cadre.getByRole('link', { name: '一岗双责' }).click();
    const pending = cadre.locator('#not-screened li');
    await expect.poll(() => pending.allInnerTexts()).toEqual(['张明：幸福里物业', '张明：第二幼儿园']);
    expect(await cadre.locator('#daily-demand').innerText()).toContain('每日排查');
    await cadre.getByRole('button', { name: '张明 幸福里物业 今天排查未发现矛盾纠纷，报零报告' }).click();
    await expect.poll(() => cadre.locator('p.done').innerText()).toContain('已登记零报告');
    await expect.poll(() => pending.allInnerTexts()).toEqual(['张明：第二幼儿园']);
    expect(await cadre.locator('#daily-demand').innerText()).toContain('今天尚未排查：张明：第二幼儿园');
    expect(await cadre.locator('#screenings').innerText()).toContain('未发现矛盾纠纷（零报告）');
    await screenshot(cadre, path.join(shots, 'duties-zero-report.png'));
  });

  it('the leader reads the year\'s 考核, opens the cases behind a figure, and downloads the report', async () => {
    const leader = await signIn('王主任');
    await leader.getByRole('link', { name: '考核' }).click();
    await leader.getByLabel('按年').check();
    await leader.getByLabel('年度').fill(today.slice(0, 4));
    await leader.getByRole('button', { name: '查看' }).click();
    await expect.poll(() => leader.locator('h1').innerText()).toContain(`${today.slice(0, 4)}年`);
    const row = (name: string) => leader.locator('tbody tr', { has: leader.locator('th', { hasText: name }) });
    // The leader in charge of the case counts it; the cadre's zero report counts as a screening done.
    expect(await row('王主任').innerText()).toContain('包案领导');
    expect(await row('张明').locator('td').nth(-2).innerText()).toBe('1／2');
    await screenshot(leader, path.join(shots, 'duties-assess.png'));
    const handled = row('王主任').locator('a[data-figure="handled"]');
    expect(await handled.innerText()).toBe('1');
    await handled.click();
    await expect.poll(() => leader.locator('h1').innerText()).toContain('共 1 件');
    expect(await leader.locator('tbody').innerText()).toContain(caseNumber);
    await leader.goBack();
    const [download] = await Promise.all([leader.waitForEvent('download'), leader.getByRole('link', { name: 'PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/考核.*\.pdf$/);
    const text = (await readPdf(readFileSync((await download.path())!))).pages.map((p) => p.text).join('').replace(/\s/g, '');
    expect(text).toContain('王主任');
    expect(text).toContain('张明');
  }, 60_000);
});
