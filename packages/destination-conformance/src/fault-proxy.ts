// A reverse proxy for HTTP receivers that can answer with chosen failures instead of forwarding, or hold back a receiver's answer.
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point the destination here instead of at the receiver. */
  readonly url: string;
  /** Requests forwarded to the receiver, by method and path. */
  readonly forwarded: string[];
  /** Every request that reached the proxy, whatever its answer: for checks on headers and query strings. */
  readonly requests: ProxiedRequest[];
  /** Requests answered with an injected status instead (queued or `failAll`), by method and path. */
  readonly failed: string[];
  /** Answers the next `count` requests with `status` (and `headers`), then forwards again. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** Holds the next request open without answering, until the client gives up or the proxy closes. */
  hangNext(): void;
  /**
   * An outage: answers every request with `status` (and `headers`) until `recover()`. Faults queued
   * by `failNext`/`hangNext` still come first.
   */
  failAll(status: number, headers?: Record<string, string>): void;
  /** The receiver is healthy again: ends `failAll` and drops queued faults; requests already hanging stay so. */
  recover(): void;
  /**
   * Forwards each request that `match` accepts (default: every one) as usual, but holds the receiver's
   * answer back for `delayMs` before passing it on: the receiver has acted (an object is stored) while
   * the client still waits, so a client killed meanwhile never learns it succeeded. Queued faults and
   * an outage still come first. Applies to requests that arrive after the call, until `stopDelaying()`.
   */
  delayReplies(delayMs: number, match?: (request: ProxiedRequest) => boolean): void;
  /** Ends `delayReplies`; answers already held back are passed on when their delay ends. */
  stopDelaying(): void;
  /** Requests whose answer was held back (or is being held now), by method and path. */
  readonly delayed: string[];
  /** How many answers are held back right now: the receiver has answered, the client does not know yet. */
  heldReplies(): number;
  close(): Promise<void>;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query string as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

interface Fault {
  status: number;
  headers: Record<string, string>;
}

interface ReplyDelay {
  delayMs: number;
  match: (request: ProxiedRequest) => boolean;
}

/** Passes the receiver's answer on, unless the client has gone away meanwhile (then the answer is drained and dropped). */
function relay(response: IncomingMessage, outgoing: ServerResponse): void {
  if (outgoing.destroyed || outgoing.socket?.destroyed !== false) {
    response.resume();
    return;
  }
  outgoing.writeHead(response.statusCode ?? 502, response.headers);
  response.pipe(outgoing);
}

/**
 * Forwards every request byte for byte — the Host header included, so signed requests (S3 SigV4)
 * still verify at the receiver — unless a fault is queued or an outage is on.
 */
export async function createFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const faults: (Fault | 'hang')[] = [];
  let outage: Fault | undefined;
  const forwarded: string[] = [];
  const failed: string[] = [];
  const requests: ProxiedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let replyDelay: ReplyDelay | undefined;
  const delayed: string[] = [];
  /** Answers held back by `delayReplies`, each with what passes it on now (used when the proxy closes). */
  const held = new Map<NodeJS.Timeout, () => void>();

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, delayMs: number): void => {
    const line = `${incoming.method ?? ''} ${incoming.url ?? ''}`;
    forwarded.push(line);
    // A client that goes away while its answer is held must not make the later write throw.
    outgoing.on('error', () => undefined);
    const upstreamRequest = request(
      { hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        if (delayMs <= 0) return relay(response, outgoing);
        delayed.push(line);
        const release = (): void => {
          clearTimeout(timer);
          held.delete(timer);
          relay(response, outgoing);
        };
        const timer = setTimeout(release, delayMs);
        held.set(timer, release);
      },
    );
    upstreamRequest.on('error', () => outgoing.destroy());
    incoming.pipe(upstreamRequest);
  };

  const server: Server = createServer((incoming, outgoing) => {
    const proxied: ProxiedRequest = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers };
    requests.push(proxied);
    const fault = faults.shift() ?? outage;
    if (fault === undefined) return forward(incoming, outgoing, replyDelay?.match(proxied) === true ? replyDelay.delayMs : 0);
    if (fault !== 'hang') failed.push(`${incoming.method ?? ''} ${incoming.url ?? ''}`);
    // Read the body first, as a real server would before answering.
    incoming.resume();
    incoming.on('end', () => {
      if (fault === 'hang') {
        hanging.add(outgoing);
        return;
      }
      outgoing.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
      outgoing.end(`injected ${fault.status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    failed,
    requests,
    delayed,
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) faults.push({ status, headers });
    },
    hangNext() {
      faults.push('hang');
    },
    failAll(status, headers = {}) {
      outage = { status, headers };
    },
    recover() {
      outage = undefined;
      faults.length = 0;
    },
    delayReplies(delayMs, match = () => true) {
      replyDelay = { delayMs, match };
    },
    stopDelaying() {
      replyDelay = undefined;
    },
    heldReplies: () => held.size,
    async close() {
      for (const release of [...held.values()]) release();
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
