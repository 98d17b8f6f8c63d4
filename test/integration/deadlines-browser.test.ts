/**
 * The deadline edges of the office's rules in a real browser (Debian's Chromium driven by
 * playwright-core) against the real `xinfang start`, its clock fixed by XINFANG_NOW and moved by
 * starting the server again: a transfer arriving the day before the National Day holiday is
 * signed for and its 5 working days to send it back run past the holiday and the adjusted
 * Saturday; a return on the last day is taken, the day after the page offers none and says why; a 督办 and then an
 * extension: the handling deadline moves, the 督办's due date stays.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/domain/case.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { makeWorkspace, officeAt } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');
let root: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof startWeb>> | undefined;
let transfer: Case;
let lateTransfer: Case;
let handled: Case;

/** The server as it is on that day (10:00 in the office's time zone). */
async function serveOn(day: string): Promise<string> {
  if (server) {
    const stopping = new Promise((resolve) => server!.server.once('exit', resolve));
    server.server.kill('SIGTERM');
    await stopping;
  }
  process.env.XINFANG_NOW = new Date(`${day}T10:00:00+08:00`).toISOString();
  try {
    server = await startWeb(root);
  } finally {
    delete process.env.XINFANG_NOW;
  }
  return server.base;
}

/** The date in a line such as "下一期限：办结期限 2027年1月1日（…）", as a day number. */
function dayOf(line: string): number {
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(line);
  expect(m, line).not.toBeNull();
  return Date.UTC(Number(m![1]), Number(m![2]) - 1, Number(m![3])) / 86_400_000;
}

const caseRef = (c: Case) => `${c.year}-${c.seq}`;

async function openCase(page: Page, base: string, c: Case): Promise<void> {
  await page.goto(`${base}/cases/${caseRef(c)}`);
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  const at = (d: string) => () => new Date(`${d}T10:00:00+08:00`);
  let office = await officeAt(root, { clock: at('2025-09-30'), background: 'none' });
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人']] as const) await office.users.add(terminal, { name, role, password: PASSWORD });
  const from = { office: '八宝街道办事处', number: '八街转〔2025〕31号' };
  transfer = await office.cases.register(terminal, { channel: '转办', matter: '反映企业拖欠工资。', fields: { name: '周建国', summary: '反映企业拖欠工资' }, transfer: from });
  lateTransfer = await office.cases.register(terminal, { channel: '转办', matter: '反映小区违建。', fields: { name: '孙丽', summary: '反映小区违建' }, transfer: { ...from, number: '八街转〔2025〕32号' } });
  await office.close();
  office = await officeAt(root, { clock: at('2026-11-02'), background: 'none' });
  handled = await office.cases.register(terminal, { channel: '来访', matter: '反映供暖不热。', fields: { name: '王秀兰', summary: '反映供暖不热' } });
  await office.workflow.instruct(terminal, handled, { leader: '张主任', text: '请物业办处理', handler: '李文' });
  await office.workflow.accept(terminal, await office.cases.find(handled.number));
  await office.close();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.server.kill('SIGTERM');
});

describe('deadlines in the browser', () => {
  it('signs for a transfer the day before the National Day holiday: 5 working days to send it back run to 14 October', async () => {
    const base = await serveOn('2025-09-30');
    const clerk = await signInAs(browser, base, '刘芳', { height: 900 });
    for (const c of [transfer, lateTransfer]) {
      await openCase(clerk, base, c);
      await expect.poll(() => clerk.locator('.transfer-in').innerText()).toContain('尚未签收');
      const sign = clerk.locator('form.step', { has: clerk.getByRole('button', { name: '签收' }) });
      await sign.getByRole('button', { name: '签收' }).click();
      await clerk.waitForURL(`${base}/cases/${caseRef(c)}?done=sign`);
    }
    // 1–8 October are the holiday; Saturday 11 October is a working day: 9, 10, 11, 13, 14.
    const line = await clerk.locator('.transfer-in').innerText();
    expect(line).toContain('已签收：刘芳，2025年9月30日');
    expect(line).toContain('须于 2025年10月14日 前退回');
    await screenshot(clerk, path.join(shots, 'transfer-signed-before-holiday.png'));
  });

  it('takes a return on the last working day and offers none the day after, saying why in Chinese', async () => {
    let base = await serveOn('2025-10-14');
    let leader = await signInAs(browser, base, '张主任', { height: 900 });
    await openCase(leader, base, transfer);
    const giveBack = (page: Page) => page.locator('form.step', { has: page.getByRole('button', { name: '退回' }) });
    await giveBack(leader).getByLabel('退回的理由').fill('属区人社局职责');
    await giveBack(leader).getByRole('button', { name: '退回' }).click();
    await expect.poll(() => leader.locator('.transfer-in').innerText()).toContain('已退回交办单位（2025年10月14日）：属区人社局职责');

    base = await serveOn('2025-10-15');
    leader = await signInAs(browser, base, '张主任', { height: 900 });
    await openCase(leader, base, lateTransfer);
    // The day after: no form to send it back, the reason in its place (the server refuses a
    // forged request the same way: web-transfer-supervision-http.test.ts).
    expect(await giveBack(leader).count()).toBe(0);
    const refused = leader.locator('p.refused', { hasText: '退回' });
    expect(await refused.innerText()).toContain('退回期限（2025年10月14日）已过');
    await screenshot(leader, path.join(shots, 'return-refused-after-deadline.png'));
    expect(await leader.locator('.transfer-in').innerText()).toContain('已签收：刘芳');
  });

  it('extends a case under a 督办: the handling deadline moves by the days granted, the 督办 keeps its due date', async () => {
    const base = await serveOn('2026-11-05');
    const leader = await signInAs(browser, base, '张主任', { height: 1000 });
    await openCase(leader, base, handled);
    const before = await leader.locator('p', { hasText: '下一期限' }).first().innerText();
    const supervise = leader.locator('form.step', { has: leader.getByRole('button', { name: '督办', exact: true }) });
    await supervise.getByLabel('督办人').fill('区信访局');
    await supervise.getByLabel('督办要求').fill('请于十日内查明原因并书面反馈');
    await supervise.getByLabel('反馈期限').fill('2026-11-15');
    await supervise.getByRole('button', { name: '督办', exact: true }).click();
    await expect.poll(() => leader.locator('#supervision').innerText()).toContain('督办期限 2026年11月15日');

    const extend = leader.locator('form.step', { has: leader.getByRole('button', { name: '延期' }) });
    await extend.getByLabel(/延长天数/).fill('30');
    await extend.getByLabel('延期理由').fill('需更换供暖主管道');
    await extend.getByRole('button', { name: '延期' }).click();
    await expect.poll(() => leader.locator('.status, body').first().innerText()).toContain('已延期');
    const after = await leader.locator('p', { hasText: '下一期限' }).first().innerText();
    // 30 days more, counted as the settings count handling time (自然日 by default).
    expect(dayOf(after) - dayOf(before)).toBe(30);
    expect(await leader.locator('#supervision').innerText()).toContain('督办期限 2026年11月15日（尚未反馈）');
    await screenshot(leader, path.join(shots, 'extended-under-supervision.png'));
  });
});
