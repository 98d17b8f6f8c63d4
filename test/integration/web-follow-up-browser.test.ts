/**
 * 回访 and 复查 in a real browser (Debian's Chromium driven by playwright-core) against the real
 * `xinfang start`: the handler records the return visit through the case page's form, the clerk
 * uploads the petitioner's request for 复查 (a plain form upload, its token in the address) and
 * the case page then shows the review with its answer date and the paper among the files.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chineseDate, localDate } from '../../src/domain/calendar.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { startCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
let number: string;
let caseRef: string;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');

function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name, { height: 1200 });
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  for (const [name, role] of [['刘芳', '登记员'], ['李文', '经办人']]) {
    const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  // A case replied to today, through the services, on the registry the server then opens.
  const office = await officeAt(root, { background: 'none' });
  const c = await office.cases.register(terminal, { channel: '来访', matter: '小区路灯损坏，夜间出行不便。', fields: { name: '王秀兰' } });
  await office.workflow.instruct(terminal, c, { leader: '张主任', text: '请城建办处理', handler: '李文' });
  await office.workflow.accept(terminal, await office.cases.find(c.number));
  await office.workflow.reply(terminal, await office.cases.find(c.number), { outcome: '解释说明', facts: '路灯属供电公司维护，已转告。' });
  number = c.number;
  caseRef = `${c.year}-${c.seq}`;
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

describe('回访 and 复查 in the browser', () => {
  it('lets the handler record the return visit and the clerk upload the request for 复查, shown on the case page', async () => {
    const today = localDate(new Date(), 'Asia/Shanghai');
    const handler = await signIn('李文');
    await handler.goto(`${base}/cases/${caseRef}`);
    const visit = handler.locator('form', { has: handler.getByRole('button', { name: '回访', exact: true }) });
    await visit.getByLabel('回访方式').selectOption('电话');
    await visit.getByLabel('信访人评价').selectOption('不满意');
    await visit.getByLabel('回访情况').fill('认为维修太慢');
    await visit.getByRole('button', { name: '回访', exact: true }).click();
    await handler.waitForURL(/done=visit/);
    const lines = handler.locator('#follow-up');
    expect(await lines.innerText()).toContain(`回访：${chineseDate(today)} 电话回访（李文），信访人评价：不满意；认为维修太慢`);

    const clerk = await signIn('刘芳');
    await clerk.goto(`${base}/cases/${caseRef}`);
    const doc = await PDFDocument.create();
    doc.addPage([595.28, 841.89]);
    const request = clerk.locator('form', { has: clerk.getByLabel('申请材料（PDF、JPEG 或 PNG，可选多个）') });
    await request.getByLabel('复查机关').fill('八宝街道办事处');
    await request.getByLabel('申请材料（PDF、JPEG 或 PNG，可选多个）').setInputFiles({ name: '复查申请书.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) });
    await request.getByRole('button', { name: '登记复查（复核）申请' }).click();
    await clerk.waitForURL(/done=request-review/);
    await screenshot(clerk, path.join(shots, 'case-review-requested.png'));
    expect(await clerk.locator('#follow-up').innerText()).toContain(`复查：${chineseDate(today)} 向八宝街道办事处申请，应于 ${chineseDate(addDays(today, 30))} 前作出复查意见；结论：尚未作出`);
    expect(await clerk.locator('.documents').innerText()).toContain('收到的材料 · 复查申请');
    expect(await clerk.getByLabel('复查结论').count()).toBe(1);

    const office = await officeAt(root, { background: 'none' });
    try {
      const c = await office.cases.find(number);
      expect(c.documents.filter((d) => d.role === 'received').map((d) => d.sourceName)).toEqual(['复查申请书.pdf']);
      expect(c.history.map((h) => [h.action, h.actor]).slice(-2)).toEqual([['visited', '李文'], ['review-requested', '刘芳']]);
    } finally {
      await office.close();
    }
  });
});
