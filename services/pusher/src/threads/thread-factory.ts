// The seam between the threaded pusher and its threads: real worker threads in production, fakes in tests.
import type { FromThread, PusherThreadSetup, ToThread } from './thread-messages.js';

/** What the threaded pusher hears from one thread. */
export interface ThreadListener {
  message(message: FromThread): void;
  /** An uncaught error in the thread; `exit` follows. */
  error(error: unknown): void;
  /** The thread has ended, for whatever reason. Called once. */
  exit(code: number): void;
}

export interface ThreadHandle {
  readonly threadId: number;
  post(message: ToThread): void;
  /** Ends the thread at once, whatever it is doing; `exit` is still reported. */
  terminate(): Promise<void>;
}

export type ThreadFactory = (setup: PusherThreadSetup, listener: ThreadListener) => ThreadHandle;
