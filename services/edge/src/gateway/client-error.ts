// Requests Node's parser refuses before any handler runs (bad request line or header, head too large, too slow): answered, counted and logged.
import { maxHeaderSize as defaultMaxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EdgeClock } from '../records/edge-clock.js';
import { RAY_ID_HEADER } from '../records/ray-id.js';
import type { CompiledApp } from './compiled-app.js';
import { hostName } from './compiled-app.js';
import type { EdgeMetrics } from './edge-metrics.js';
import { readRawRequestHead } from './raw-request-head.js';
import type { RawRequestHead } from './raw-request-head.js';
import type { RecordSink } from './record-sink.js';
import { connectionFacts, noteResponseHead } from './request-exchange.js';

export interface ClientErrorOptions {
  readonly apps: ReadonlyMap<string, CompiledApp>;
  /** Whose zone records a refused request whose head names no app's host. */
  readonly fallbackApp: CompiledApp;
  readonly sink: RecordSink;
  readonly metrics: EdgeMetrics;
  readonly clock: EdgeClock;
  readonly rayIds: () => string;
  /** The server's header limit (Node's `maxHeaderSize` unless the server sets its own). */
  readonly maxHeaderBytes?: number;
}

type ParserError = Error & { readonly code?: string; readonly rawPacket?: Buffer };

/** A refused connection that does not read its answer is cut after this long. */
const ANSWER_GRACE_MS = 5_000;

/** The `clientError` listener: Node's own answers (400/431/408) leave no trace; these do, through the same record path as every request. */
export function createClientErrorHandler(options: ClientErrorOptions): (error: ParserError, socket: Duplex) => void {
  const { apps, sink, metrics, clock } = options;
  const maxHeaderBytes = options.maxHeaderBytes ?? defaultMaxHeaderSize;
  return (error, duplex) => {
    const socket = duplex as Socket & { _httpMessage?: unknown };
    const code = error.code ?? '';
    const head = readRawRequestHead(error.rawPacket);
    const status = refusalStatus(code, head, maxHeaderBytes);
    // A reset or a timeout of an idle connection is no request; a response already under way (pipelining) owns the connection and its own record.
    if (status === undefined || !socket.writable || socket._httpMessage != null) {
      socket.destroy();
      return;
    }
    const now = clock.nowNanos();
    const rayId = options.rayIds();
    const host = hostName(head.host);
    const app = apps.get(host) ?? options.fallbackApp;
    const facts = connectionFacts(socket, { ...head, host }, rayId, now);
    facts.action = 'block';
    facts.blockReason = code;
    const body = `${status} ${STATUS_CODES[status]}: ${code} (ray ${rayId})\n`;
    const headers = { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', connection: 'close', [RAY_ID_HEADER]: rayId };
    noteResponseHead(facts, status, headers, clock);
    facts.responseBodyBytes = Buffer.byteLength(body);
    facts.responseBytes += facts.responseBodyBytes;
    metrics.clientErrors(status, code).inc();
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`);
    const cut = setTimeout(() => socket.destroy(), ANSWER_GRACE_MS).unref();
    socket.once('close', () => clearTimeout(cut));
    facts.endNs = clock.nowNanos();
    sink.request(facts, app);
  };
}

/**
 * Node's parser errors (`HPE_*`) and its request timeout get an answer; anything else is a transport
 * error with nobody to answer. A head that overflows within its request line is a URI too long.
 */
function refusalStatus(code: string, head: RawRequestHead, maxHeaderBytes: number): 400 | 408 | 413 | 414 | 431 | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') return head.method !== '' && head.requestLineChars > maxHeaderBytes ? 414 : 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return code.startsWith('HPE_') ? 400 : undefined;
}
