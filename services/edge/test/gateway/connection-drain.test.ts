import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnectionDrain } from '../../src/gateway/connection-drain.js';

/** A server whose answers wait for `release`; `headFirst` sends the head at once and only the body waits. */
async function heldServer(headFirst: boolean) {
  const drain = createConnectionDrain();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived: () => void = () => undefined;
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((_req, res: ServerResponse) => {
    drain.track(res);
    if (headFirst) res.writeHead(200, { 'content-type': 'text/plain' });
    arrived();
    void released.then(() => {
      if (!headFirst) res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('done');
    });
  });
  // As the gateway: idle connections live longer than the test.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { drain, server, port: (server.address() as AddressInfo).port, release, inFlight };
}

function get(port: number, agent: Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** One request held in flight while close() is called with a minute's grace; its answer, and whether close ended within 5 s. */
async function closeWhileAnswering(headFirst: boolean): Promise<{ reply: Awaited<ReturnType<typeof get>>; close: string }> {
  const held = await heldServer(headFirst);
  // A client that keeps its connections for a minute, as load balancers do.
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  try {
    const answer = get(held.port, agent);
    await held.inFlight;
    const closing = held.drain.close(held.server, 60_000);
    held.release();
    const reply = await answer;
    const close = await Promise.race([closing.then(() => 'closed'), new Promise<string>((resolve) => setTimeout(() => resolve('held open'), 5_000).unref())]);
    return { reply, close };
  } finally {
    agent.destroy();
    held.server.closeAllConnections();
  }
}

describe('closing the gateway\'s server', () => {
  it('answers a request in flight in full with Connection: close, and closes although the client keeps its connections', async () => {
    const { reply, close } = await closeWhileAnswering(false);
    assert.deepEqual(reply, { status: 200, connection: 'close', body: 'done' });
    assert.equal(close, 'closed');
  });

  it('closes the connection of an answer already streaming at close once it is done', async () => {
    const { reply, close } = await closeWhileAnswering(true);
    assert.equal(reply.body, 'done');
    assert.equal(close, 'closed');
  });
});
