// Records Kafka will never take (too large even truncated, or refused for their content), kept aside on disk, counted and logged.
import { appendFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@sluice/logging';
import type { PublishedMessage } from '../published-message.js';
import { encodeEntry } from '../spool/entry-format.js';
import { createThrottledWarning } from '../throttled-warning.js';

/** In the spool's directory, in the spool's entry format (entry-format.ts): the same tools read it. Never replayed. */
export const QUARANTINE_FILE = 'quarantine.entries';
/** 64 MiB: thousands of refused records; beyond it they are only counted (an attacker must not fill the disk). */
export const DEFAULT_QUARANTINE_MAX_BYTES = 64 * 1024 ** 2;

export interface Quarantine {
  /** Appends the record to the quarantine file (in the background; writes keep their order) and counts it. */
  keep(message: PublishedMessage, reason: string): void;
  /** Records set aside so far, whether the file still had room for them or not. */
  readonly count: number;
  /** Resolves once every write asked for so far is done. */
  flush(): Promise<void>;
}

export function createQuarantine(options: { readonly dir: string; readonly logger: Logger; readonly now: () => number; readonly maxBytes?: number }): Quarantine {
  const path = join(options.dir, QUARANTINE_FILE);
  const maxBytes = options.maxBytes ?? DEFAULT_QUARANTINE_MAX_BYTES;
  const warning = createThrottledWarning({ logger: options.logger, now: options.now, field: 'quarantined', message: `records Kafka refuses were set aside in ${path} (sluice_edge_publisher_records{state="quarantined"})` });
  let count = 0;
  let bytes: number | undefined;
  let chain: Promise<void> = Promise.resolve();
  return {
    keep(message, reason) {
      count++;
      // The RayID and reason only: the record's content may hold whatever the client sent.
      warning.add(1, { reason, topic: message.topic, rayId: message.key, valueBytes: message.value.length });
      const entry = encodeEntry(message);
      chain = chain.then(async () => {
        bytes ??= await stat(path).then((s) => s.size, () => 0);
        if (bytes + entry.length > maxBytes) return;
        bytes += entry.length;
        await appendFile(path, entry, { mode: 0o600 });
      }).catch((error: unknown) => options.logger.error({ err: error, path }, 'cannot write to the quarantine file; the record is only counted'));
    },
    get count() {
      return count;
    },
    flush: () => chain,
  };
}
