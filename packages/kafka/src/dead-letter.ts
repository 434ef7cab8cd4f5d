// The dead-letter topic: records that could not be decoded or delivered, with where they came from and why.
import type { IHeaders } from 'kafkajs';

/** One topic for every job; the headers say which job and which source record. */
export const DEAD_LETTER_TOPIC = 'sluice.dead-letter';

export interface DeadLetterEntry {
  jobId: number;
  reasonCode: string;
  reason: string;
  topic: string;
  partition: number;
  offset: string;
}

/** Header values are bounded: a reason is cut at 1,000 characters and a code at 100, whatever produced them. */
export function deadLetterHeaders(entry: DeadLetterEntry): IHeaders {
  return {
    'sluice-dlq-job-id': String(entry.jobId),
    'sluice-dlq-reason-code': entry.reasonCode.slice(0, 100),
    'sluice-dlq-reason': entry.reason.slice(0, 1000),
    'sluice-dlq-topic': entry.topic,
    'sluice-dlq-partition': String(entry.partition),
    'sluice-dlq-offset': entry.offset,
  };
}
