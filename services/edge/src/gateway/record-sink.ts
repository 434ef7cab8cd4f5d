// Hands a finished request's records to the publisher; a record the schema refuses is counted and logged, never thrown at a request.
import type { Logger } from '@sluice/logging';
import type { PublishedMessage } from '../publish/published-message.js';
import type { RecordPublisher } from '../publish/record-publisher.js';
import { accessEventRecord } from '../records/access-event-record.js';
import type { AccessEvent } from '../records/access-event-record.js';
import { httpRequestRecord } from '../records/http-request-record.js';
import type { RecordMessages } from '../records/record-messages.js';
import type { RequestFacts } from '../records/request-facts.js';
import type { RefusedRecordsConfig } from '../config/publishing-section.js';
import { createRefusedRecordGate, withSampleInterval } from '../sampling/refused-record-gate.js';
import type { CompiledApp } from './compiled-app.js';
import type { EdgeMetrics } from './edge-metrics.js';

export interface RecordSink {
  request(facts: RequestFacts, app: CompiledApp): void;
  /** Sync durability: resolves once the record is stored (false: it could not be); at once for a record sampling leaves out. */
  requestStored(facts: RequestFacts, app: CompiledApp): Promise<boolean>;
  access(event: AccessEvent): void;
}

export function createRecordSink(options: { publisher: RecordPublisher; messages: RecordMessages; metrics: EdgeMetrics; logger: Logger; accountId: string; refusedRecords?: RefusedRecordsConfig }): RecordSink {
  const { publisher, messages, metrics, logger, accountId } = options;
  // A flood of refused requests is recorded capped per client IP, sampled beyond (sampling/).
  const gate = createRefusedRecordGate(options.refusedRecords, metrics.registry);
  const refused = (dataset: string, rayId: string, error: unknown): void => {
    metrics.unencodable.inc();
    logger.error({ dataset, rayId, err: error }, `a ${dataset} record could not be encoded and is not published`);
  };
  /** The record's message, unless sampling leaves it out or the schema refuses it (counted and logged). */
  const httpMessage = (facts: RequestFacts, app: CompiledApp): PublishedMessage | undefined => {
    const interval = gate.forRequest(facts);
    if (interval === 0) return undefined;
    try {
      return withSampleInterval(messages.httpRequest(httpRequestRecord(facts, app.scope), app.scope.zoneId, accountId, facts.rayId, facts.startNs), interval);
    } catch (error) {
      refused('http_requests', facts.rayId, error);
      return undefined;
    }
  };
  return {
    request(facts, app) {
      const message = httpMessage(facts, app);
      if (message !== undefined) publisher.publish(message);
    },
    requestStored(facts, app) {
      const message = httpMessage(facts, app);
      if (message === undefined) return Promise.resolve(true);
      return publisher.publishDurably?.(message) ?? (publisher.publish(message), Promise.resolve(true));
    },
    access(event) {
      const interval = gate.forAccess(event);
      if (interval === 0) return;
      try {
        publisher.publish(withSampleInterval(messages.accessEvent(accessEventRecord(event, accountId), accountId, event.rayId, event.createdAtNs), interval));
      } catch (error) {
        refused('access_requests', event.rayId, error);
      }
    },
  };
}
