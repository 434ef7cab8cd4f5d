// How long Access authentication events are kept: allowed ones six months, denied ones a week, as Cloudflare documents.
//
// Both kinds share one topic, and Kafka deletes by age per topic, not per record: the topic keeps
// everything as long as the longer of the two, and readers (the API's access-log index) drop denied
// events once they are older than theirs.

export const ACCESS_REQUESTS_TOPIC = 'sluice.access_requests';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface AccessRetention {
  /** Logins that succeeded; default 183 days (six months). */
  readonly allowedMs: number;
  /** Denied attempts; default 7 days. */
  readonly deniedMs: number;
}

export const DEFAULT_ACCESS_RETENTION: AccessRetention = Object.freeze({ allowedMs: 183 * DAY_MS, deniedMs: 7 * DAY_MS });

/** The topic config that keeps every event for as long as its kind is kept. */
export function accessTopicConfig(retention: AccessRetention = DEFAULT_ACCESS_RETENTION): Readonly<Record<string, string>> {
  return { 'retention.ms': String(Math.max(retention.allowedMs, retention.deniedMs)) };
}
