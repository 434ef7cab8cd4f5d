// Tests that connections go only to the addresses vetted at connect time: an injected resolver and connect function, and loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Agent } from 'node:http';
import type { buildConnector } from 'undici';
import { createAddressGuard } from '../../src/address-policy/address-guard.js';
import type { Resolve } from '../../src/address-policy/address-guard.js';
import { parseAllowList } from '../../src/address-policy/allow-list.js';
import { AddressRefusedError, guardConnector, guardedAgents } from '../../src/address-policy/guarded-connect.js';
import { createHttpClient } from '../../src/http-client/http-client.js';
import { startReceiver } from '../http/local-receiver.js';
import { tableResolver } from '../support/table-resolver.js';

const LOOPBACK_ALLOWED = (() => {
  const parsed = parseAllowList('127.0.0.1');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.allow;
})();

/** Answers each name from its list in turn: the first lookup public, the next one private (DNS rebinding). */
function rebinding(answers: Record<string, string[][]>): Resolve {
  return (host) => Promise.resolve(answers[host]?.shift() ?? []);
}

function connectOnce(connector: buildConnector.connector, hostname: string): Promise<{ error: Error | null }> {
  return new Promise((resolve) => connector({ hostname, host: `${hostname}:443`, protocol: 'https:', port: '443' }, (...args) => resolve({ error: args[0] })));
}

test('undici: the connector connects to the vetted address under the original name, and refuses when the name rebinds to a private one', async () => {
  const seen: buildConnector.Options[] = [];
  const fakeConnect: buildConnector.connector = (options, callback) => {
    seen.push(options);
    callback(new Error('the fake connect function never opens a socket'), null);
  };
  const guard = createAddressGuard({ resolve: rebinding({ 'logs.example': [['93.184.216.34'], ['10.0.0.5']] }) });
  const connector = guardConnector(guard, fakeConnect);

  const first = await connectOnce(connector, 'logs.example');
  assert.match(first.error?.message ?? '', /fake connect/);
  assert.equal(seen[0]?.hostname, '93.184.216.34');
  assert.equal(seen[0]?.servername, 'logs.example');

  const second = await connectOnce(connector, 'logs.example');
  assert.ok(second.error instanceof AddressRefusedError);
  assert.equal(second.error.code, 'ADDRESS_NOT_ALLOWED');
  assert.match(second.error.message, /^host "logs\.example" resolves to a private address/);
  assert.equal(seen.length, 1, 'nothing was connected after the rebinding');
});

test('undici: an address written in the URL is vetted too, without a resolver', async () => {
  let connects = 0;
  const connector = guardConnector(createAddressGuard({ resolve: () => Promise.reject(new Error('not asked')) }), (_options, callback) => {
    connects++;
    callback(new Error('unreachable'), null);
  });
  const { error } = await connectOnce(connector, '169.254.169.254');
  assert.match(error?.message ?? '', /^169\.254\.169\.254 is a cloud metadata address/);
  assert.equal(connects, 0);
});

test('the HTTP client with a guard reaches an allowed loopback receiver by name, Host header intact, and reports a refusal as a network failure', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const port = new URL(receiver.origin).port;
  const client = createHttpClient({ timeoutMs: 5_000, addressGuard: createAddressGuard({ allow: LOOPBACK_ALLOWED, resolve: tableResolver({ 'receiver.test': ['127.0.0.1'], 'intranet.test': ['10.9.8.7'] }) }) });
  t.after(() => client.close());

  const sent = await client.send({ url: `http://receiver.test:${port}/ingest`, headers: {}, body: Buffer.from('x') }, AbortSignal.timeout(5_000));
  assert.equal(sent.ok && sent.reply.status, 200);
  assert.equal(receiver.requests[0]?.headers.host, `receiver.test:${port}`);

  const refused = await client.send({ url: `http://intranet.test:${port}/ingest`, headers: {}, body: Buffer.from('x') }, AbortSignal.timeout(5_000));
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.ok ? undefined : refused.failure, { reason: 'network', code: 'ADDRESS_NOT_ALLOWED', message: 'host "intranet.test" resolves to a private address (RFC 1918), which destinations may not use unless the operator allows it (sluice api --allow-destination-hosts)' });
  assert.equal(receiver.requests.length, 1);
});

function get(agent: Agent, url: string): Promise<{ status?: number; error?: Error }> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

test('node Agents (the S3 client): an allowed name connects to its vetted loopback address; metadata and private addresses never connect', async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const port = new URL(receiver.origin).port;
  const { httpAgent, httpsAgent } = guardedAgents(createAddressGuard({ allow: LOOPBACK_ALLOWED, resolve: tableResolver({ 'bucket.test': ['127.0.0.1'], 'imds.test': ['169.254.169.254'] }) }));
  t.after(() => {
    httpAgent.destroy();
    httpsAgent.destroy();
  });

  assert.deepEqual(await get(httpAgent, `http://bucket.test:${port}/b/k`), { status: 200 });
  assert.equal(receiver.requests[0]?.headers.host, `bucket.test:${port}`);

  const metadata = await get(httpAgent, `http://imds.test:${port}/latest/meta-data/`);
  assert.ok(metadata.error instanceof AddressRefusedError);
  assert.match(metadata.error.message, /^host "imds\.test" resolves to a cloud metadata address/);
  const literal = await get(httpAgent, 'http://10.1.2.3:9000/b/k');
  assert.match(literal.error?.message ?? '', /^10\.1\.2\.3 is a private address/);
  const secure = await get(httpsAgent, 'https://192.168.1.1/b/k');
  assert.match(secure.error?.message ?? '', /^192\.168\.1\.1 is a private address/);
  assert.equal(receiver.requests.length, 1);
});
