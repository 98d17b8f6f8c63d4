/** The real `xinfang start` for browser tests: a free port, the server started and waited for, a person signed in. */
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startCli } from './run-cli.js';

export const PASSWORD = 'xinfang-2026';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the web on a free port and resolves once it says it is up, with what it said; rejects if it exits first. */
export async function startWeb(root: string): Promise<{ server: ReturnType<typeof startCli>; base: string; port: number; said: string }> {
  const port = await freePort();
  const server = startCli(['--root', root, 'start', '--port', String(port)]);
  let said = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('网页已启动')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`xinfang start exited with ${code}: ${said}`)));
  });
  return { server, base: `http://localhost:${port}`, port, said };
}

/** A new browser context signed in as `name` through the sign-in form, on the dashboard. */
export async function signInAs(browser: Browser, base: string, name: string, options: { height?: number; acceptDownloads?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: options.height ?? 768 }, locale: 'zh-CN', ...(options.acceptDownloads ? { acceptDownloads: true } : {}) });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/`);
  return page;
}
