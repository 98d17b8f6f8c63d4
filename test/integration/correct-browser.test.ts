/**
 * A clerk correcting a scanned page in a real browser (Debian's Chromium, playwright-core) against
 * the real `xinfang start`: from the case page to the correcting page, each line's picture shown
 * beside its text (a real PNG of the line, cut where the line is), the unsure lines first and
 * marked; a line corrected and saved is what the letter is then found by.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxOnImage } from '../../src/domain/corrections.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace, officeAt, scan } from '../helpers/workspace.js';

let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');


function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name);
}

beforeAll(async () => {
  // A strict threshold, so that the sample's least sure lines (its greeting and closing) count as
  // unsure as handwriting would, and the rest do not.
  root = await makeWorkspace({ workflow: { blankSheets: false }, ocr: { lowConfidence: 0.995 } });
  copyFileSync(scan('S01.jpg'), path.join(root, 'inbox', 'S01.jpg'));
  const ingest = runCli(['--root', root, 'ingest']);
  expect(ingest.status, ingest.stderr).toBe(0);
  for (const [name, role] of [['刘芳', '登记员']]) {
    const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const web = await startWeb(root);
  server = web.server;
  base = web.base;
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
});

describe('correcting a scanned page in the browser', () => {
  it('shows each line’s picture beside its text, unsure lines first, and saves the clerk’s reading', async () => {
    const clerk = await signIn('刘芳');
    await clerk.goto(`${base}/cases/2026-1`);
    // The page has unsure lines: the link says so and stands out.
    const link = clerk.locator('a.correct-link');
    expect(await link.getAttribute('class')).toContain('prominent');
    expect(await link.innerText()).toMatch(/^\d+ 行识别不清，对照扫描件更正$/);
    await link.click();
    await clerk.waitForURL(`${base}/cases/2026-1/pages/1/correct`);
    expect(await clerk.locator('h1').innerText()).toContain('对照扫描件更正识别文字');

    const items = clerk.locator('form.correct-lines li');
    const count = await items.count();
    const office = await officeAt(root, { background: 'none' });
    const c = await office.cases.find('1');
    expect(count).toBe(c.pages[0]!.lines.length);
    const unsure = await items.evaluateAll((lis) => lis.map((li) => li.classList.contains('unsure')));
    const firstSure = unsure.indexOf(false);
    // Some lines are unsure, and every one of them comes before the first sure one.
    expect(firstSure).toBeGreaterThan(0);
    expect(unsure.slice(firstSure)).not.toContain(true);

    // The first line's picture: loaded in the page, a real PNG of the line's size, ink on paper.
    const first = items.first();
    const img = first.locator('img');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(50);
    const src = (await img.getAttribute('src'))!;
    const lineNo = Number(/\/lines\/(\d+)\.png$/.exec(src)![1]);
    const served = await clerk.request.get(`${base}${src}`);
    expect(served.headers()['content-type']).toBe('image/png');
    const png = Buffer.from(await served.body());
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    const pageImage = await sharp((await office.pageImages.pageImage(c, 1, 1600))!).metadata();
    const expected = boxOnImage(c.pages[0]!.lines[lineNo - 1]!.box, c.pages[0]!.frame!, { width: pageImage.width!, height: pageImage.height! })!;
    expect([meta.width, meta.height]).toEqual([expected.width, expected.height]);
    expect(await img.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight])).toEqual([expected.width, expected.height]);
    const stats = await sharp(png).stats();
    expect(stats.channels[0]!.min).toBeLessThan(80);
    expect(stats.channels[0]!.max).toBeGreaterThan(200);
    // The picture stands beside its text, not under it.
    const [picture, input] = [await img.boundingBox(), await first.locator('input[name^="line_"]').boundingBox()];
    expect(input!.x).toBeGreaterThan(picture!.x + picture!.width - 1);
    await screenshot(clerk, path.join(shots, 'correct-lines.png'));

    // The clerk reads the line as written and saves it.
    const ocrText = c.pages[0]!.lines[lineNo - 1]!.text;
    const field = clerk.getByLabel(new RegExp(`^第 ${lineNo} 行`));
    expect(await field.inputValue()).toBe(ocrText);
    await field.fill('尊敬的南湖社区领导：');
    await clerk.getByRole('button', { name: '保存更正' }).click();
    await expect.poll(() => clerk.locator('.done').innerText()).toContain('已保存 1 行的更正');
    expect(await clerk.getByLabel(new RegExp(`^第 ${lineNo} 行`)).inputValue()).toBe('尊敬的南湖社区领导：');
    expect(await clerk.locator('form.correct-lines li').first().locator('.source').innerText()).toContain(`识别结果：${ocrText} · 刘芳`);

    // Found by what the clerk read; the OCR's text is kept.
    await clerk.goto(`${base}/cases?q=${encodeURIComponent('南湖社区')}`);
    expect(await clerk.locator('main').innerText()).toContain('八宝信〔2026〕1号');
    const after = await office.cases.find('1');
    expect(after.pages[0]!.lines[lineNo - 1]!.text).toBe(ocrText);
    expect(after.correctedText).toContain('尊敬的南湖社区领导：');

    // The case page's recognised text reads the correction, marked, with the machine's reading beside it.
    await clerk.goto(`${base}/cases/2026-1`);
    const shownLine = clerk.locator('ol.ocr').first().locator('li').nth(lineNo - 1);
    expect(await shownLine.textContent()).toBe('尊敬的南湖社区领导： （已人工更正）');
    expect(await shownLine.getAttribute('title')).toBe(`机器识别为：${ocrText}`);
    expect(await shownLine.getAttribute('class')).not.toContain('unsure');
    await office.close();
  }, 180_000);
});
