// Logs Kafka trouble once per outage (a warning with the first error) and its end (with how long it lasted), not every retry.
import type { Logger } from '@sluice/logging';
import type { SendOutcome } from './kafka-link.js';

export interface OutageLog {
  failed(outcome: Exclude<SendOutcome, { kind: 'acked' | 'closed' }>): void;
  /** A send was acknowledged. */
  recovered(): void;
}

export function createOutageLog(logger: Logger, now: () => number): OutageLog {
  let since: number | undefined;
  return {
    failed(outcome) {
      const fields = { stage: outcome.stage, outcome: outcome.kind, err: outcome.kind === 'failed' ? outcome.error : undefined };
      if (since === undefined) logger.warn(fields, 'Kafka send did not succeed');
      else logger.debug(fields, 'Kafka send did not succeed again');
      since ??= now();
    },
    recovered() {
      if (since === undefined) return;
      logger.info({ outageMs: now() - since }, 'Kafka acknowledges again');
      since = undefined;
    },
  };
}
