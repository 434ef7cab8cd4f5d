// Everything a pusher reports as it works, named in one place: for progress output, logs and tests.

export type PusherEvent =
  | { type: 'job-started'; jobId: number; name: string; destination: string; seeded: number }
  /** `durationMs`: from the batch's first delivery attempt to the destination taking it, retries and waits included. */
  | { type: 'batch-delivered'; jobId: number; partition: number; location: string; records: number; bytes: number; compressedBytes: number; durationMs: number }
  | { type: 'batch-failed'; jobId: number; partition: number; code: string; message: string; willRetry: boolean }
  | { type: 'record-dead-lettered'; jobId: number; topic: string; partition: number; offset: string; code: string }
  | { type: 'offsets-committed'; jobId: number; offsets: Record<number, number> }
  | { type: 'job-disabled'; jobId: number; reason: string }
  | { type: 'job-stopped'; jobId: number }
  /** The job changed in the store and its runner is being replaced; `destination` means open batches were abandoned. */
  | { type: 'job-reconfigured'; jobId: number; change: 'configuration' | 'destination' }
  /** An enabled job this worker cannot run (invalid here, or its runner failed to start). */
  | { type: 'job-refused'; jobId: number; message: string };

export type PusherEventListener = (event: PusherEvent) => void;
