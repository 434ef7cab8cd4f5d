// Tests for the HTTP destination against a real node:http server on 127.0.0.1: bytes, headers, statuses, timeouts, aborts, secrets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DeliveryBatch, DeliveryResult, Destination } from '../../src/destination.js';
import { parseHttpConf } from '../../src/http/http-config.js';
import { createHttpDestination } from '../../src/http/http-destination.js';
import type { HttpDestinationOptions } from '../../src/http/http-destination.js';
import { startReceiver } from './local-receiver.js';
import type { LocalReceiver } from './local-receiver.js';
import { createSelfSignedCertificate } from '@sluice/test-receivers';

const TOKEN = 'c2x1aWNlOlRvcFNlY3JldFBhc3N3b3Jk';
const AUTH = `Basic ${TOKEN}`;
const TEXT = '{"RayID":"7c1a","ClientIP":"198.51.100.7","EdgeResponseStatus":200}\n{"RayID":"7c1b","ClientIP":"2001:db8::1","EdgeResponseStatus":503,"Note":"ünïcode"}\n';

let receiver: LocalReceiver;
const results: DeliveryResult[] = [];
const descriptions: string[] = [];

before(async () => {
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
});

function batch(text = TEXT): DeliveryBatch {
  return { body: gzipSync(Buffer.from(text)), records: text.split('\n').length - 1, uncompressedBytes: Buffer.byteLength(text), startTimeMs: 0, endTimeMs: 0, suffix: 'job1-p0-o0' };
}

/** A destination for `pathAndQuery` on the receiver, always with the secret Authorization header. */
function destination(pathAndQuery = '/ingest?dataset=http_requests', options: HttpDestinationOptions = {}, origin = receiver.origin): Destination {
  const separator = pathAndQuery.includes('?') ? '&' : '?';
  const parsed = parseHttpConf(`${origin}${pathAndQuery}${separator}header_Authorization=${encodeURIComponent(AUTH)}`);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const created = createHttpDestination(parsed.config, options);
  descriptions.push(created.description);
  return created;
}

async function deliver(target: Destination, signal = new AbortController().signal, body = batch()): Promise<DeliveryResult> {
  const result = await target.deliver(body, signal);
  results.push(result);
  return result;
}

test('the gzip body arrives byte for byte as a POST, and gunzips to the batch text', async () => {
  receiver.respond((_request, res) => res.writeHead(204).end());
  const sent = batch();
  const result = await deliver(destination('/ingest?dataset=http_requests'), undefined, sent);
  assert.deepEqual(result, { status: 'delivered', location: `${receiver.origin}/ingest?dataset=http_requests` });
  const request = receiver.requests.at(-1);
  assert.ok(request);
  assert.equal(request.method, 'POST');
  assert.ok(request.body.equals(sent.body), 'the body is the batch body, not re-compressed');
  assert.equal(gunzipSync(request.body).toString('utf8'), TEXT);
  assert.equal(request.headers['content-encoding'], 'gzip');
  assert.equal(request.headers['content-type'], 'application/x-ndjson');
  assert.equal(request.headers['content-length'], String(sent.body.length));
});

test('header_ parameters arrive as headers and not on the URL; the other parameters arrive as written, in order', async () => {
  receiver.respond((_request, res) => res.writeHead(200).end('{"ok":true}'));
  const parsed = parseHttpConf(`${receiver.origin}/v1/logs?b=2&header_Authorization=${encodeURIComponent(AUTH)}&a=x+y%2Fz&header_X-Source=edge&header_Content-Type=text%2Fcsv`);
  assert.ok(parsed.ok);
  const result = await deliver(createHttpDestination(parsed.config));
  assert.equal(result.status, 'delivered');
  const request = receiver.requests.at(-1);
  assert.ok(request);
  assert.equal(request.target, '/v1/logs?b=2&a=x+y%2Fz');
  assert.equal(request.headers['authorization'], AUTH);
  assert.equal(request.headers['x-source'], 'edge');
  assert.equal(request.headers['content-type'], 'text/csv', 'a configured Content-Type replaces the default, not added to it');
  assert.ok(!request.target.includes('header_') && !request.target.includes(TOKEN));
});

test('503 with Retry-After: 2 is retryable after 2000 ms, with the body excerpt in the message', async () => {
  receiver.respond((_request, res) => res.writeHead(503, { 'retry-after': '2' }).end('ingest queue full\n  try later'));
  const result = await deliver(destination());
  assert.deepEqual(result, { status: 'retryable', code: 'HTTP_503', message: 'HTTP 503 Service Unavailable: ingest queue full try later', retryAfterMs: 2000 });
});

