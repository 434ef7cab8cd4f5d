// Shared setup for the Splunk HEC tests: one certificate per file, a receiver and a destination per test, both closed after it.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Destination } from '../../src/destination.js';
import { parseSplunkConf } from '../../src/splunk-hec/splunk-config.js';
import { createSplunkDestination } from '../../src/splunk-hec/splunk-destination.js';
import type { SplunkDestinationOptions } from '../../src/splunk-hec/splunk-destination.js';
import { startHecReceiver } from '@sluice/test-receivers';
import type { HecReceiver, HecReceiverOptions } from '@sluice/test-receivers';
import { createSelfSignedCertificate } from '@sluice/test-receivers';
import type { SelfSignedCertificate } from '@sluice/test-receivers';

export const TOKEN = '7d0f3b1e-5c2a-4e8b-9a61-c0ffee5ec2e7';
export const CHANNEL = '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba';

let certificate: Promise<SelfSignedCertificate> | undefined;

/** Generated once per test file: RSA key generation is the slowest step of the setup. */
export function testCertificate(): Promise<SelfSignedCertificate> {
  certificate ??= createSelfSignedCertificate();
  return certificate;
}

export async function receiverFor(t: TestContext, options: Partial<Omit<HecReceiverOptions, 'tls'>> = {}): Promise<HecReceiver> {
  const receiver = await startHecReceiver({ tls: await testCertificate(), token: TOKEN, ...options });
  t.after(() => receiver.close());
  return receiver;
}

/** `query` is appended to the URI as is; insecure-skip-verify=true because the receiver's certificate is self-signed. */
export function destinationFor(t: TestContext, receiver: HecReceiver, query = '', options: SplunkDestinationOptions = {}, path = '/services/collector/raw'): Destination {
  const parsed = parseSplunkConf(`splunk://${receiver.address}${path}?insecure-skip-verify=true&header_Authorization=Splunk%20${TOKEN}${query}`);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const destination = createSplunkDestination(parsed.config, options);
  t.after(() => destination.close());
  return destination;
}

/** Realistic NDJSON records: each distinct, so order and duplicates show. */
export function httpRequestRecords(count: number, padding = 0): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ RayID: `7f${i.toString(16).padStart(14, '0')}`, ClientIP: `203.0.113.${i % 250}`, EdgeResponseStatus: 200, Seq: i, Pad: randomHex(padding) }),
  );
}

// Hex from a fixed-seed generator: compresses about 2:1, so request sizes are predictable yet not tiny.
let seed = 42;
function randomHex(chars: number): string {
  let text = '';
  for (let i = 0; i < chars; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += (seed >>> 8).toString(16).slice(-1);
  }
  return text;
}

/** A signal that never aborts. */
export const never: AbortSignal = new AbortController().signal;
