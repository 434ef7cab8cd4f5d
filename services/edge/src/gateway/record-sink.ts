// Hands a finished request's records to the publisher; a record the schema refuses is counted and logged, never thrown at a request.
import type { Logger } from '@sluice/logging';
import type { RecordPublisher } from '../publish/record-publisher.js';
import { accessEventRecord } from '../records/access-event-record.js';
import type { AccessEvent } from '../records/access-event-record.js';
import { httpRequestRecord } from '../records/http-request-record.js';
import type { RecordMessages } from '../records/record-messages.js';
import type { RequestFacts } from '../records/request-facts.js';
import type { CompiledApp } from './compiled-app.js';
import type { EdgeMetrics } from './edge-metrics.js';

export interface RecordSink {
  request(facts: RequestFacts, app: CompiledApp): void;
  access(event: AccessEvent): void;
}

export function createRecordSink(options: { publisher: RecordPublisher; messages: RecordMessages; metrics: EdgeMetrics; logger: Logger; accountId: string }): RecordSink {
  const { publisher, messages, metrics, logger, accountId } = options;
  const refused = (dataset: string, rayId: string, error: unknown): void => {
    metrics.unencodable.inc();
    logger.error({ dataset, rayId, err: error }, `a ${dataset} record could not be encoded and is not published`);
  };
  return {
    request(facts, app) {
      try {
        publisher.publish(messages.httpRequest(httpRequestRecord(facts, app.scope), app.scope.zoneId, accountId, facts.rayId, facts.startNs));
      } catch (error) {
        refused('http_requests', facts.rayId, error);
      }
    },
    access(event) {
      try {
        publisher.publish(messages.accessEvent(accessEventRecord(event, accountId), accountId, event.rayId, event.createdAtNs));
      } catch (error) {
        refused('access_requests', event.rayId, error);
      }
    },
  };
}
