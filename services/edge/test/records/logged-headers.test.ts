import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLoggedHeaders } from '../../src/records/logged-headers.js';
import { NO_CUSTOM_FIELDS } from '@sluice/pipeline';

test('only listed headers and cookies are logged; an unlisted Authorization header or cookie never is', () => {
  const logged = compileLoggedHeaders({ requestHeaders: ['cf-access-user', 'accept'], responseHeaders: ['content-type'], cookies: ['theme'] });
  const request = { 'cf-access-user': 'alice@example.com', accept: ['text/html', 'application/json'], authorization: 'Bearer secret' };
  assert.deepEqual(logged.request(request), { 'cf-access-user': 'alice@example.com', accept: 'text/html, application/json' });
  assert.deepEqual(logged.response({ 'content-type': 'text/html', 'set-cookie': ['s=1'] }), { 'content-type': 'text/html' });
  assert.deepEqual(logged.cookies('CF_Authorization=jwt; theme=dark; session=abc'), { theme: 'dark' });
});

test('a zone without custom fields logs no headers and no cookies', () => {
  const logged = compileLoggedHeaders(NO_CUSTOM_FIELDS);
  assert.deepEqual(logged.request({ 'cf-access-user': 'a' }), {});
  assert.deepEqual(logged.cookies('a=1'), {});
});
