// Tests for finding adjacent free ports for a scratch broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { canListen, findFreePortPair, findFreePorts, SCRATCH_PORT_RANGE } from '../src/free-ports.js';
import { isInfraError } from '../src/infra-error.js';

const HOST = '127.0.0.1';

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(port, HOST, done));
  return server;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((done) => server.close(() => done()));
}

/** A `random` that lands on `port` in SCRATCH_PORT_RANGE (mid-step, so rounding cannot land on its neighbour). */
function pointingAt(port: number): number {
  return (port - SCRATCH_PORT_RANGE.first + 0.5) / (SCRATCH_PORT_RANGE.last - SCRATCH_PORT_RANGE.first);
}

test('the port found and the one after it are free and below the ranges used for outgoing connections', async () => {
  const port = await findFreePortPair(HOST);
  assert.ok(port >= SCRATCH_PORT_RANGE.first && port + 1 <= SCRATCH_PORT_RANGE.last, String(port));
  assert.ok(port + 1 < 32_768);
  assert.equal(await canListen(HOST, port), true);
  assert.equal(await canListen(HOST, port + 1), true);
});

test('a port something listens on cannot be listened on', async () => {
  const port = await findFreePortPair(HOST);
  const holder = await listen(port);
  try {
    assert.equal(await canListen(HOST, port), false);
  } finally {
    await close(holder);
  }
  assert.equal(await canListen(HOST, port), true);
});

test('a pair whose second port is taken is passed over for the next draw', async () => {
  const free = await findFreePortPair(HOST);
  const taken = await findFreePortPair(HOST);
  const holder = await listen(taken + 1);
  try {
    const draws = [pointingAt(taken), pointingAt(free)];
    assert.equal(await findFreePortPair(HOST, () => draws.shift() ?? 0), free);
  } finally {
    await close(holder);
  }
});

test('running out of attempts fails with INFRA_NO_FREE_PORT', async () => {
  const taken = await findFreePortPair(HOST);
  const holder = await listen(taken);
  try {
    await assert.rejects(findFreePortPair(HOST, () => pointingAt(taken), 3), (error) => isInfraError(error, 'INFRA_NO_FREE_PORT'));
  } finally {
    await close(holder);
  }
});

test('four adjacent ports for a secured broker skip a start whose third port is taken', async () => {
  const taken = await findFreePorts(HOST, 4);
  const holder = await listen(taken + 2);
  try {
    const draws = [pointingAt(taken), pointingAt(taken + 10)];
    const found = await findFreePorts(HOST, 4, () => draws.shift() ?? Math.random());
    assert.notEqual(found, taken);
    for (let offset = 0; offset < 4; offset += 1) assert.equal(await canListen(HOST, found + offset), true);
  } finally {
    await close(holder);
  }
});
