// The port a tail reads records through: a topic from its current end, in no consumer group that outlives it.
import type { StageMessage } from '@sluice/pipeline';

export interface TailSource {
  /**
   * Starts reading from the end of the topic, as it is when called. Resolves once the reader is in
   * place: every record published after that is delivered to `onMessages`. Rejects when Kafka
   * cannot be reached.
   */
  start(onMessages: (messages: readonly StageMessage[]) => void): Promise<void>;
  /** Stops reading and removes every trace of the reader (its throwaway group). Idempotent. */
  stop(): Promise<void>;
}

/** Opens one source per tail, on a dataset topic (`sluice.http_requests`). */
export type TailSourceFactory = (topic: string) => TailSource;
