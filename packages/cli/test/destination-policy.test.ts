import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowListOf, guardedRegistry } from '../src/destination-policy.js';

const batch = { body: Buffer.from([0x1f, 0x8b]), records: 0, uncompressedBytes: 0, startTimeMs: 0, endTimeMs: 0, suffix: 'job1-p0-o0' };

test('a store-mode destination at a private address is refused at connect, without a packet sent', async () => {
  // 10.0.0.1 is an address literal: the guard refuses it before any socket is opened.
  const destination = guardedRegistry(allowListOf('')).create('https://10.0.0.1/ingest');
  const result = await destination.deliver(batch, new AbortController().signal);
  await destination.close();
  assert.notEqual(result.status, 'delivered');
  assert.match(JSON.stringify(result), /ADDRESS_NOT_ALLOWED/);
});

test('an allowed loopback host is delivered to', async () => {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const destination = guardedRegistry(allowListOf('127.0.0.1')).create(`http://127.0.0.1:${port}/ingest`);
    const result = await destination.deliver(batch, new AbortController().signal);
    await destination.close();
    assert.equal(result.status, 'delivered', JSON.stringify(result));
  } finally {
    server.close();
  }
});

test('a bad allow-list entry names the flag and the entry', () => {
  assert.throws(() => allowListOf('127.0.0.1,not a host!'), /--allow-destination-hosts \(or \$SLUICE_ALLOW_DESTINATION_HOSTS\): .*not a host!/);
});
