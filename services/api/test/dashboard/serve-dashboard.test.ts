import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARD_CSP } from '../../src/index.js';
import { testApi } from '../support/api-fixture.js';

describe('the dashboard at /dash', () => {
  test('serves its page at /dash and /dash/ under a Content-Security-Policy that allows this origin only', async () => {
    const api = testApi();
    for (const url of ['/dash', '/dash/']) {
      const page = await api.app.inject({ url });
      assert.equal(page.statusCode, 200, url);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.equal(page.headers['content-security-policy'], DASHBOARD_CSP);
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.match(page.body, /<script type="module" src="\/dash\/app\/main\.js"><\/script>/);
    }
    assert.match(DASHBOARD_CSP, /default-src 'none'/);
    assert.match(DASHBOARD_CSP, /script-src 'self'(;|$)/);
    assert.match(DASHBOARD_CSP, /connect-src 'self'(;|$)/);
    assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval|https?:|\*/);
  });

  test('loads nothing from elsewhere and runs no inline script or style', async () => {
    const page = (await testApi().app.inject({ url: '/dash/' })).body;
    assert.doesNotMatch(page, /https?:\/\//);
    assert.doesNotMatch(page, /<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
  });

  test('serves the compiled scripts and the stylesheet, but not declarations, source maps or paths outside it', async () => {
    const api = testApi();
    const script = await api.app.inject({ url: '/dash/app/main.js' });
    assert.equal(script.statusCode, 200, 'the dashboard is built by tsc --build');
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.equal(script.headers['content-security-policy'], DASHBOARD_CSP);
    assert.equal((await api.app.inject({ url: '/dash/app/views/live-tail-view.js' })).statusCode, 200);
    assert.match(String((await api.app.inject({ url: '/dash/style.css' })).headers['content-type']), /^text\/css/);
    for (const url of ['/dash/app/main.d.ts', '/dash/app/main.js.map', '/dash/../package.json', '/dash/%2e%2e/src/index.ts']) {
      assert.equal((await api.app.inject({ url })).statusCode, 404, url);
    }
  });

  test('is left out when the server is built with dashboard: false', async () => {
    assert.equal((await testApi({ dashboard: false }).app.inject({ url: '/dash/' })).statusCode, 404);
  });
});
