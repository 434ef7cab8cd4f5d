// Tests for the fault proxy in front of a real node:http receiver: forwarding, queued faults, an outage and its recovery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultProxy } from '../src/fault-proxy.js';
import type { FaultProxy } from '../src/fault-proxy.js';

let receiver: Server;
let proxy: FaultProxy;
/** What the receiver saw, one entry per request: method, path, Host header and body. */
const received: string[] = [];

before(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(`${request.method ?? ''} ${request.url ?? ''} host=${request.headers.host ?? ''} ${Buffer.concat(chunks).toString()}`);
      response.writeHead(201, { 'x-receiver': 'yes' }).end('stored');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  proxy = await createFaultProxy(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`);
});

after(async () => {
  await proxy.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function put(path: string, body = 'payload'): Promise<{ status: number; text: string; retryAfter: string | null }> {
  const response = await fetch(`${proxy.url}${path}`, { method: 'PUT', body, signal: AbortSignal.timeout(5_000) });
  return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') };
}

test('a request with no fault queued reaches the receiver with its method, path, Host header and body, and its answer comes back', async () => {
  const answer = await put('/bucket/a.log.gz?x=1', 'first');
  assert.deepEqual(answer, { status: 201, text: 'stored', retryAfter: null });
  assert.equal(received.at(-1), `PUT /bucket/a.log.gz?x=1 host=${new URL(proxy.url).host} first`);
  assert.equal(proxy.forwarded.at(-1), 'PUT /bucket/a.log.gz?x=1');
});

test('failNext answers exactly that many requests with the status and headers, then forwards again', async () => {
  const before = received.length;
  proxy.failNext(2, 429, { 'retry-after': '3' });
  assert.deepEqual(await put('/b/1'), { status: 429, text: 'injected 429', retryAfter: '3' });
  assert.deepEqual(await put('/b/2'), { status: 429, text: 'injected 429', retryAfter: '3' });
  assert.equal((await put('/b/3')).status, 201);
  assert.equal(received.length, before + 1, 'only the third request reached the receiver');
  assert.deepEqual(proxy.failed.slice(-2), ['PUT /b/1', 'PUT /b/2']);
});

test('failAll answers every request until recover, after the faults already queued; recover drops what is still queued', async () => {
  const before = received.length;
  const failedBefore = proxy.failed.length;
  proxy.failNext(1, 500);
  proxy.failAll(503, { 'retry-after': '1' });
  assert.equal((await put('/c/0')).status, 500, 'the queued fault comes first');
  for (let i = 1; i <= 5; i++) assert.deepEqual(await put(`/c/${i}`), { status: 503, text: 'injected 503', retryAfter: '1' });
  assert.equal(received.length, before, 'nothing reached the receiver during the outage');
  assert.deepEqual(proxy.failed.slice(failedBefore), ['/c/0', '/c/1', '/c/2', '/c/3', '/c/4', '/c/5'].map((p) => `PUT ${p}`));

  proxy.failNext(3, 500);
  proxy.recover();
  assert.deepEqual(await put('/c/6', 'after'), { status: 201, text: 'stored', retryAfter: null });
  assert.equal(received.length, before + 1);
  assert.match(received.at(-1) ?? '', / after$/);
});

test('delayReplies lets the receiver act at once but holds its answer back, only for the requests it matches, until stopDelaying', async () => {
  const before = received.length;
  proxy.delayReplies(400, (request) => request.method === 'PUT');
  const sentAt = performance.now();
  const answer = put('/d/held', 'late');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(received.length, before + 1, 'the receiver already has the request');
  assert.equal(proxy.heldReplies(), 1, 'its answer is held back');
  const notMatched = await fetch(`${proxy.url}/d/get`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(notMatched.status, 201, 'a GET is not delayed');
  assert.deepEqual(await answer, { status: 201, text: 'stored', retryAfter: null });
  assert.ok(performance.now() - sentAt >= 390, 'the answer came after the delay');
  assert.equal(proxy.heldReplies(), 0);
  assert.deepEqual(proxy.delayed.slice(-1), ['PUT /d/held']);

  proxy.stopDelaying();
  await put('/d/after');
  assert.deepEqual(proxy.delayed.slice(-1), ['PUT /d/held'], 'no delay after stopDelaying');
});

test('a client that goes away while its answer is held back leaves the receiver with the request and the proxy serving', async () => {
  const before = received.length;
  proxy.delayReplies(300);
  await assert.rejects(fetch(`${proxy.url}/e/gone`, { method: 'PUT', body: 'x', signal: AbortSignal.timeout(100) }));
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(received.length, before + 1, 'the receiver acted on it');
  assert.equal(proxy.heldReplies(), 0);
  proxy.stopDelaying();
  assert.equal((await put('/e/next')).status, 201);
});
