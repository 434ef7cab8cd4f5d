// Streams an allowed request to its origin and the origin's response back, measuring both legs as it goes.
import { request as httpRequest, STATUS_CODES } from 'node:http';
import type { Agent, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { OriginFacts, RequestFacts } from '../records/request-facts.js';
import type { EdgeClock } from '../records/edge-clock.js';
import { millisBetween } from '../records/edge-clock.js';
import { RAY_ID_HEADER } from '../records/ray-id.js';
import { forwardedResponseHeaders } from '../proxy/forward-headers.js';
import type { CompiledApp } from './compiled-app.js';
import { asText, noteResponseHead, plainIp } from './request-exchange.js';

export interface ForwardOptions {
  /** The origin path and query: the origin's base path and the checked request target. */
  readonly path: string;
  readonly clock: EdgeClock;
  readonly agents: { readonly http: Agent; readonly https: Agent };
  readonly originTimeoutMs: number;
  /** Called once when the origin cannot be reached or fails mid-response (`connect`, `timeout`, `response`). */
  readonly onOriginError: (kind: 'connect' | 'timeout' | 'response', error: Error) => void;
}

class OriginTimeoutError extends Error {
  readonly code = 'EDGE_ORIGIN_TIMEOUT';
}

export function forwardRequest(req: IncomingMessage, res: ServerResponse, facts: RequestFacts, app: CompiledApp, headers: OutgoingHttpHeaders, options: ForwardOptions): void {
  const { clock } = options;
  const origin = app.config.origin;
  const secure = origin.protocol === 'https:';
  const sentNs = clock.nowNanos();
  const originFacts: OriginFacts = { ip: '', status: 0, durationMs: 0, headerReceiveMs: 0, tcpHandshakeMs: 0, responseBytes: 0, expires: '', lastModified: '' };
  facts.origin = originFacts;
  let responseDone = false;
  let failed = false;

  const proxyReq = (secure ? httpsRequest : httpRequest)({
    protocol: origin.protocol,
    hostname: origin.hostname,
    port: origin.port === '' ? (secure ? 443 : 80) : Number(origin.port),
    method: req.method,
    path: options.path,
    headers,
    agent: secure ? options.agents.https : options.agents.http,
  });

  proxyReq.on('socket', (socket: Socket) => {
    if (socket.connecting) {
      const connectStart = clock.nowNanos();
      socket.once('connect', () => {
        originFacts.tcpHandshakeMs = millisBetween(connectStart, clock.nowNanos());
      });
    }
  });
  proxyReq.setTimeout(options.originTimeoutMs, () => proxyReq.destroy(new OriginTimeoutError(`origin sent nothing for ${options.originTimeoutMs} ms`)));

  proxyReq.on('response', (originRes: IncomingMessage) => {
    const headersNs = clock.nowNanos();
    originFacts.ip = plainIp(originRes.socket.remoteAddress ?? '');
    originFacts.status = originRes.statusCode ?? 0;
    originFacts.headerReceiveMs = millisBetween(sentNs, headersNs);
    originFacts.expires = asText(originRes.headers.expires);
    originFacts.lastModified = asText(originRes.headers['last-modified']);
    const outHeaders = forwardedResponseHeaders(originRes.headers, facts.rayId);
    const status = originRes.statusCode ?? 502;
    res.writeHead(status, originRes.statusMessage, outHeaders);
    noteResponseHead(facts, status, outHeaders, clock);
    facts.responseHeaders = app.logged.response(outHeaders);
    originRes.on('data', (chunk: Buffer) => {
      originFacts.responseBytes += chunk.length;
      facts.responseBodyBytes += chunk.length;
      if (!res.write(chunk)) originRes.pause();
    });
    res.on('drain', () => originRes.resume());
    originRes.on('end', () => {
      responseDone = true;
      originFacts.durationMs = millisBetween(sentNs, clock.nowNanos());
      res.end();
    });
    originRes.on('error', (error) => {
      if (responseDone) return;
      originFailed('response', error);
    });
  });

  proxyReq.on('error', (error: Error) => {
    if (responseDone) return;
    originFailed(error instanceof OriginTimeoutError ? 'timeout' : res.headersSent ? 'response' : 'connect', error);
  });

  // The client's body streams through as it arrives, with backpressure both ways.
  req.on('data', (chunk: Buffer) => {
    facts.requestBytes += chunk.length;
    if (!proxyReq.write(chunk)) req.pause();
  });
  proxyReq.on('drain', () => req.resume());
  req.on('end', () => proxyReq.end());
  req.on('error', () => proxyReq.destroy());

  // A client that goes away takes its origin request with it.
  res.once('close', () => {
    if (!responseDone) proxyReq.destroy();
  });

  function originFailed(kind: 'connect' | 'timeout' | 'response', error: Error): void {
    if (failed) return;
    failed = true;
    originFacts.durationMs = millisBetween(sentNs, clock.nowNanos());
    options.onOriginError(kind, error);
    if (res.headersSent) {
      // Part of the response is out: all that is honest now is to cut the connection.
      res.destroy();
      return;
    }
    const status = kind === 'timeout' ? 504 : 502;
    const body = `${status} ${STATUS_CODES[status]}: the origin ${kind === 'timeout' ? 'did not answer in time' : 'could not be reached'} (ray ${facts.rayId})\n`;
    const headers = { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), [RAY_ID_HEADER]: facts.rayId };
    res.writeHead(status, headers);
    noteResponseHead(facts, status, headers, clock);
    facts.responseBodyBytes = Buffer.byteLength(body);
    res.end(body);
  }
}
