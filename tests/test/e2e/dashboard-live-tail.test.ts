// The live tail in Chromium: a request made through the real gateway appears in the tail filtered by its user (RequestHeaders.cf-access-user); another user's does not.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayRequest, runTag } from '../../src/index.js';
import { openDashboard, signIn } from '../../src/dashboard-browser.js';
import type { DashboardBrowser } from '../../src/dashboard-browser.js';
import { startDashboardStack } from '../../src/dashboard-stack.js';
import type { DashboardStack } from '../../src/dashboard-stack.js';

describe('the dashboard’s live tail', { timeout: 180_000 }, () => {
  let stack: DashboardStack;
  let browser: DashboardBrowser;

  before(async () => {
    stack = await startDashboardStack('tail');
    browser = await openDashboard(stack.base);
    await signIn(browser.page, stack.token, { accountId: stack.accountId, zoneId: stack.zoneId });
    await browser.page.waitForSelector('header.top nav');
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a request made through the gateway, filtered by its user, with the user as a custom field, and stops when asked', async () => {
    const { page } = browser;
    const tag = runTag();
    await page.goto(`${stack.base}/dash/#/tail`);
    await page.fill('#tail-form input[name=user]', 'alice@example.com');
    await page.click('#tail-toggle');
    await page.waitForSelector('#tail-state:has-text("Live")', { timeout: 60_000 });

    const as = async (email: string, path: string) => gatewayRequest(stack.edge.port, stack.host, path, { 'cf-access-jwt-assertion': await stack.key.mint({ email, audience: stack.audience }) });
    assert.equal((await as('bob@example.com', `/pages/bob-${tag}`)).status, 200);
    const alice = await as('alice@example.com', `/pages/alice-${tag}`);
    assert.equal(alice.status, 200);

    const row = page.locator('#tail-rows tr.tail-row', { hasText: `/pages/alice-${tag}` });
    await row.waitFor({ timeout: 30_000 });
    const headings = await page.locator('#tail-view thead th').allTextContents();
    const cells = await row.locator('td').allTextContents();
    const shown = Object.fromEntries(headings.map((name, i) => [name, cells[i]]));
    assert.equal(shown['RequestHeaders.cf-access-user'], 'alice@example.com');
    assert.equal(shown['RayID'], alice.rayId.split('-')[0]);
    assert.equal(shown['ClientRequestHost'], stack.host);
    // Bob's request went first: had the filter let it through, it would be there by now.
    await page.waitForTimeout(1_500);
    assert.equal(await page.locator('#tail-rows tr.tail-row', { hasText: `bob-${tag}` }).count(), 0);
    assert.match((await page.locator('#tail-sample').textContent()) ?? '', /Sample rate: 100%/);

    await page.click('#tail-toggle');
    await page.waitForSelector('#tail-state:has-text("Stopped")');
    assert.deepEqual(browser.problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
  });
});
