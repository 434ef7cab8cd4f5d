// What a destination kind provides to run the conformance suite against its receiver.
import type { Destination } from '@sluice/destinations';

export interface ConformanceHarness {
  /** Builds the destination under test, pointed at the receiver through the fault injector. */
  create(): Destination;
  /** A credential contained in the destination's configuration; it must never leak. */
  readonly secret: string;
  /** The uncompressed texts the receiver has accepted so far, in order. */
  accepted(): Promise<string[]>;
  /** The next `count` requests are answered with `status` (and headers) instead of reaching the receiver. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** The next request gets no answer at all until the client gives up. */
  hangNext(): void;
  close(): Promise<void>;
}
