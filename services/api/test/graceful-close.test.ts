import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import fastify from 'fastify';
import { closeConnectionsAfterAnswers } from '../src/graceful-close.js';

void test('a request in flight at close is answered with Connection: close, so a keep-alive client cannot hold the server open', async () => {
  const app = fastify({ return503OnClosing: true });
  closeConnectionsAfterAnswers(app);
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived: () => void = () => undefined;
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  app.get('/slow', async () => {
    arrived();
    await released;
    return { done: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  // A client that keeps its connections for a minute, as load balancers and undici do.
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  try {
    const answer = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      })
        .on('error', reject)
        .end();
    });
    await inFlight;
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(closed, false, 'close waits for the request in flight');
    release();
    const reply = await answer;
    assert.deepEqual({ status: reply.status, body: JSON.parse(reply.body) as unknown }, { status: 200, body: { done: true } });
    assert.equal(reply.connection, 'close');
    const limit = new Promise<'held open'>((resolve) => setTimeout(() => resolve('held open'), 5_000).unref());
    assert.equal(await Promise.race([closing.then(() => 'closed' as const), limit]), 'closed', 'close completes although the client keeps its connections');
  } finally {
    agent.destroy();
    await app.close();
  }
});
