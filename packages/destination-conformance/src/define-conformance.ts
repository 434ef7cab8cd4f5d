// The conformance suite: what every destination kind must do, run against its own receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { DeliveryBatch, Destination } from '@sluice/destinations';
import type { ConformanceHarness, RequestShape } from './destination-under-test.js';

export interface ConformanceOptions {
  /** How long a hung request may take to end after its abort (default 2 s). */
  abortWithinMs?: number;
  /** For HTTP kinds: headers and query parameters every request must carry; the harness must offer `requests()`. */
  requestShape?: RequestShape;
}

let batchCounter = 0;

/** A batch of NDJSON records whose text is unique to this call, so a receiver's content can be matched. */
export function conformanceBatch(lines: number, tag = `c${++batchCounter}`): { batch: DeliveryBatch; text: string } {
  let text = '';
  for (let i = 0; i < lines; i++) text += `${JSON.stringify({ RayID: `${tag}-${i}`, ClientIP: '198.51.100.7', EdgeResponseStatus: 200, Note: 'ünïcode "quoted"' })}\n`;
  const now = Date.now();
  return {
    text,
    batch: { body: gzipSync(Buffer.from(text)), records: lines, uncompressedBytes: Buffer.byteLength(text), startTimeMs: now, endTimeMs: now, suffix: `${tag}-p0-o0` },
  };
}

function assertNoSecret(secret: string, ...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 200)}`);
}

/**
 * Defines the suite's tests for one destination kind. `makeHarness` runs once, before the tests;
 * each test builds its own destination.
 */
export function defineDestinationConformance(kind: string, makeHarness: () => Promise<ConformanceHarness>, options: ConformanceOptions = {}): void {
  let harness: ConformanceHarness;
  const destinations: Destination[] = [];
  const create = (): Destination => {
    const destination = harness.create();
    destinations.push(destination);
    return destination;
  };

  before(async () => {
    harness = await makeHarness();
  });
  after(async () => {
    await Promise.all(destinations.map((d) => d.close()));
    await harness?.close();
  });

  void test(`${kind}: a delivered batch reaches the receiver exactly, and its body is the gzip of the records`, async () => {
    const { batch, text } = conformanceBatch(50);
    const result = await create().deliver(batch, AbortSignal.timeout(30_000));
    assert.equal(result.status, 'delivered', JSON.stringify(result));
    const accepted = await harness.accepted();
    assert.ok(accepted.includes(text), `the receiver holds the batch text (${accepted.length} deliveries seen)`);
  });

  const shape = options.requestShape;
  if (shape) {
    void test(`${kind}: every request carries the configured headers and query parameters, gzip-encoded, with no header_ parameter left in the URL`, async () => {
      const requests = harness.requests?.bind(harness);
      assert.ok(requests, 'the harness must offer requests() to check the request shape');
      const seenBefore = (await requests()).length;
      const result = await create().deliver(conformanceBatch(2).batch, AbortSignal.timeout(30_000));
      assert.equal(result.status, 'delivered', JSON.stringify(result));
      const seen = (await requests()).slice(seenBefore);
      assert.ok(seen.length >= 1, 'the receiver saw the request');
      for (const request of seen) {
        const url = new URL(request.url, 'http://receiver');
        for (const [name, value] of Object.entries(shape.headers)) assert.equal(request.headers[name], value, `header ${name}`);
        for (const [name, value] of Object.entries(shape.query)) assert.equal(url.searchParams.get(name), value, `query parameter ${name}`);
        assert.ok(![...url.searchParams.keys()].some((name) => name.toLowerCase().startsWith('header_')), `header_ parameter left in ${url.search}`);
        assert.equal(request.headers['content-encoding'], 'gzip');
      }
    });
  }

  void test(`${kind}: 503 with Retry-After is retryable with that delay, and nothing is stored`, async () => {
    const { batch, text } = conformanceBatch(3);
    harness.failNext(1, 503, { 'retry-after': '3' });
    const result = await create().deliver(batch, AbortSignal.timeout(30_000));
    assert.equal(result.status, 'retryable', JSON.stringify(result));
    assert.equal(result.status === 'retryable' ? result.retryAfterMs : undefined, 3000);
    assert.ok(!(await harness.accepted()).includes(text));
  });

  void test(`${kind}: 429 is retryable, and the same batch is delivered once the receiver recovers`, async () => {
    const { batch, text } = conformanceBatch(4);
    harness.failNext(1, 429);
    const destination = create();
    const first = await destination.deliver(batch, AbortSignal.timeout(30_000));
    assert.equal(first.status, 'retryable', JSON.stringify(first));
    const second = await destination.deliver(batch, AbortSignal.timeout(30_000));
    assert.equal(second.status, 'delivered', JSON.stringify(second));
    assert.equal((await harness.accepted()).filter((t) => t === text).length, 1);
  });

  void test(`${kind}: an authorisation failure is rejected, not retried`, async () => {
    const { batch } = conformanceBatch(2);
    harness.failNext(1, 403);
    const result = await create().deliver(batch, AbortSignal.timeout(30_000));
    assert.equal(result.status, 'rejected', JSON.stringify(result));
  });

  void test(`${kind}: an abort ends a hung delivery promptly without delivering`, async () => {
    const { batch } = conformanceBatch(2);
    harness.hangNext();
    const controller = new AbortController();
    const started = Date.now();
    const delivery = create().deliver(batch, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const result = await delivery;
    assert.notEqual(result.status, 'delivered');
    assert.ok(Date.now() - started < 100 + (options.abortWithinMs ?? 2_000), `took ${Date.now() - started} ms`);
  });

  void test(`${kind}: the secret never appears in the description or in any result`, async () => {
    const destination = create();
    const texts = [destination.description];
    for (const status of [400, 401, 403, 500, 503]) {
      harness.failNext(1, status);
      const result = await destination.deliver(conformanceBatch(1).batch, AbortSignal.timeout(30_000));
      texts.push(JSON.stringify(result));
    }
    const delivered = await destination.deliver(conformanceBatch(1).batch, AbortSignal.timeout(30_000));
    texts.push(JSON.stringify(delivered));
    assertNoSecret(harness.secret, ...texts);
  });
}
