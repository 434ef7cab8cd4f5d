// Tests for how bulk requests travel: TLS by default, insecure-skip-verify, deadlines, aborts and refused connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCertificate } from '@sluice/test-receivers';
import { defaultDestinations } from '../../src/registry.js';
import { validateDestination } from '../../src/validate-destination.js';
import { destinationFor, never, originBatch, receiverFor, records } from './es-fixture.js';

test('TLS is on by default: a self-signed certificate is rejected as HTTP_TLS, and insecure-skip-verify=true delivers', async (t) => {
  const receiver = await receiverFor(t, { tls: await createSelfSignedCertificate() });

  const verified = await destinationFor(t, receiver, '').deliver(originBatch(records(1)), never);
  const skipped = await destinationFor(t, receiver, '&insecure-skip-verify=true').deliver(originBatch(records(1)), never);

  assert.ok(verified.status === 'rejected' && verified.code === 'HTTP_TLS', JSON.stringify(verified));
  assert.equal(skipped.status, 'delivered');
  assert.equal(receiver.stored.size, 1);
});

test('TLS towards a plain-HTTP port is rejected with a hint to set tls=false, and plain HTTP towards a TLS port is not delivered', async (t) => {
  const tlsReceiver = await receiverFor(t, { tls: await createSelfSignedCertificate() });
  const plainReceiver = await receiverFor(t);

  const plainToTls = await destinationFor(t, tlsReceiver, '&tls=false').deliver(originBatch(records(1)), never);
  const tlsToPlain = await destinationFor(t, plainReceiver, '').deliver(originBatch(records(1)), never);

  assert.notEqual(plainToTls.status, 'delivered', JSON.stringify(plainToTls));
  assert.ok(tlsToPlain.status === 'rejected' && tlsToPlain.code === 'ES_PLAIN_HTTP_PORT', JSON.stringify(tlsToPlain));
  assert.match(tlsToPlain.message, /tls=false/);
});

test('a receiver that never answers ends in a retryable HTTP_TIMEOUT after the configured deadline', async (t) => {
  const receiver = await receiverFor(t);
  receiver.hangNext();
  const startedAt = Date.now();
  const result = await destinationFor(t, receiver, '&tls=false', { timeoutMs: 200 }).deliver(originBatch(records(1)), never);
  const tookMs = Date.now() - startedAt;
  assert.deepEqual(result, { status: 'retryable', code: 'HTTP_TIMEOUT', message: 'no complete answer within 200 ms' });
  assert.ok(tookMs >= 190 && tookMs < 2_000, `took ${tookMs} ms`);
});

test('aborting ends a hung request promptly as retryable, and an already aborted signal sends nothing', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver);
  receiver.hangNext();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const startedAt = Date.now();

  const hung = await destination.deliver(originBatch(records(1)), controller.signal);
  const tookMs = Date.now() - startedAt;
  const before = receiver.requests.length;
  const early = await destination.deliver(originBatch(records(1)), AbortSignal.abort());

  assert.ok(hung.status === 'retryable' && hung.code === 'HTTP_ABORTED', JSON.stringify(hung));
  assert.ok(tookMs < 1_000, `took ${tookMs} ms`);
  assert.ok(early.status === 'retryable' && early.code === 'HTTP_ABORTED', JSON.stringify(early));
  assert.equal(receiver.requests.length, before);
});

test('a refused connection is retryable', async (t) => {
  const receiver = await receiverFor(t);
  const destination = destinationFor(t, receiver);
  await receiver.close();
  const result = await destination.deliver(originBatch(records(1)), never);
  assert.ok(result.status === 'retryable' && result.code === 'HTTP_CONNECTION', JSON.stringify(result));
  assert.match(result.message, /ECONNREFUSED/);
});

test('validation creates one test document, and the same validation again passes on its 409', async (t) => {
  const receiver = await receiverFor(t);
  const conf = `elasticsearch://${receiver.address}/logs-edge?tls=false`;

  const first = await validateDestination(defaultDestinations, conf, never);
  const again = await validateDestination(defaultDestinations, conf, never);

  assert.equal(first.status, 'delivered');
  assert.equal(again.status, 'delivered');
  assert.deepEqual([...receiver.stored.entries()], [['sluice-validation-0', '{"content":"tests"}']]);
});

test('a validation document the index refuses fails the validation with the reason', async (t) => {
  const receiver = await receiverFor(t);
  receiver.refuse(() => ({ status: 400, type: 'strict_dynamic_mapping_exception', reason: 'mapping set to strict, dynamic introduction of [content] within [_doc] is not allowed' }));
  const result = await validateDestination(defaultDestinations, `opensearch://${receiver.address}/logs-edge?tls=false`, never);
  assert.deepEqual(result, {
    status: 'rejected',
    code: 'ES_VALIDATION_REFUSED',
    message: 'the index refused the test document: strict_dynamic_mapping_exception: mapping set to strict, dynamic introduction of [content] within [_doc] is not allowed',
  });
});
