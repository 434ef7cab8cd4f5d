// Whether Kafka counts as healthy (`kafkaHealthy`, the `sluice_edge_kafka_healthy` gauge), in sync mode where every record goes through the spool.

/*
 * Async mode keeps its rule: the link's last connect or send succeeded (the gauge adds "and records
 * go straight to Kafka", i.e. direct mode). In sync mode the publisher is in spooling mode by
 * design, so that says nothing; Kafka is healthy there when both hold:
 *  - the link's last connect or send succeeded: no send has failed or timed out since the last one
 *    Kafka acknowledged (a hanging send fails after `sendTimeoutMs`), and
 *  - the replayer is keeping up: the spool holds no record, or the replayer had records
 *    acknowledged within the last `SYNC_HEALTH_WINDOW_MS` (or twice `sendTimeoutMs` if longer, so that
 *    one slow send that has not yet timed out does not count against it).
 * The second catches what the first cannot: a replayer that stopped or stalls (stuck reading the
 * spool, or on the presence check) while the last send it made had succeeded. Records arriving
 * constantly make the spool rarely empty for long, so "made progress recently" is what matters.
 * Before the first acknowledgement the window counts from the start, so a fresh publisher with a
 * connected link is healthy at once and turns unhealthy if replay does not begin within the window.
 */
export const SYNC_HEALTH_WINDOW_MS = 5_000;

export interface SyncKafkaHealth {
  /** The replayer had records acknowledged by Kafka. */
  progressed(): void;
  healthy(state: { readonly linkHealthy: boolean; readonly spoolRecords: number }): boolean;
}

export function createSyncKafkaHealth(now: () => number, windowMs = SYNC_HEALTH_WINDOW_MS): SyncKafkaHealth {
  let lastProgressAt = now();
  return {
    progressed() {
      lastProgressAt = now();
    },
    healthy({ linkHealthy, spoolRecords }) {
      return linkHealthy && (spoolRecords === 0 || now() - lastProgressAt <= windowMs);
    },
  };
}
