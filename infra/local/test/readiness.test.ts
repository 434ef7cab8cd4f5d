// Tests for the wait-until-ready loop, the port check and the probes' failure answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInfraError } from '../src/infra-error.js';
import { localInfraEnv } from '../src/infra-env.js';
import { describeLogs, isPortOpen, probeKafka, probeS3, waitForReady } from '../src/readiness.js';

function logWith(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'infra-ready-')), 'server.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A port that was free a moment ago: listen on 0, note the port, close. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('waiting ends as soon as the probe answers', async () => {
  let calls = 0;
  await waitForReady({ title: 'X', probe: () => Promise.resolve(++calls === 3), timeoutMs: 5_000, intervalMs: 1, isAlive: () => true, logs: [] });
  assert.equal(calls, 3);
});

test('a server that never answers times out with INFRA_READY_TIMEOUT naming its log and quoting its tail', async () => {
  const log = logWith(['starting', 'ERROR Address already in use']);
  await assert.rejects(
    waitForReady({ title: 'Kafka 3.9.1', probe: () => Promise.resolve(false), timeoutMs: 30, intervalMs: 5, isAlive: () => true, logs: [{ path: log, fromByte: 0 }] }),
    (error) => isInfraError(error, 'INFRA_READY_TIMEOUT') && error.message.includes(`Read ${log}`) && error.message.includes('Address already in use'),
  );
});

test('a server whose process died stops the wait at once with INFRA_PROCESS_EXITED', async () => {
  const startedAt = Date.now();
  await assert.rejects(
    waitForReady({ title: 'S3Proxy', probe: () => Promise.resolve(false), timeoutMs: 60_000, isAlive: () => false, logs: [{ path: logWith(['boom']), fromByte: 0 }] }),
    (error) => isInfraError(error, 'INFRA_PROCESS_EXITED') && error.message.includes('boom'),
  );
  assert.ok(Date.now() - startedAt < 5_000);
});

test('error messages quote only what a log gained since this start', () => {
  const log = logWith(['old run: fine']);
  const fromByte = 'old run: fine\n'.length;
  appendFileSync(log, 'this run: broken\n');
  const text = describeLogs([{ path: log, fromByte }]);
  assert.match(text, /this run: broken/);
  assert.doesNotMatch(text, /old run/);
});

test('logs that gained nothing are left out, and with none at all the main log is still named', () => {
  const quiet = logWith(['unchanged']);
  const size = 'unchanged\n'.length;
  assert.equal(describeLogs([{ path: '/nonexistent/kafka.log', fromByte: 0 }, { path: quiet, fromByte: size }]), 'Read /nonexistent/kafka.log (nothing logged yet).');
});

test('the port check tells a listening port from a closed one', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  assert.equal(await isPortOpen('127.0.0.1', port), true);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.equal(await isPortOpen('127.0.0.1', port), false);
});

test('the probes answer false, not an exception, when nothing listens', async () => {
  const port = await freePort();
  assert.equal(await probeKafka(`127.0.0.1:${port}`, 500), false);
  assert.equal(await probeS3({ ...localInfraEnv(), S3_ENDPOINT: `http://127.0.0.1:${port}` }, 500), false);
});

test('the S3 probe answers false when a server replies but not with a bucket list', async () => {
  const { createServer: createHttpServer } = await import('node:http');
  const server = createHttpServer((_request, response) => response.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    assert.equal(await probeS3({ ...localInfraEnv(), S3_ENDPOINT: `http://127.0.0.1:${port}` }, 1_000), false);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
