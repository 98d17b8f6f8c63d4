/**
 * The records in a real browser (Debian's Chromium driven by playwright-core) against the real
 * `xinfang start`: the archivist binds a closed case and downloads its volume; the clerk previews
 * a notice with a field missing, cannot issue it, fills it in and issues it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/files/hash.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { readPdf } from '../helpers/pdf.js';
import { startCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt } from '../helpers/workspace.js';

const terminal = { name: '管理员（终端）' };
let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
let closedNumber: string;
let openRef: string;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');


function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name, { height: 900, acceptDownloads: true });
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  for (const [name, role] of [['刘芳', '登记员'], ['王档', '档案员']]) {
    const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  // Two cases through the services, on the same registry the server then opens: one closed, one just registered.
  const office = await officeAt(root, { background: 'none' });
  const closed = await office.cases.register(terminal, { channel: '来访', matter: '小区路灯损坏，夜间出行不便。', fields: { name: '王秀兰', phone: '13900000001' } });
  await office.workflow.instruct(terminal, closed, { leader: '张主任', text: '请城建办处理', handler: '李文' });
  await office.workflow.accept(terminal, await office.cases.find(closed.number));
  await office.workflow.reply(terminal, await office.cases.find(closed.number), { outcome: '予以支持', facts: '路灯已于次日修复。' });
  await office.workflow.close(terminal, await office.cases.find(closed.number));
  closedNumber = closed.number;
  const open = await office.cases.register(terminal, { channel: '来信', matter: '楼道堆放杂物，存在消防隐患。', fields: { name: '赵六' } });
  openRef = `${open.year}-${open.seq}`;
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

describe('the records in the browser', () => {
  it('lets the archivist bind a closed case and download its volume, the very PDF the registry holds', async () => {
    const archivist = await signIn('王档');
    await archivist.getByRole('link', { name: '档案' }).click();
    const box = archivist.getByRole('checkbox', { name: closedNumber });
    expect(await box.isChecked()).toBe(true);
    await archivist.getByRole('button', { name: '给勾选的案件立卷' }).click();
    await expect.poll(() => archivist.locator('.done').innerText()).toContain(`${closedNumber} 已立卷`);
    await screenshot(archivist, path.join(shots, 'archive-bound.png'));
    const [download] = await Promise.all([archivist.waitForEvent('download'), archivist.locator('.done a', { hasText: '下载' }).first().click()]);
    const bytes = readFileSync((await download.path())!);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    const office = await officeAt(root, { background: 'none' });
    try {
      const volume = (await office.cases.find(closedNumber)).documents.find((d) => d.role === 'volume')!;
      expect(sha256(bytes)).toBe(volume.sha256);
      expect(bytes.equals(readFileSync(office.paths.absolute(volume.path)))).toBe(true);
    } finally {
      await office.close();
    }
    const text = (await readPdf(bytes)).pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    expect(text).toContain('信访案卷');
  });

  it('previews a notice with a field missing, will not issue it, and issues it once it is filled in', async () => {
    const clerk = await signIn('刘芳');
    await clerk.goto(`${base}/cases/${openRef}`);
    await clerk.getByRole('link', { name: '预览、填写、出具文书' }).click();
    const draft = clerk.waitForResponse((r) => r.url().includes('/draft.pdf'));
    await clerk.getByRole('link', { name: '延期告知书' }).click();
    // The frame asks for the draft PDF; the same address read back is the draft with its holes marked.
    const pdf = await draft;
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const frameSrc = await clerk.locator('iframe.letter-preview').getAttribute('src');
    const drafted = await clerk.request.get(`${base}${frameSrc}`);
    expect((await readPdf(Buffer.from(await drafted.body()))).pages.map((p) => p.text.replace(/\s+/g, '')).join('')).toContain('【待填：延期理由】');
    await expect.poll(() => clerk.getByRole('alert').innerText()).toContain('还缺少');
    const issue = clerk.getByRole('button', { name: '出具' });
    expect(await issue.isDisabled()).toBe(true);
    await screenshot(clerk, path.join(shots, 'letter-missing.png'));

    // Filled in one by one, the preview shows it; once nothing is missing, it may be issued.
    const missing = clerk.locator('.field.missing input, .field.missing textarea');
    const values: Record<string, string> = { 延期理由: '需要现场勘验', 延长天数: '30', 新办结期限: '2027年1月20日', 受理日期: '2026年11月21日', 来信日期: '2026年11月18日', 摘要: '楼道堆放杂物' };
    for (const input of await missing.all()) {
      const label = (await clerk.locator(`label[for="${await input.getAttribute('id')}"]`).innerText()).replace(/（.*$/, '');
      await input.fill(values[label] ?? `${label}内容`);
    }
    await clerk.getByRole('button', { name: '更新预览' }).click();
    await expect.poll(() => clerk.getByRole('status').first().innerText()).toContain('各项内容已齐全');
    expect(await issue.isDisabled()).toBe(false);
    await issue.click();
    await expect.poll(() => clerk.locator('p.done').first().innerText()).toContain('已出具延期告知书');
    const printed = clerk.locator('a.print').first();
    expect(await printed.getAttribute('target')).toBe('_blank');
    const issued = await clerk.request.get(`${base}${await printed.getAttribute('href')}`);
    const text = (await readPdf(Buffer.from(await issued.body()))).pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    expect(text).toContain('需要现场勘验');
    expect(text).not.toContain('待填');
    await screenshot(clerk, path.join(shots, 'letter-issued.png'));
  });
});
