// The dashboard in Chromium against the real API: sign-in, Logs › Access filled by the real gateway's logins and denials, and a job disabled from the jobs view.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { topicFor } from '@sluice/schemas';
import { gatewayRequest, s3DestinationConf, startJobGroupAtEnd, testEnv, waitUntil } from '../../src/index.js';
import { openDashboard, signIn } from '../../src/dashboard-browser.js';
import type { DashboardBrowser } from '../../src/dashboard-browser.js';
import { startDashboardStack } from '../../src/dashboard-stack.js';
import type { DashboardStack } from '../../src/dashboard-stack.js';

describe('the dashboard: sign-in, access logs, jobs', { timeout: 180_000 }, () => {
  let stack: DashboardStack;
  let browser: DashboardBrowser;
  let admin: Admin;

  before(async () => {
    stack = await startDashboardStack('access');
    admin = stack.kafka.admin();
    await admin.connect();
    const as = async (email: string, audience = stack.audience) => gatewayRequest(stack.edge.port, stack.host, '/', { 'cf-access-jwt-assertion': await stack.key.mint({ email, audience }) });
    assert.equal((await as('alice@example.com')).status, 200);
    assert.equal((await as('bob@example.com')).status, 200);
    assert.equal((await as('mallory@evil.example')).status, 403);
    assert.equal((await as('mallory@evil.example', 'another-app')).status, 403);
    // The four events reach the index through Kafka; the API is asked until it has them all.
    await waitUntil('the access index holds the gateway’s events', async () => {
      const reply = await fetch(`${stack.base}/client/v4/accounts/${stack.accountId}/access/logs/access_requests?limit=50`, { headers: { authorization: `Bearer ${stack.token}` } });
      const body = (await reply.json()) as { result: unknown[] | null };
      return (body.result?.length ?? 0) >= 4;
    });
    browser = await openDashboard(stack.base);
  });

  after(async () => {
    await browser?.close();
    await admin?.disconnect();
    await stack?.close();
  });

  it('refuses a wrong token, signs in with the right one, and keeps it out of URLs, cookies and localStorage', async () => {
    const { page } = browser;
    await signIn(page, 'not-a-token', { accountId: stack.accountId, zoneId: stack.zoneId });
    await page.waitForSelector('#sign-in-error:has-text("does not accept this token")');
    await signIn(page, stack.token, { accountId: stack.accountId, zoneId: stack.zoneId });
    await page.waitForSelector('header.top nav');
    assert.equal(await page.evaluate('sessionStorage.getItem("sluice.token")'), stack.token);
    assert.equal(await page.evaluate('localStorage.length'), 0);
    assert.equal(await page.evaluate('document.cookie'), '');
    assert.ok(!page.url().includes(stack.token));
    for (const url of browser.requests) {
      assert.ok(url.startsWith(`${stack.base}/`), `the page fetched ${url}, outside its origin`);
      assert.ok(!url.includes(stack.token), 'a URL carried the token');
    }
  });

  it('lists the account’s logins newest first, filters to one user’s denials, and a denied row opens to why', async () => {
    const { page } = browser;
    await page.goto(`${stack.base}/dash/#/access`);
    await page.waitForSelector('#access-rows tr.event-row');
    const users = await page.locator('#access-rows tr.event-row td:nth-child(2)').allTextContents();
    assert.deepEqual(new Set(users), new Set(['alice@example.com', 'bob@example.com', 'mallory@evil.example']));
    const times = await page.locator('#access-rows tr.event-row td:nth-child(1)').allTextContents();
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');

    await page.fill('#access-filters input[name=email]', 'mallory');
    await page.selectOption('#access-filters select[name=allowed]', 'false');
    await page.click('#access-filters button[type=submit]');
    // Polled from here: waitForFunction's polling evaluates its predicate in the page, which the dashboard's CSP
    // (no unsafe-eval) refuses whenever the first check does not already hold.
    const shown = page.locator('#access-rows tr.event-row td:nth-child(2)');
    for (let tries = 0; ; tries++) {
      const emails = await shown.allTextContents();
      if (emails.length > 0 && emails.every((email) => email === 'mallory@evil.example')) break;
      assert.ok(tries < 100, `the filtered rows within 10 s: ${emails.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const results = await page.locator('#access-rows tr.event-row td:nth-child(5)').allTextContents();
    assert.deepEqual(results, ['Denied', 'Denied']);

    const reasons: string[] = [];
    for (const row of await page.locator('#access-rows tr.event-row').all()) {
      await row.click();
      const details = row.locator('xpath=following-sibling::tr[1]');
      assert.equal(await details.isVisible(), true);
      assert.match((await details.locator('dl').textContent()) ?? '', /Login method.*IP address.*Country.*Ray ID.*App/s);
      reasons.push((await details.locator('dd.deny-reason').textContent()) ?? '');
    }
    assert.deepEqual(reasons.sort(), ["user not in the app's allow list (IDENTITY_USER_NOT_ALLOWED)", 'wrong audience: the token is for another app (IDENTITY_WRONG_AUDIENCE)']);
  });

  it('shows a job’s health with records delivered and consumer lag, and disables it from the view', async () => {
    const id = randomInt(1_000_000, 2_000_000_000);
    await stack.store.putJob({
      id,
      name: 'wiki-audit',
      dataset: 'http_requests',
      zone_id: stack.zoneId,
      enabled: true,
      destination_conf: s3DestinationConf(testEnv(), 'sluice-dashboard-e2e', 'http'),
      output_options: { field_names: ['RayID', 'EdgeStartTimestamp'] },
    });
    await stack.health.publish([{ id, last_complete: '2026-01-31T12:00:00Z', last_error: null, error_message: null, reported_at: new Date().toISOString(), worker: 'e2e', records_delivered: 1234 }]);
    await startJobGroupAtEnd(admin, id, topicFor('http_requests'));

    const { page } = browser;
    await page.goto(`${stack.base}/dash/#/jobs`);
    const row = page.locator(`#jobs-rows tr[data-job-id="${id}"]`);
    await row.waitFor();
    assert.equal(await row.locator('td.job-state').textContent(), 'Enabled');
    assert.equal(await row.locator('td.records-delivered').textContent(), '1234');
    assert.equal(await row.locator('td.consumer-lag').textContent(), '0', 'the group was committed at the end of the topic');

    await row.locator('button[data-job-toggle]').click();
    await page.waitForSelector(`#jobs-rows tr[data-job-id="${id}"] td.job-state:has-text("Disabled")`);
    assert.equal(stack.store.jobs().get(id)?.enabled, false, 'the PUT reached the job store');
    assert.equal(await row.locator('button[data-job-toggle]').textContent(), 'Enable');
    await admin.deleteGroups([`sluice-job-${id}`]);
    assert.deepEqual(browser.problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
  });
});
