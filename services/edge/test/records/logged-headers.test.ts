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

test('credentials a zone names are logged as REDACTED, and the zone is told so', () => {
  const logged = compileLoggedHeaders({ requestHeaders: ['authorization', 'cf-access-jwt-assertion', 'cookie', 'accept'], responseHeaders: ['set-cookie'], cookies: ['CF_Authorization', 'theme'] });
  assert.deepEqual(logged.request({ authorization: 'Bearer secret', 'cf-access-jwt-assertion': 'eyJ.x.y', cookie: 'a=1; CF_Authorization=eyJ.x.y;theme=dark', accept: '*/*' }), {
    authorization: 'REDACTED',
    'cf-access-jwt-assertion': 'REDACTED',
    cookie: 'a=1; CF_Authorization=REDACTED;theme=dark',
    accept: '*/*',
  });
  assert.deepEqual(logged.response({ 'set-cookie': ['CF_Authorization=eyJ.x.y; Path=/; HttpOnly', 'theme=dark'] }), { 'set-cookie': 'CF_Authorization=REDACTED; Path=/; HttpOnly, theme=dark' });
  assert.deepEqual(logged.cookies('CF_Authorization=eyJ.x.y; theme=dark'), { CF_Authorization: 'REDACTED', theme: 'dark' });
  assert.deepEqual(logged.redacted, ['request header authorization', 'request header cf-access-jwt-assertion', 'request header cookie (its CF_Authorization value)', 'response header set-cookie (its CF_Authorization value)', 'cookie CF_Authorization']);
  assert.deepEqual(compileLoggedHeaders({ requestHeaders: ['accept'], responseHeaders: [], cookies: ['theme'] }).redacted, []);
});
