import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordBeforeAnswer } from '../../src/gateway/stored-before-answer.js';
import type { StoreBound } from '../../src/gateway/stored-before-answer.js';
import { createEdgeClock } from '../../src/records/edge-clock.js';
import type { RequestFacts } from '../../src/records/request-facts.js';

/** A server whose every response streams two chunks under a Content-Length, its record stored when the test says. */
async function serve(t: { after(fn: () => void): void }, store: () => Promise<boolean>, bound?: StoreBound): Promise<{ port: number; recorded: RequestFacts[] }> {
  const recorded: RequestFacts[] = [];
  const server = createServer((_req, res) => {
    const facts = { status: 0, responseBytes: 0, responseBodyBytes: 10, endNs: 0n } as unknown as RequestFacts;
    recordBeforeAnswer(res, facts, createEdgeClock(), (done) => {
      recorded.push(done);
      return store();
    }, bound);
    res.writeHead(200, { 'content-length': '10' });
    res.write('hello');
    res.end('world');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, recorded };
}

function get(port: number): Promise<{ body: string; complete: boolean }> {
  return new Promise((resolve) => {
    let body = '';
    const req = request({ host: '127.0.0.1', port }, (res) => {
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body, complete: true }));
      res.on('error', () => resolve({ body, complete: false }));
      res.on('aborted', () => resolve({ body, complete: false }));
    });
    req.on('error', () => resolve({ body, complete: false }));
    req.end();
  });
}

test('sync: no byte of the last chunk goes out before the record is stored', async (t) => {
  let release: (stored: boolean) => void = () => undefined;
  const { port, recorded } = await serve(t, () => new Promise((resolve) => (release = resolve)));
  let got: { body: string; complete: boolean } | undefined;
  const reply = get(port).then((r) => (got = r));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(recorded.length, 1, 'recorded at the end, once');
  assert.equal(recorded[0]?.status, 200);
  assert.equal(got, undefined, 'the answer is incomplete while the record is not stored');
  release(true);
  await reply;
  assert.deepEqual(got, { body: 'helloworld', complete: true });
  assert.equal(recorded.length, 1, 'not recorded again when the response closes');
});

test('sync: a record that cannot be stored cuts the connection: the client never gets a whole answer', async (t) => {
  const { port } = await serve(t, () => Promise.resolve(false));
  const reply = await get(port);
  assert.equal(reply.complete, false);
  assert.notEqual(reply.body, 'helloworld');
});

test('sync: a store that never answers (a hung publisher thread) cuts the connection at the timeout, and is counted', async (t) => {
  let timeouts = 0;
  const { port } = await serve(t, () => new Promise<boolean>(() => undefined), { timeoutMs: 100, onTimeout: () => timeouts++ });
  const started = Date.now();
  // Without a bound the answer would never come: give up after 2 s rather than hang the suite.
  let guard: NodeJS.Timeout | undefined;
  const reply = await Promise.race([get(port), new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('the response was never cut')), 2_000)))]).finally(() => clearTimeout(guard));
  assert.equal(reply.complete, false);
  assert.notEqual(reply.body, 'helloworld');
  assert.ok(Date.now() - started >= 90, 'cut at the timeout, not before');
  assert.equal(timeouts, 1);
});

test('sync: a store answered within the timeout is not counted', async (t) => {
  let timeouts = 0;
  const { port } = await serve(t, () => Promise.resolve(true), { timeoutMs: 100, onTimeout: () => timeouts++ });
  assert.deepEqual(await get(port), { body: 'helloworld', complete: true });
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(timeouts, 0);
});
