// Debian's Chromium driven by playwright-core for the dashboard's tests: no browser download, no sandbox (tests run as root).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Where .ci/run installs it (`apt-get install chromium`); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface DashboardBrowser {
  readonly browser: Browser;
  readonly page: Page;
  /** Every request the page made, by URL: the tests check that none leaves the API's origin or carries the token. */
  readonly requests: string[];
  /** Console errors and CSP violations the page reported. */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openDashboard(base: string): Promise<DashboardBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (see .ci/run)`);
  // Nothing but the page's own requests: no update checks, sync, first-run or other background traffic off loopback.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${base}/dash/`);
  return { browser, page, requests, problems, close: () => browser.close() };
}

/** Fills the sign-in form and waits for the views' header. */
export async function signIn(page: Page, token: string, ids: { accountId?: string; zoneId?: string }): Promise<void> {
  await page.fill('#sign-in input[name=token]', token);
  await page.fill('#sign-in input[name=account]', ids.accountId ?? '');
  await page.fill('#sign-in input[name=zone]', ids.zoneId ?? '');
  await page.click('#sign-in button[type=submit]');
}
