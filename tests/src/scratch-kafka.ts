// A disposable Kafka broker of a test's own, for tests that stop and restart Kafka or need secured listeners, without touching the shared one.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScratchKafka } from '@sluice/infra-local';
import type { ScratchKafka, ScratchKafkaOptions } from '@sluice/infra-local';

/**
 * Starts a scratch broker in a fresh directory under the OS temp dir (`sluice-scratch-<name>-<random>`)
 * on free ports. Call `dispose()` when done (in `after`): it stops the broker and deletes the directory.
 */
export function withScratchKafka(name: string, options: Omit<ScratchKafkaOptions, 'dir'> = {}): Promise<ScratchKafka> {
  const dir = join(tmpdir(), `sluice-scratch-${name}-${randomBytes(4).toString('hex')}`);
  return startScratchKafka({ ...options, dir });
}
