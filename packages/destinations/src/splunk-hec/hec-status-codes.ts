// The catalogue of HEC reply codes (`{"text":…,"code":N}`) and what each means for a batch.

/** `accepted`: HEC took the data. `retryable`: the same request may succeed later. `rejected`: someone must change something. */
export type HecOutcome = 'accepted' | 'retryable' | 'rejected';

export interface HecCodeInfo {
  /** Stable name; delivery results carry it as `HEC_<name>`. */
  name: string;
  outcome: HecOutcome;
}

/**
 * Codes as Splunk documents them, with the HTTP status HEC pairs them with. Codes not listed here
 * (newer Splunk versions add some) are judged by their HTTP status instead.
 */
export const HEC_CODES: ReadonlyMap<number, HecCodeInfo> = new Map([
  [0, { name: 'SUCCESS', outcome: 'accepted' }], // 200
  [1, { name: 'TOKEN_DISABLED', outcome: 'rejected' }], // 403
  [2, { name: 'TOKEN_REQUIRED', outcome: 'rejected' }], // 401
  [3, { name: 'INVALID_AUTHORIZATION', outcome: 'rejected' }], // 401: usually "Splunk " missing before the token
  [4, { name: 'INVALID_TOKEN', outcome: 'rejected' }], // 403
  [5, { name: 'NO_DATA', outcome: 'rejected' }], // 400
  [6, { name: 'INVALID_DATA_FORMAT', outcome: 'rejected' }], // 400, with "invalid-event-number"
  [7, { name: 'INCORRECT_INDEX', outcome: 'rejected' }], // 400: index not allowed for this token
  [8, { name: 'INTERNAL_SERVER_ERROR', outcome: 'retryable' }], // 500
  [9, { name: 'SERVER_BUSY', outcome: 'retryable' }], // 503: queues full, back off
  [10, { name: 'DATA_CHANNEL_MISSING', outcome: 'rejected' }], // 400: the token has indexer acknowledgement on
  [11, { name: 'INVALID_DATA_CHANNEL', outcome: 'rejected' }], // 400
  [12, { name: 'EVENT_FIELD_REQUIRED', outcome: 'rejected' }], // 400
  [13, { name: 'EVENT_FIELD_BLANK', outcome: 'rejected' }], // 400
  [14, { name: 'ACK_DISABLED', outcome: 'rejected' }], // 400
  [15, { name: 'INDEXED_FIELDS_ERROR', outcome: 'rejected' }], // 400
  [16, { name: 'QUERY_STRING_AUTH_DISABLED', outcome: 'rejected' }], // 400
  [18, { name: 'UNHEALTHY_QUEUES_FULL', outcome: 'retryable' }], // 503
  [19, { name: 'UNHEALTHY_ACK_UNAVAILABLE', outcome: 'retryable' }], // 503
  [20, { name: 'UNHEALTHY_QUEUES_FULL_ACK_UNAVAILABLE', outcome: 'retryable' }], // 503
]);
