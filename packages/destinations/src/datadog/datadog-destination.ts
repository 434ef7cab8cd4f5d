// Delivers a batch to Datadog's log intake as gzip JSON arrays of at most 1,000 entries and 5 MB each.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DeliveryResult, Destination } from '../destination.js';
import { createDeliveryProgress } from '../delivery-progress.js';
import type { DeliveryProgress } from '../delivery-progress.js';
import { createHttpDestination } from '../http/http-destination.js';
import type { HttpDestinationOptions } from '../http/http-destination.js';
import type { DatadogConfig } from './datadog-config.js';
import { DATADOG_LIMITS } from './datadog-config.js';
import { encodeDatadogChunks } from './datadog-encoder.js';
import type { DatadogLimits } from './datadog-encoder.js';

export interface DatadogDestinationOptions extends HttpDestinationOptions {
  /** Lines of each batch Datadog already took, so a redelivery after a partial failure sends only the rest. */
  progress?: DeliveryProgress;
  limits?: DatadogLimits;
}

/** Each request goes through the generic HTTP destination: same classification, timeouts and secret scrubbing. */
export function createDatadogDestination(config: DatadogConfig, options: DatadogDestinationOptions = {}): Destination {
  const http = createHttpDestination(config, options);
  const progress = options.progress ?? createDeliveryProgress();
  const limits = options.limits ?? DATADOG_LIMITS;
  return {
    kind: 'datadog',
    description: config.description,
    async deliver(batch, signal): Promise<DeliveryResult> {
      const text = gunzipSync(batch.body).toString('utf8');
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const { chunks, refused } = encodeDatadogChunks(lines, batch.origin?.offsets ?? [], progress.accepted(batch), limits);
      for (const chunk of chunks) {
        if (chunk.body !== '') {
          const body = gzipSync(chunk.body);
          const result = await http.deliver({ ...batch, body, uncompressedBytes: chunk.body.length }, signal);
          if (result.status !== 'delivered') return result;
        }
        progress.record(batch, chunk.endLine);
      }
      progress.forget(batch);
      return { status: 'delivered', location: config.location, ...(refused.length > 0 ? { refused } : {}) };
    },
    close: () => http.close(),
  };
}
