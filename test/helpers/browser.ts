import { execSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Every browser a test launched and that is still connected. */
const open = new Set<Browser>();

/**
 * Where Debian's Chromium is (.ci/run installs it): playwright-core brings no browser of its own,
 * and none can be downloaded here.
 */
function chromiumPath(): string {
  try {
    const found = execSync('command -v chromium', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (found) return found;
  } catch {
    // Not on PATH: try Debian's usual place below.
  }
  return '/usr/bin/chromium';
}

/**
 * Starts a headless Chromium for testing the UI as a person sees it, offline and quiet: no sandbox
 * (tests run as root), no GPU, and none of the background calls home.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  open.add(browser);
  browser.once('disconnected', () => open.delete(browser));
  return browser;
}

/** Saves the whole page, not only the viewport, as a PNG, so that a failing check can be looked at. */
export async function screenshot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file, fullPage: true, type: 'png' });
}

/** Closes every browser still open, so that a failing test cannot leave one running (for test/setup.ts); returns how many there were. */
export async function closeAllBrowsers(): Promise<number> {
  const left = [...open];
  open.clear();
  await Promise.allSettled(left.map((b) => b.close()));
  return left.length;
}
