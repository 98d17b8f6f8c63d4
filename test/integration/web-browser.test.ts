/**
 * A clerk's day in a real browser (Debian's Chromium driven by playwright-core) against the real
 * `xinfang start`: sign in, upload a sample scan, see it registered, correct a field; the leader
 * instructs; the handler accepts, replies and closes; the archivist sees it closed, ready to bind.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { startCli } from '../helpers/run-cli.js';
import { signedScan } from '../helpers/signed-sheet.js';
import { cliPath, makeWorkspace, scan } from '../helpers/workspace.js';

let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');


function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name);
}

beforeAll(async () => {
  root = await makeWorkspace();
  for (const [name, role] of [['刘芳', '登记员'], ['张主任', '领导'], ['李文', '经办人'], ['王档', '档案员']]) {
    const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const web = await startWeb(root);
  server = web.server;
  expect(web.said).toContain(web.base);
  base = web.base;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
});

describe('a clerk\'s day in the browser', () => {
  it('takes a scan from upload to a closed case through every role', async () => {
    const clerk = await signIn('刘芳');
    await clerk.getByRole('link', { name: '收件箱' }).click();
    await clerk.getByLabel('选择扫描件').setInputFiles(scan('S01.jpg'));
    await clerk.getByRole('button', { name: '上传' }).click();
    await expect.poll(async () => clerk.locator('#uploaded').innerText(), { timeout: 30_000 }).toContain('S01.jpg');
    // The inbox refreshes itself: the new case appears without a reload.
    const link = clerk.getByRole('link', { name: '八宝信〔2026〕1号' });
    await link.waitFor({ timeout: 120_000 });
    await screenshot(clerk, path.join(shots, 'inbox.png'));
    await link.click();
    await expect.poll(() => clerk.locator('h1').innerText()).toContain('八宝信〔2026〕1号');
    // The scan is shown beside the fields, its first page as an image the server derived.
    const firstPage = clerk.locator('figure.page img').first();
    await firstPage.waitFor();
    expect(await firstPage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(400);
    // Personal details are masked until asked for (and the view recorded).
    await clerk.getByRole('button', { name: '显示完整信息' }).click();
    await clerk.getByLabel('联系电话').fill('13911112222');
    await clerk.getByRole('button', { name: '保存更正' }).click();
    await expect.poll(() => clerk.locator('.done').innerText()).toContain('已更正');
    expect(await clerk.getByLabel('联系电话').inputValue()).toBe('13911112222');
    // A clerk is offered no instruction form: that is the leader's.
    expect(await clerk.locator('form.step legend', { hasText: '批示' }).count()).toBe(0);
    await screenshot(clerk, path.join(shots, 'case-clerk.png'));

    // The blank instruction sheet, printed, signed by the leader on paper and scanned back in by the clerk.
    const blank = clerk.locator('ul.documents a', { hasText: /^批办单\.pdf$/ });
    await expect.poll(async () => (await clerk.reload(), blank.count()), { timeout: 60_000, interval: 1000 }).toBe(1);
    const sheetPdf = Buffer.from(await (await clerk.request.get(`${base}${await blank.getAttribute('href')}`)).body());
    await clerk.getByRole('link', { name: '收件箱' }).click();
    await clerk.getByLabel('选择扫描件').setInputFiles({ name: '签批单.jpg', mimeType: 'image/jpeg', buffer: await signedScan(sheetPdf) });
    await clerk.getByRole('button', { name: '上传' }).click();
    await expect.poll(async () => clerk.locator('#uploaded').innerText(), { timeout: 30_000 }).toContain('签批单.jpg');
    // Filed to its case, not registered as a new letter.
    await clerk.goto(`${base}/cases/2026-1`);
    await expect.poll(async () => (await clerk.reload(), clerk.locator('ul.documents').innerText()), { timeout: 120_000, interval: 2000 }).toContain('收回的纸质件 · 批办单');

    // The leader transcribes the instruction from the signed sheet shown beside the form, by keyboard alone.
    const leader = await signIn('张主任');
    await leader.goto(`${base}/cases/2026-1`);
    await leader.getByRole('link', { name: '对照签批单录入批示' }).click();
    const sheet = leader.locator('section.scan figure.page img').first();
    await sheet.waitFor();
    await expect.poll(() => sheet.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(400);
    const [sheetBox, formBox] = [await leader.locator('section.scan').boundingBox(), await leader.locator('form.step').boundingBox()];
    expect(formBox!.x).toBeGreaterThan(sheetBox!.x + sheetBox!.width - 1);
    expect(formBox!.y).toBeLessThan(768);
    await screenshot(leader, path.join(shots, 'transcribe.png'));
    // Tab walks from the top of the page to the instruction, each stop visibly outlined.
    const focused = () => leader.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { id: el.id, outline: getComputedStyle(el).outlineStyle };
    });
    let stop = { id: '', outline: '' };
    for (let i = 0; i < 30 && stop.id !== 'text'; i++) {
      await leader.keyboard.press('Tab');
      stop = await focused();
      expect(stop.outline).not.toBe('none');
    }
    expect(stop.id).toBe('text');
    await leader.keyboard.type('请城建办协调处理，按期答复。');
    await leader.keyboard.press('Tab');
    expect((await focused()).id).toBe('handler');
    await leader.keyboard.type('李文');
    await leader.keyboard.press('Enter');
    await expect.poll(() => leader.locator('.done').innerText()).toContain('已批示');

    const handler = await signIn('李文');
    await handler.goto(`${base}/cases/2026-1`);
    await handler.getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(() => handler.locator('.done').innerText()).toContain('已受理');
    await handler.getByLabel('处理意见').selectOption('予以支持');
    await handler.getByLabel('查明的事实和理由').fill('经协调，工棚已于11月18日拆除，人行道恢复通行。');
    await handler.getByRole('button', { name: '答复', exact: true }).click();
    await expect.poll(() => handler.locator('.done').innerText()).toContain('已答复');
    await handler.getByRole('button', { name: '办结', exact: true }).click();
    await expect.poll(() => handler.locator('.done').innerText()).toContain('已办结');
    const history = await handler.locator('ol.timeline').innerText();
    for (const who of ['刘芳', '张主任', '李文']) expect(history).toContain(who);
    // The signed sheet she scanned back in is filed under her name too.
    expect(history).toMatch(/纸质文书归档 刘芳：收回领导签批的批办单/);
    // The letter the clerk uploaded is registered under her name, not the program's.
    expect(await handler.locator('ol.timeline li').first().innerText()).toContain('刘芳');
    await screenshot(handler, path.join(shots, 'case-closed.png'));

    const archivist = await signIn('王档');
    await archivist.goto(`${base}/cases?status=closed`);
    expect(await archivist.locator('table.list').innerText()).toContain('八宝信〔2026〕1号');
    // Opening the reply letter goes through the registry, as a PDF.
    await archivist.goto(`${base}/cases/2026-1`);
    const reply = archivist.locator('ul.documents a', { hasText: '信访处理意见书.pdf' });
    const href = await reply.getAttribute('href');
    const response = await archivist.request.get(`${base}${href}`);
    expect(response.headers()['content-type']).toBe('application/pdf');
    // The archivist binds it from the archive page.
    await archivist.getByRole('link', { name: '档案' }).click();
    expect(await archivist.locator('section.panel').first().innerText()).toContain('八宝信〔2026〕1号');
    await archivist.getByRole('button', { name: '给勾选的案件立卷' }).click();
    await expect.poll(() => archivist.locator('.done').innerText(), { timeout: 60_000 }).toMatch(/八宝信〔2026〕1号 已立卷，档号 Z109-XF·2026-D30-0001/);
    await screenshot(archivist, path.join(shots, 'archive.png'));
    await archivist.getByRole('link', { name: '登记簿' }).click();
    expect(await archivist.locator('table.book').innerText()).toContain('八宝信〔2026〕1号');
    await screenshot(archivist, path.join(shots, 'book.png'));
  }, 300_000);

  it('runs nothing a letter says, whatever is typed into a form', async () => {
    const clerk = await signIn('刘芳');
    let dialogs = 0;
    clerk.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await clerk.goto(`${base}/register`);
    await clerk.getByLabel('信访人').fill('<img src=x onerror=alert(1)>');
    await clerk.getByLabel('反映的问题和诉求').fill('<script>alert(2)</script>路灯不亮');
    await clerk.getByRole('button', { name: '登记' }).click();
    // The visitor's acknowledgement, printable, then the case itself.
    await expect.poll(() => clerk.locator('section.receipt').innerText()).toContain('八宝信〔2026〕2号');
    expect(await clerk.locator('section.receipt').innerText()).toContain('<script>alert(2)</script>路灯不亮');
    await screenshot(clerk, path.join(shots, 'receipt.png'));
    await clerk.getByRole('link', { name: '回到案件' }).click();
    expect(await clerk.locator('section.scan').innerText()).toContain('<script>alert(2)</script>路灯不亮');
    expect(await clerk.locator('#f-name').inputValue()).toBe('<img src=x onerror=alert(1)>');
    expect(dialogs).toBe(0);
  }, 120_000);
});
