// Delivers a batch to Datadog's log intake as gzip JSON arrays of at most 1,000 entries and 5 MB each, read from the batch as they are sent.
import type { DeliveryResult, Destination, RefusedRecord } from '../destination.js';
import { createDeliveryProgress } from '../delivery-progress.js';
import type { DeliveryProgress } from '../delivery-progress.js';
import { gunzipLines } from '../gzip/gunzip-lines.js';
import { gzipText } from '../gzip/gzip-text.js';
import { createHttpDestination } from '../http/http-destination.js';
import type { HttpDestinationOptions } from '../http/http-destination.js';
import { cutRequests } from '../request-cutting/cut-requests.js';
import type { DatadogConfig } from './datadog-config.js';
import { DATADOG_LIMITS } from './datadog-config.js';
import { datadogEntries, encodeDatadogBody, requestLimits } from './datadog-encoder.js';
import type { DatadogLimits } from './datadog-encoder.js';

export interface DatadogDestinationOptions extends HttpDestinationOptions {
  /** Lines of each batch Datadog already took, so a redelivery after a partial failure sends only the rest. */
  progress?: DeliveryProgress;
  limits?: DatadogLimits;
}

/** Each request goes through the generic HTTP destination: same client, classification, batch id header and secret scrubbing. */
export function createDatadogDestination(config: DatadogConfig, options: DatadogDestinationOptions = {}): Destination {
  const http = createHttpDestination(config, options);
  const progress = options.progress ?? createDeliveryProgress();
  const limits = options.limits ?? DATADOG_LIMITS;
  return {
    kind: 'datadog',
    description: config.description,
    async deliver(batch, signal): Promise<DeliveryResult> {
      const refused: RefusedRecord[] = [];
      const entries = datadogEntries(gunzipLines(batch.body), batch.origin?.offsets ?? [], progress.accepted(batch), limits, refused);
      try {
        // Each array is sent before the next is read from the body: memory holds one request's entries.
        for await (const run of cutRequests(entries, (entry) => entry.bytes, requestLimits(limits))) {
          const text = encodeDatadogBody(run);
          const result = await http.deliver({ ...batch, body: await gzipText(text), uncompressedBytes: Buffer.byteLength(text) }, signal);
          if (result.status !== 'delivered') return result;
          progress.record(batch, (run.at(-1)?.line ?? 0) + 1);
        }
      } catch (error) {
        // Only reading the batch can throw here; the interface promises a result regardless.
        return { status: 'rejected', code: 'DATADOG_UNREADABLE_BATCH', message: `the batch body is not gzip: ${error instanceof Error ? error.message : String(error)}` };
      }
      progress.forget(batch);
      return { status: 'delivered', location: config.location, ...(refused.length > 0 ? { refused } : {}) };
    },
    close: () => http.close(),
  };
}
