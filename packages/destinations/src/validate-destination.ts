// Logpush's destination validation: write the gzipped `{"content":"tests"}` and report what happened.
import { gzipText } from './gzip/gzip-text.js';
import type { DeliveryResult } from './destination.js';
import type { DestinationRegistry } from './registry.js';

export const VALIDATION_PAYLOAD = '{"content":"tests"}';

export type ValidationResult = DeliveryResult | { status: 'invalid'; message: string };

/** Never throws: a bad URI is `invalid`, a refused write `rejected`, a passing failure `retryable`. */
export async function validateDestination(registry: DestinationRegistry, destinationConf: string, signal: AbortSignal): Promise<ValidationResult> {
  const problem = registry.check(destinationConf);
  if (problem !== undefined) return { status: 'invalid', message: problem };
  const destination = registry.create(destinationConf);
  const body = await gzipText(VALIDATION_PAYLOAD);
  try {
    if (destination.validate) return await destination.validate(body, signal);
    const now = Date.now();
    return await destination.deliver({ body, records: 1, uncompressedBytes: VALIDATION_PAYLOAD.length, startTimeMs: now, endTimeMs: now, suffix: 'test' }, signal);
  } finally {
    await destination.close();
  }
}
