// Tests for the HTTP classification table: which answers deliver, which retry (and when), which give up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyHttpResponse, classifyNoAnswer } from '../../src/http/classify-http-response.js';
import type { HttpAnswer } from '../../src/http/classify-http-response.js';

const WHERE = 'https://in.example.com:443/ingest';
const NOW = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');

function answer(status: number, extra: Partial<HttpAnswer> = {}): HttpAnswer {
  return { status, statusText: '', retryAfter: null, redirectTo: null, bodyExcerpt: '', ...extra };
}

test('every 2xx is delivered, at the given location', () => {
  for (const status of [200, 201, 202, 204]) assert.deepEqual(classifyHttpResponse(answer(status), WHERE, NOW), { status: 'delivered', location: WHERE });
});

test('408, 429 and every 5xx are retryable, coded by status', () => {
  for (const status of [408, 429, 500, 502, 503, 504, 507]) {
    const result = classifyHttpResponse(answer(status, { statusText: 'Busy' }), WHERE, NOW);
    assert.deepEqual(result, { status: 'retryable', code: `HTTP_${status}`, message: `HTTP ${status} Busy` });
  }
});

test('Retry-After in seconds or as an HTTP date becomes retryAfterMs', () => {
  const seconds = classifyHttpResponse(answer(503, { retryAfter: '2' }), WHERE, NOW);
  assert.equal(seconds.status === 'retryable' && seconds.retryAfterMs, 2000);
  const date = classifyHttpResponse(answer(429, { retryAfter: 'Wed, 21 Oct 2026 07:28:07 GMT' }), WHERE, NOW);
  assert.equal(date.status === 'retryable' && date.retryAfterMs, 7000);
  const garbage = classifyHttpResponse(answer(429, { retryAfter: 'later' }), WHERE, NOW);
  assert.ok(garbage.status === 'retryable' && !('retryAfterMs' in garbage));
});

test('other 4xx are rejected with the status and the body excerpt', () => {
  for (const status of [400, 401, 403, 404, 405, 409, 413, 415, 422]) {
    const result = classifyHttpResponse(answer(status, { statusText: 'Nope', bodyExcerpt: 'index missing' }), WHERE, NOW);
    assert.deepEqual(result, { status: 'rejected', code: `HTTP_${status}`, message: `HTTP ${status} Nope: index missing` });
  }
});

test('redirects are rejected, naming the target, because a POST is never followed', () => {
  const result = classifyHttpResponse(answer(301, { redirectTo: 'https://new.example.com/ingest' }), WHERE, NOW);
  assert.ok(result.status === 'rejected', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_301');
  assert.match(result.message, /redirects to https:\/\/new\.example\.com\/ingest: configure the final URL/);
});

test('no answer in time is a retryable timeout; an abort by the caller is retryable too', () => {
  assert.deepEqual(classifyNoAnswer('timeout', new Error('x'), 250), { status: 'retryable', code: 'HTTP_TIMEOUT', message: 'no complete answer within 250 ms' });
  assert.equal(classifyNoAnswer('aborted', new Error('x'), 250).code, 'HTTP_ABORTED');
  assert.equal(classifyNoAnswer('aborted', new Error('x'), 250).status, 'retryable');
});

test('refused, reset and unresolvable connections are retryable HTTP_CONNECTION with the socket error', () => {
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'ENOTFOUND', 'EAI_AGAIN']) {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} happened`), { code }) });
    const result = classifyNoAnswer('network', error, 1000);
    assert.deepEqual(result, { status: 'retryable', code: 'HTTP_CONNECTION', message: `no answer: ${code} happened` });
  }
  const bare = classifyNoAnswer('network', new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), 1000);
  assert.equal(bare.message, 'no answer: UND_ERR_SOCKET: other side closed');
});

test('certificate failures and ports fetch refuses are rejected: retrying cannot fix them', () => {
  for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']) {
    const result = classifyNoAnswer('network', new TypeError('fetch failed', { cause: Object.assign(new Error('bad cert'), { code }) }), 1000);
    assert.equal(result.status, 'rejected', code);
    assert.equal(result.code, 'HTTP_TLS', code);
  }
  const port = classifyNoAnswer('network', new TypeError('fetch failed', { cause: new Error('bad port') }), 1000);
  assert.deepEqual([port.status, port.code], ['rejected', 'HTTP_BAD_PORT']);
});
