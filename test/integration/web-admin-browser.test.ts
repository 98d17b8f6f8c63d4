/**
 * 管理 and 审计日志 in a real browser (Debian's Chromium driven by playwright-core) against the
 * real `xinfang start`: the administrator edits a template, is stopped by a broken placeholder
 * before saving, saves a good one, and the next document issued through the web carries it (read
 * back from the PDF and the DOCX); a clerk does not reach 管理; a clerk's 显示完整信息 is in the
 * log the administrator reads.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { readPdf } from '../helpers/pdf.js';
import { startCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace } from '../helpers/workspace.js';

const NEW_WORDING = '感谢您对社区工作的监督';
let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');


function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], { input, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name, { height: 900 });
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  for (const [name, role] of [['张管', '管理员'], ['刘芳', '登记员'], ['张主任', '领导']]) cli(['user', 'add', name!, '--role', role!, '--password-stdin'], `${PASSWORD}\n`);
  cli(['register', '--channel', '来访', '--name', '王秀兰', '--phone', '13900000001', '--id-number', '110108198801011235', '--matter', '楼下烧烤店油烟扰民，请处理。']);
  cli(['instruct', '1', '--leader', '张主任', '--text', '请综治办核实处理', '--handler', '李文']);
  const web = await startWeb(root);
  server = web.server;
  base = web.base;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
});

describe('管理 in the browser', () => {
  it('stops a broken placeholder before saving, saves a good template, and the next document uses it', async () => {
    const file = path.join(root, 'templates', '受理告知书.hbs');
    const original = readFileSync(file, 'utf8');
    const admin = await signIn('张管');
    await admin.getByRole('link', { name: '管理' }).click();
    await admin.getByRole('link', { name: '文书模板' }).click();
    await admin.getByRole('link', { name: '受理告知书', exact: true }).click();
    const text = admin.getByLabel(/模板内容/);
    expect(await text.inputValue()).toBe(original);
    const check = admin.locator('#template-check');
    expect(await check.innerText()).toContain('检查通过');

    // The check runs as the administrator types: the broken brace is named before anything is saved.
    await text.fill(original.replace('{{经办人}}', '{{经办人'));
    await expect.poll(() => check.innerText(), { timeout: 10_000 }).toContain('花括号不成对');
    await text.fill(original.replace('{{办结期限}}', '{{办结期线}}'));
    await expect.poll(() => check.innerText(), { timeout: 10_000 }).toContain('没有“{{办结期线}}”这项内容，是不是“{{办结期限}}”？');
    await screenshot(admin, path.join(shots, 'admin-template-broken.png'));
    await admin.getByRole('button', { name: '保存模板' }).click();
    await expect.poll(() => admin.locator('.error').first().innerText()).toContain('改好之前不能保存');
    expect(readFileSync(file, 'utf8')).toBe(original);

    const good = original.replace('特此告知。', `特此告知，${NEW_WORDING}。`);
    await admin.getByLabel(/模板内容/).fill(good);
    await expect.poll(() => admin.locator('#template-check').innerText(), { timeout: 10_000 }).toContain(NEW_WORDING);
    expect(await admin.locator('#template-check').innerText()).toContain('检查通过');
    await admin.getByRole('button', { name: '保存模板' }).click();
    await expect.poll(() => admin.locator('.done').first().innerText()).toContain('已保存');
    expect(readFileSync(file, 'utf8')).toBe(good);
    await admin.getByRole('link', { name: '历次版本' }).click();
    expect(await admin.locator('h2').allInnerTexts()).toEqual([expect.stringMatching(/^第 2 版 · 张管 · .*（现用）$/), expect.stringMatching(/^第 1 版 · （原模板文件） · /)]);

    // The clerk accepts the case in the browser; the notice it makes has the new wording.
    const clerk = await signIn('刘芳');
    await clerk.goto(`${base}/cases/2026-1`);
    await clerk.getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(() => clerk.locator('.done').innerText()).toContain('已受理');
    const link = clerk.locator('ul.documents a', { hasText: /^受理告知书\.pdf$/ });
    const pdf = Buffer.from(await (await clerk.request.get(`${base}${await link.getAttribute('href')}`)).body());
    const pdfText = (await readPdf(pdf)).pages.map((p) => p.text).join('').replace(/\s+/g, '');
    expect(pdfText).toContain(`特此告知，${NEW_WORDING}。`);
    const docxLink = clerk.locator('ul.documents a', { hasText: /^受理告知书\.docx$/ });
    const docx = Buffer.from(await (await clerk.request.get(`${base}${await docxLink.getAttribute('href')}`)).body());
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    expect(xml.replace(/<[^>]+>/g, '')).toContain(NEW_WORDING);
  });

  it('does not let a clerk reach the admin pages', async () => {
    const clerk = await signIn('刘芳');
    expect(await clerk.getByRole('link', { name: '管理' }).count()).toBe(0);
    expect(await clerk.getByRole('link', { name: '审计日志' }).count()).toBe(0);
    for (const url of ['/admin', '/admin/users', '/admin/templates', '/admin/settings', '/audit']) {
      const response = await clerk.goto(`${base}${url}`);
      expect(response?.status(), url).toBe(403);
      expect(await clerk.locator('.error').innerText()).toContain('您的身份（登记员）不能');
    }
  });

  it('records a clerk\'s 显示完整信息, which the administrator finds in the log', async () => {
    const clerk = await signIn('刘芳');
    await clerk.goto(`${base}/cases/2026-1`);
    const phone = clerk.locator('#f-phone');
    expect(await phone.innerText()).not.toContain('13900000001');
    await clerk.getByRole('button', { name: '显示完整信息' }).click();
    await expect.poll(() => clerk.getByLabel('联系电话').inputValue()).toBe('13900000001');
    expect(await clerk.getByLabel('身份证号').inputValue()).toBe('110108198801011235');

    const admin = await signIn('张管');
    await admin.getByRole('link', { name: '审计日志' }).click();
    await admin.getByLabel('种类').selectOption({ label: '查看完整个人信息' });
    await admin.getByLabel('人员').fill('刘芳');
    await admin.getByRole('button', { name: '查找' }).click();
    const rows = admin.locator('table.audit tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const row = await rows.first().innerText();
    expect(row).toContain('刘芳');
    expect(row).toContain('八宝信〔2026〕1号');
    expect(row).toContain('查看了完整的身份证号、联系电话、住址');
    await screenshot(admin, path.join(shots, 'audit.png'));
  });
});
