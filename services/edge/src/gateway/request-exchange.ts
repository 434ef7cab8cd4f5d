// One request's facts from arrival to the last byte, and the records it yields exactly once when it ends.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { RequestFacts } from '../records/request-facts.js';
import type { EdgeClock } from '../records/edge-clock.js';
import { millisBetween } from '../records/edge-clock.js';
import { requestHeadBytes, responseHeadBytes } from './message-size.js';

/** What a client that hung up before its response began is logged with (nginx's convention, as Cloudflare's logs use). */
export const CLIENT_CLOSED_REQUEST = 499;

/** What is known of a request before its connection's details are added: all of it for a parsed request, a part for one the parser refused. */
export type RequestHead = Pick<RequestFacts, 'protocol' | 'method' | 'host' | 'uri' | 'userAgent' | 'referer' | 'xRequestedWith'> & {
  /** Bytes of the head as received. */
  readonly bytes: number;
};

export function startFacts(req: IncomingMessage, host: string, rayId: string, startNs: bigint): RequestFacts {
  const headers = req.headers;
  const head: RequestHead = {
    protocol: `HTTP/${req.httpVersion}`,
    method: req.method ?? '',
    host,
    uri: req.url ?? '',
    userAgent: headers['user-agent'] ?? '',
    referer: headers.referer ?? '',
    xRequestedWith: asText(headers['x-requested-with']),
    bytes: requestHeadBytes(req),
  };
  return connectionFacts(req.socket, head, rayId, startNs);
}

/** A request's facts from its head and its connection (client and server address, TLS), before anything is answered. */
export function connectionFacts(socket: Socket, head: RequestHead, rayId: string, startNs: bigint): RequestFacts {
  const tls = (socket as Partial<TLSSocket>).encrypted === true ? (socket as TLSSocket) : undefined;
  return {
    rayId,
    startNs,
    endNs: startNs,
    clientIp: plainIp(socket.remoteAddress ?? ''),
    clientPort: socket.remotePort ?? 0,
    scheme: tls === undefined ? 'http' : 'https',
    protocol: head.protocol,
    method: head.method,
    host: head.host,
    uri: head.uri,
    userAgent: head.userAgent,
    referer: head.referer,
    xRequestedWith: head.xRequestedWith,
    tlsProtocol: tls?.getProtocol() ?? '',
    tlsCipher: tls?.getCipher()?.standardName ?? '',
    serverIp: plainIp(socket.localAddress ?? ''),
    requestBytes: head.bytes,
    status: 0,
    responseBytes: 0,
    responseBodyBytes: 0,
    contentType: '',
    timeToFirstByteMs: 0,
    origin: undefined,
    action: 'allow',
    blockReason: '',
    credential: '',
    requestHeaders: {},
    responseHeaders: {},
    cookies: {},
  };
}

/** Records when the response head goes out: status, head size, content type, time to first byte. */
export function noteResponseHead(facts: RequestFacts, status: number, headers: OutgoingHttpHeaders, clock: EdgeClock): void {
  facts.status = status;
  facts.responseBytes = responseHeadBytes(status, headers);
  facts.contentType = asText(headers['content-type']);
  facts.timeToFirstByteMs = millisBetween(facts.startNs, clock.nowNanos());
}

/** Calls `done` once, when the response ends or the client goes away, with the facts completed. */
export function onExchangeEnd(res: ServerResponse, facts: RequestFacts, clock: EdgeClock, done: (facts: RequestFacts) => void): void {
  res.once('close', () => {
    facts.endNs = clock.nowNanos();
    if (!res.headersSent) facts.status = CLIENT_CLOSED_REQUEST;
    else if (facts.status === 0) facts.status = res.statusCode;
    facts.responseBytes += facts.responseBodyBytes;
    done(facts);
  });
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) → `10.0.0.1`. */
export function plainIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** A header value as one string: repeated headers joined with `, `, absent as ''. */
export function asText(value: string | number | readonly string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
