// Delivers a batch to Datadog's log intake one gzip JSON array (of at most 1,000 entries and 5 MB) per request, as the pipeline built it.
import type { DeliveryResult, Destination } from '../destination.js';
import { createDeliveryProgress } from '../delivery-progress.js';
import type { DeliveryProgress } from '../delivery-progress.js';
import { partBatchId } from '../http-client/batch-id-header.js';
import { createHttpDestination } from '../http/http-destination.js';
import type { HttpDestinationOptions } from '../http/http-destination.js';
import { pendingParts, wireParts } from '../wire/wire-parts.js';
import type { DatadogConfig } from './datadog-config.js';
import { DATADOG_LIMITS } from './datadog-config.js';
import { datadogWireEncoding } from './datadog-encoder.js';
import type { DatadogLimits } from './datadog-encoder.js';

export interface DatadogDestinationOptions extends HttpDestinationOptions {
  /** Entries of each batch Datadog already took, so a redelivery after a partial failure sends only the rest. */
  progress?: DeliveryProgress;
  limits?: DatadogLimits;
}

/** Each request goes through the generic HTTP destination: same client, classification and secret scrubbing; each array is named as its part. */
export function createDatadogDestination(config: DatadogConfig, options: DatadogDestinationOptions = {}): Destination {
  const http = createHttpDestination(config, options);
  const progress = options.progress ?? createDeliveryProgress();
  const wireEncoding = datadogWireEncoding(options.limits ?? DATADOG_LIMITS);
  return {
    kind: 'datadog',
    description: config.description,
    wireEncoding,
    async deliver(batch, signal): Promise<DeliveryResult> {
      let wire;
      try {
        wire = await wireParts(batch, wireEncoding);
      } catch (error) {
        // Only reading a batch built elsewhere can throw here; the interface promises a result regardless.
        return { status: 'rejected', code: 'DATADOG_UNREADABLE_BATCH', message: `the batch body is not gzip: ${error instanceof Error ? error.message : String(error)}` };
      }
      // Parts are accepted whole, so a redelivery starts at a part boundary.
      for (const { part, index, first } of pendingParts(wire.parts, progress.accepted(batch))) {
        const result = await http.deliver({ ...batch, body: part.body, uncompressedBytes: part.uncompressedBytes, suffix: partBatchId(batch, index) }, signal);
        if (result.status !== 'delivered') return result;
        progress.record(batch, first + part.records);
      }
      progress.forget(batch);
      // Refusals cover the whole batch, so none is lost when an earlier attempt failed part-way.
      return { status: 'delivered', location: config.location, ...(wire.keptOut.length > 0 ? { refused: [...wire.keptOut] } : {}) };
    },
    close: () => http.close(),
  };
}
