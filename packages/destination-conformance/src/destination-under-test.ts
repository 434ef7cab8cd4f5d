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
  /** The requests the receiver (or the proxy in front of it) saw so far; needed when the suite runs with `requestShape`. */
  requests?(): Promise<SeenRequest[]>;
  close(): Promise<void>;
}

/** A request as the receiver saw it. Header names are lower-case. */
export interface SeenRequest {
  /** Path and query string as sent. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What every request of a kind must look like on the wire, from its `destination_conf`. */
export interface RequestShape {
  /** Headers (lower-case names) with their exact values, e.g. from `header_<Name>` parameters. */
  headers: Record<string, string>;
  /** Query parameters that must reach the receiver unchanged. */
  query: Record<string, string>;
}