test('429 with an HTTP-date Retry-After waits until that date', async () => {
  const nowMs = Date.parse('Sat, 21 Nov 2026 10:00:00 GMT');
  receiver.respond((_request, res) => res.writeHead(429, { 'retry-after': 'Sat, 21 Nov 2026 10:00:45 GMT' }).end());
  const result = await deliver(destination('/ingest', { now: () => nowMs }));
  assert.ok(result.status === 'retryable', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_429');
  assert.equal(result.retryAfterMs, 45_000);
});

test('400, 401 and 403 are rejected with the status and a secret-free excerpt, even when the server echoes the credential', async () => {
  for (const status of [400, 401, 403]) {
    receiver.respond((request, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'denied', you_sent: { authorization: request.headers['authorization'] }, token: TOKEN })));
    const result = await deliver(destination());
    assert.ok(result.status === 'rejected', JSON.stringify(result));
    assert.equal(result.code, `HTTP_${status}`);
    assert.match(result.message, new RegExp(`^HTTP ${status} [A-Za-z ]+: \\{"error":"denied"`));
    assert.ok(!result.message.includes(TOKEN), result.message);
  }
});

test('a long error body is cut to a short excerpt, and a secret cut in half at the end does not survive', async () => {
  // Whitespace collapses, so the excerpt's cut-off end (inside the token) is inside the message unless scrubbed.
  receiver.respond((_request, res) => res.writeHead(413).end(`too large:${' '.repeat(1000)}${TOKEN}`));
  const result = await deliver(destination());
  assert.ok(result.status === 'rejected');
  assert.equal(result.message, 'HTTP 413 Payload Too Large: too large: REDACTED');
  receiver.respond((_request, res) => res.writeHead(400).end('y'.repeat(5000)));
  const long = await deliver(destination());
  assert.ok(long.status === 'rejected' && long.message.length < 400, `${JSON.stringify(long).length} characters`);
});

test('a redirect is rejected and not followed', async () => {
  receiver.respond((request, res) => (request.target.startsWith('/moved') ? res.writeHead(200).end() : res.writeHead(302, { location: '/moved' }).end()));
  const before = receiver.requests.length;
  const result = await deliver(destination('/old'));
  assert.ok(result.status === 'rejected', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_302');
  assert.match(result.message, /redirects to \/moved/);
  assert.equal(receiver.requests.length, before + 1, 'only the original request was made');
});

test('a server that never answers ends in a retryable HTTP_TIMEOUT after the injected timeout', async () => {
  receiver.respond(() => undefined);
  const startedAt = Date.now();
  const result = await deliver(destination('/ingest', { timeoutMs: 200 }));
  const tookMs = Date.now() - startedAt;
  assert.deepEqual(result, { status: 'retryable', code: 'HTTP_TIMEOUT', message: 'no complete answer within 200 ms' });
  assert.ok(tookMs >= 190 && tookMs < 2_000, `took ${tookMs} ms`);
});

test('aborting the signal ends a hung request promptly, long before the default timeout', async () => {
  receiver.respond(() => undefined);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const startedAt = Date.now();
  const result = await deliver(destination('/ingest'), controller.signal);
  const tookMs = Date.now() - startedAt;
  assert.equal(result.status, 'retryable');
  assert.equal(result.status === 'retryable' && result.code, 'HTTP_ABORTED');
  assert.ok(tookMs < 1_000, `took ${tookMs} ms`);
});

test('an already aborted signal sends nothing', async () => {
  const before = receiver.requests.length;
  const result = await deliver(destination('/ingest'), AbortSignal.abort());
  assert.equal(result.status === 'retryable' && result.code, 'HTTP_ABORTED');
  assert.equal(receiver.requests.length, before);
});

test('a connection reset before the answer is a retryable HTTP_CONNECTION', async () => {
  receiver.respond((_request, res) => res.socket?.destroy());
  const result = await deliver(destination('/ingest'));
  assert.ok(result.status === 'retryable', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_CONNECTION');
});

test('a refused connection is a retryable HTTP_CONNECTION', async () => {
  const closed = await startReceiver();
  const origin = closed.origin;
  await closed.close();
  const result = await deliver(destination('/ingest', {}, origin));
  assert.ok(result.status === 'retryable', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_CONNECTION');
  assert.match(result.message, /ECONNREFUSED/);
});

test('TLS certificates are verified: a self-signed server is rejected as HTTP_TLS, and gets no body', async () => {
  const { cert, key } = await createSelfSignedCertificate();
  const tls = await startReceiver({ cert, key });
  try {
    const result = await deliver(destination('/ingest', {}, tls.origin));
    assert.ok(result.status === 'rejected', JSON.stringify(result));
    assert.equal(result.code, 'HTTP_TLS');
    assert.equal(tls.requests.length, 0);
  } finally {
    await tls.close();
  }
});

test('the secret from header_Authorization is in no description and no result message', () => {
  assert.ok(results.length >= 12, `${results.length} results seen`);
  assert.ok(descriptions.every((description) => description.includes('(headers: Authorization)')));
  for (const text of [...descriptions, ...results.map((result) => JSON.stringify(result))]) {
    assert.ok(!text.includes(TOKEN), text);
  }
});
