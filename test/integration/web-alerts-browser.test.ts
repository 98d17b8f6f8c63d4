/**
 * Alerts in a real browser (Debian's Chromium driven by playwright-core) against the real
 * `xinfang start`: a leader is signed in on some page; a scan with an urgent word lands in
 * inbox/; the banner appears on the page by itself, without a reload; the leader marks it read
 * (another leader still sees it); the dashboard heads it until someone records who took charge,
 * which the case's history keeps. The site's hook command is run by the same process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFaces } from '../../src/adapters/fonts/font-files.js';
import { parseYaml, stringifyYaml } from '../../src/adapters/yaml/yaml.js';
import { demoLetters, letterScan } from '../../src/tools/demo/letters.js';
import { closeAllBrowsers, launchBrowser, screenshot } from '../helpers/browser.js';
import { PASSWORD, signInAs, startWeb } from '../helpers/web-app.js';
import { startCli } from '../helpers/run-cli.js';
import { cliPath, makeWorkspace } from '../helpers/workspace.js';

let root: string;
let base: string;
let browser: Browser;
let server: ReturnType<typeof startCli>;
const hookOut = () => path.join(root, 'hook-out.jsonl');
const shots = path.join(process.env.TMPDIR ?? '/tmp', 'xinfang-web-shots');


function signIn(name: string): Promise<Page> {
  return signInAs(browser, base, name);
}

beforeAll(async () => {
  root = await makeWorkspace({ workflow: { blankSheets: false } });
  // The site's hook: a node script that appends what it is given to a file.
  const script = path.join(root, 'hook.cjs');
  writeFileSync(script, `let s='';process.stdin.on('data',(d)=>(s+=d));process.stdin.on('end',()=>require('node:fs').appendFileSync(process.argv[2],s));`);
  const settingsFile = path.join(root, 'pipeline', 'settings.yaml');
  const settings = parseYaml(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(settingsFile, stringifyYaml({ ...settings, alerts: { command: [process.execPath, script, hookOut()] } }));
  for (const [name, role] of [['张主任', '领导'], ['王副主任', '领导'], ['李文', '经办人']]) {
    const r = spawnSync(process.execPath, [cliPath, '--root', root, 'user', 'add', name!, '--role', role!, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const web = await startWeb(root);
  server = web.server;
  base = web.base;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await closeAllBrowsers();
  server?.kill('SIGTERM');
});

describe('alerts in the browser', () => {
  it('shows an urgent scan to every signed-in leader at once, until each marks it read, and heads the dashboard until someone takes charge', async () => {
    const leader = await signIn('张主任');
    const deputy = await signIn('王副主任');
    const handler = await signIn('李文');
    // The leader is at work on another page; a mark on the window tells whether it is ever reloaded.
    await leader.goto(`${base}/cases`);
    await leader.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    expect(await leader.locator('#alerts .alert-item').count()).toBe(0);

    const letter = demoLetters(6, new Date('2026-11-01T00:00:00Z'))[5]!;
    expect(letter.body.join('')).toContain('静坐');
    const scanFile = path.join(root, 'inbox', '紧急来信.jpg');
    writeFileSync(`${scanFile}.part`, await letterScan(letter, defaultFaces(), 6));
    // Written beside and renamed into place, as a scanner's share would.
    renameSync(`${scanFile}.part`, scanFile);

    const item = leader.locator('#alerts .alert-item', { hasText: '紧急来信' });
    await item.waitFor({ timeout: 120_000 });
    expect(await item.innerText()).toContain('八宝信〔');
    expect(await item.innerText()).toContain('静坐');
    expect(await leader.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(leader, path.join(shots, 'alert-banner.png'));
    const number = /八宝信〔\d{4}〕\d+号/.exec(await item.innerText())![0];
    // Every leader is told; the handler is not.
    await deputy.locator('#alerts .alert-item', { hasText: number }).waitFor({ timeout: 10_000 });
    await handler.reload();
    await handler.waitForTimeout(1500);
    expect(await handler.locator('#alerts .alert-item').count()).toBe(0);

    // Marked read by this leader: gone from the banner, for good; the other leader still sees it.
    await item.getByRole('button', { name: '标为已读' }).click();
    await expect.poll(() => leader.locator('#alerts .alert-item').count(), { timeout: 10_000 }).toBe(0);
    await leader.goto(`${base}/inbox`);
    await leader.waitForTimeout(1500);
    expect(await leader.locator('#alerts .alert-item').count()).toBe(0);
    await deputy.reload();
    await deputy.locator('#alerts .alert-item', { hasText: number }).waitFor({ timeout: 10_000 });

    // Read is not taken charge of: the dashboard heads it until someone records who is in charge.
    await leader.goto(`${base}/`);
    const charge = leader.locator('section.charge li', { hasText: number });
    await charge.waitFor();
    const box = await leader.locator('section.charge').boundingBox();
    const due = await leader.locator('h2#due').boundingBox();
    expect(box!.y).toBeLessThan(due!.y);
    await screenshot(leader, path.join(shots, 'alert-dashboard.png'));
    await charge.getByLabel('由谁负责').fill('王副主任');
    await charge.getByLabel('处置情况').fill('已电话联系信访人，明早上门');
    await charge.getByRole('button', { name: /记下负责人/ }).click();
    await leader.waitForURL(`${base}/`);
    expect(await leader.locator('section.charge').count()).toBe(0);
    await deputy.goto(`${base}/`);
    expect(await deputy.locator('section.charge').count()).toBe(0);

    // Who took charge, who wrote it down and when, in the case's history too.
    await leader.goto(`${base}/alerts`);
    expect(await leader.locator('table.list').innerText()).toContain('王副主任（张主任 记于');
    await leader.getByRole('link', { name: number }).first().click();
    await expect.poll(() => leader.locator('main').innerText()).toContain('由王副主任负责处置；已电话联系信访人，明早上门');

    // The hook was run by the start process with the alert.
    await expect.poll(() => existsSync(hookOut()) && readFileSync(hookOut(), 'utf8'), { timeout: 10_000 }).toContain(number);
    const hooked = readFileSync(hookOut(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; case: { number: string } });
    expect(hooked.filter((h) => h.kind === 'urgent').map((h) => h.case.number)).toEqual([number]);
  }, 240_000);
});
