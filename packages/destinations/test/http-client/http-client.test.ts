// Tests for the shared undici client against a real server on 127.0.0.1: replies, bounds, deadline, abort, resets, refusals and TLS trust.
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCertificate } from '@sluice/test-receivers';
import { createHttpClient } from '../../src/http-client/http-client.js';
import type { HttpClient, HttpClientOptions, HttpOutcome } from '../../src/http-client/http-client.js';
import { startReceiver } from '../http/local-receiver.js';
import type { LocalReceiver } from '../http/local-receiver.js';

const never = new AbortController().signal;

async function receiverFor(t: TestContext, tls?: { cert: string; key: string }): Promise<LocalReceiver> {
  const receiver = await startReceiver(tls);
  t.after(() => receiver.close());
  return receiver;
}

function clientFor(t: TestContext, options: Partial<HttpClientOptions> = {}): HttpClient {
  const client = createHttpClient({ timeoutMs: 5_000, ...options });
  t.after(() => client.close());
  return client;
}

function post(client: HttpClient, origin: string, signal = never): Promise<HttpOutcome> {
  return client.send({ url: `${origin}/ingest?a=1`, headers: { 'content-type': 'text/plain', 'x-sluice-batch-id': 'job1-p0-o0' }, body: Buffer.from('hello\n') }, signal);
}

test('a POST arrives with its body, headers and query; the reply carries status, reason phrase, headers and body', async (t) => {
  const receiver = await receiverFor(t);
  receiver.respond((_request, res) => res.writeHead(503, 'Queue Full', { 'retry-after': '7' }).end('come back later'));
  const outcome = await post(clientFor(t), receiver.origin);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual([outcome.reply.status, outcome.reply.statusText, outcome.reply.header('Retry-After'), outcome.reply.body], [503, 'Queue Full', '7', 'come back later']);
  const [request] = receiver.requests;
  assert.deepEqual([request?.method, request?.target, request?.body.toString(), request?.headers['x-sluice-batch-id']], ['POST', '/ingest?a=1', 'hello\n', 'job1-p0-o0']);
});

test('a reply body is kept only up to maxReplyBytes, and the connection serves the next request', async (t) => {
  const receiver = await receiverFor(t);
  receiver.respond((_request, res) => res.writeHead(200).end('x'.repeat(100_000)));
  const client = clientFor(t, { maxReplyBytes: 1000 });
  const first = await post(client, receiver.origin);
  const second = await post(client, receiver.origin);
  assert.ok(first.ok && second.ok);
  assert.equal(first.reply.body.length, 1000);
  assert.equal(second.reply.status, 200);
});

test('no reply within the deadline is a timeout, ended promptly', async (t) => {
  const receiver = await receiverFor(t);
  receiver.respond(() => undefined);
  const startedAt = Date.now();
  const outcome = await post(clientFor(t, { timeoutMs: 150 }), receiver.origin);
  assert.deepEqual(outcome, { ok: false, failure: { reason: 'timeout', message: 'no reply within 150 ms' } });
  assert.ok(Date.now() - startedAt < 2_000);
});

test('an abort ends a hung request promptly, and an already aborted signal sends nothing', async (t) => {
  const receiver = await receiverFor(t);
  receiver.respond(() => undefined);
  const client = clientFor(t);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const hung = await post(client, receiver.origin, controller.signal);
  const early = await post(client, receiver.origin, AbortSignal.abort());
  assert.equal(!hung.ok && hung.failure.reason, 'aborted');
  assert.equal(!early.ok && early.failure.reason, 'aborted');
  assert.equal(receiver.requests.length, 1);
});

test('a connection closed before the reply keeps the code node:http gave it (ECONNRESET), and a closed port is ECONNREFUSED', async (t) => {
  const receiver = await receiverFor(t);
  receiver.respond((_request, res) => res.socket?.destroy());
  const client = clientFor(t);
  const reset = await post(client, receiver.origin);
  const closed = await startReceiver();
  await closed.close();
  const refused = await post(client, closed.origin);
  assert.deepEqual(!reset.ok && [reset.failure.reason, reset.failure.code], ['network', 'ECONNRESET']);
  assert.deepEqual(!refused.ok && [refused.failure.reason, refused.failure.code], ['network', 'ECONNREFUSED']);
});

test('TLS: an unknown certificate fails with its code, a trusted CA or skipped verification gets through', async (t) => {
  const certificate = await createSelfSignedCertificate();
  const receiver = await receiverFor(t, certificate);
  const verified = await post(clientFor(t), receiver.origin);
  const trusted = await post(clientFor(t, { ca: certificate.cert }), receiver.origin);
  const skipped = await post(clientFor(t, { rejectUnauthorized: false }), receiver.origin);
  assert.deepEqual(!verified.ok && [verified.failure.reason, verified.failure.code], ['network', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
  assert.equal(trusted.ok && trusted.reply.status, 200);
  assert.equal(skipped.ok && skipped.reply.status, 200);
});
