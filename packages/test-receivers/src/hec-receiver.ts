// A protocol-faithful Splunk HTTP Event Collector for tests: no real Splunk can be had here, so this stands in for one.
//
// Faithful to HEC: HTTPS; POST to /services/collector/raw, /services/collector/event, /services/collector
// (and the /1.0 forms); `Authorization: Splunk <token>` (401 code 2 when missing, 401 code 3 when not
// "Splunk …", 403 code 4 when unknown); 400 code 16 for a token in the query string; 413 over
// max_content_length (counted on the body as sent, i.e. compressed); gzip bodies; channel from
// `X-Splunk-Request-Channel` or `?channel=` (400 code 10 when required and missing, 11 when not a
// GUID); raw bodies one event per line with metadata from the query string; event bodies as
// concatenated JSON objects (400 code 6 with invalid-event-number, 12 without `event`, 13 when blank);
// `{"text":"Success","code":0}`, plus an ackId when acknowledgement (requireChannel) is on.
// Simplified: a request is all-or-nothing (real HEC may index the events before a bad one); no /ack polling;
// no health endpoint; 503 code 9 only on demand, via answerBusy().
import { createServer } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { splitConcatenatedJson } from './concatenated-json.js';
import type { SelfSignedCertificate } from './self-signed-cert.js';

export interface HecReceiverOptions {
  tls: SelfSignedCertificate;
  /** The one token this receiver knows. */
  token: string;
  /** As for a token with indexer acknowledgement on: a channel is required and replies carry an ackId. */
  requireChannel?: boolean;
  /** Largest request body accepted, in bytes as sent (Splunk's [http_input] max_content_length). Default 1 MB. */
  maxContentLength?: number;
}

export interface ReceivedEvent {
  endpoint: 'raw' | 'event';
  /** Raw: the line as text. Event: the envelope's `event` value, parsed. */
  event: unknown;
  sourcetype: string | undefined;
  source: string | undefined;
  host: string | undefined;
  index: string | undefined;
  channel: string | undefined;
  time: unknown;
}

export interface ReceivedRequest {
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Body bytes as they arrived (before decompression). */
  bytes: number;
  statusCode: number;
  code: number | undefined;
}

export interface HecReceiver {
  /** `127.0.0.1:<port>`, ready for a `splunk://` URI. */
  readonly address: string;
  /** Every accepted event, in arrival order. */
  readonly events: ReceivedEvent[];
  /** Every request, whatever the answer. */
  readonly requests: ReceivedRequest[];
  /** The next `requests` requests get 503 code 9 "Server is busy", with Retry-After when given. */
  answerBusy(requests: number, retryAfterSeconds?: number): void;
  /** Holds every reply back this long, for timeout and abort tests. */
  delayReplies(ms: number): void;
  /**
   * The next `count` authorised requests are answered with `status` (and headers), with HEC's body for
   * that status where HEC has one; nothing is indexed. For the destination conformance suite.
   */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** The next request gets no answer until the client gives up. */
  hangNext(): void;
  close(): Promise<void>;
}

const PATHS: ReadonlyMap<string, 'raw' | 'event'> = new Map([
  ['/services/collector/raw', 'raw'],
  ['/services/collector/raw/1.0', 'raw'],
  ['/services/collector/event', 'event'],
  ['/services/collector/event/1.0', 'event'],
  ['/services/collector', 'event'],
]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Answer {
  statusCode: number;
  body: Record<string, unknown> | string;
  headers?: Record<string, string>;
  accepted?: ReceivedEvent[];
}

const hec = (statusCode: number, code: number, text: string, extra: Record<string, unknown> = {}): Answer => ({ statusCode, body: { text, code, ...extra } });

/** A request left unanswered (hangNext): the connection stays open until the client or close() ends it. */
const HANG: Answer = { statusCode: 0, body: '' };

/** What HEC answers with each status it uses; other statuses get a plain-text body. */
function failureAnswer(status: number): Answer {
  switch (status) {
    case 400: return hec(400, 6, 'Invalid data format');
    case 401: return hec(401, 2, 'Token is required');
    case 403: return hec(403, 4, 'Invalid token');
    case 500: return hec(500, 8, 'Internal server error');
    case 503: return hec(503, 9, 'Server is busy');
    default: return { statusCode: status, body: `injected ${status}` };
  }
}

export async function startHecReceiver(options: HecReceiverOptions): Promise<HecReceiver> {
  const maxContentLength = options.maxContentLength ?? 1_000_000;
  const events: ReceivedEvent[] = [];
  const requests: ReceivedRequest[] = [];
  const closing = new AbortController();
  let busy = { left: 0, retryAfterSeconds: undefined as number | undefined };
  let delayMs = 0;
  let nextAckId = 0;
  const failures: ({ status: number; headers: Record<string, string> } | 'hang')[] = [];

  function judge(req: IncomingMessage, url: URL, body: Buffer): Answer {
    const endpoint = PATHS.get(url.pathname);
    if (req.method !== 'POST' || endpoint === undefined) return hec(404, 404, 'The requested URL was not found on this server.');
    if (url.searchParams.has('token')) return hec(400, 16, 'Query string authorization is not enabled');
    const authorization = req.headers.authorization;
    if (authorization === undefined) return hec(401, 2, 'Token is required');
    const token = /^Splunk (\S+)$/.exec(authorization)?.[1];
    if (token === undefined) return hec(401, 3, 'Invalid authorization');
    if (token !== options.token) return hec(403, 4, 'Invalid token');
    const failure = failures.shift();
    if (failure === 'hang') return HANG;
    if (failure !== undefined) return { ...failureAnswer(failure.status), headers: failure.headers };
    if (busy.left > 0) {
      busy.left--;
      const after = busy.retryAfterSeconds;
      return { ...hec(503, 9, 'Server is busy'), ...(after !== undefined ? { headers: { 'retry-after': String(after) } } : {}) };
    }
    if (body.length > maxContentLength) return { statusCode: 413, body: `Content-Length of ${body.length} too large (maximum is ${maxContentLength})` };
    const channelHeader = req.headers['x-splunk-request-channel'];
    const channel = (typeof channelHeader === 'string' ? channelHeader : undefined) ?? url.searchParams.get('channel') ?? undefined;
    if (channel === undefined && options.requireChannel) return hec(400, 10, 'Data channel is missing');
    if (channel !== undefined && !GUID.test(channel)) return hec(400, 11, 'Invalid data channel');
    let text: string;
    try {
      text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    } catch {
      return hec(400, 6, 'Invalid data format');
    }
    if (text.trim() === '') return hec(400, 5, 'No data');
    const parsed = endpoint === 'raw' ? rawEvents(text, url, channel) : envelopeEvents(text, channel);
    if (!Array.isArray(parsed)) return parsed;
    const ack = options.requireChannel ? { ackId: nextAckId++ } : {};
    return { ...hec(200, 0, 'Success', ack), accepted: parsed };
  }

  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const answer = judge(req, url, body);
      if (answer === HANG) return;
      events.push(...(answer.accepted ?? []));
      const code = typeof answer.body === 'string' ? undefined : (answer.body['code'] as number);
      requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, bytes: body.length, statusCode: answer.statusCode, code });
      const reply = (): void => {
        const json = typeof answer.body !== 'string';
        res.writeHead(answer.statusCode, { 'content-type': json ? 'application/json; charset=UTF-8' : 'text/plain', ...answer.headers });
        res.end(json ? JSON.stringify(answer.body) : answer.body);
      };
      if (delayMs === 0) reply();
      else sleep(delayMs, undefined, { signal: closing.signal }).then(reply, () => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    events,
    requests,
    answerBusy(count, retryAfterSeconds) {
      busy = { left: count, retryAfterSeconds };
    },
    delayReplies(ms) {
      delayMs = ms;
    },
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers });
    },
    hangNext() {
      failures.push('hang');
    },
    close() {
      closing.abort();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Raw endpoint: one event per non-blank line; metadata comes from the query string. */
function rawEvents(text: string, url: URL, channel: string | undefined): ReceivedEvent[] {
  const meta = (name: string): string | undefined => url.searchParams.get(name) ?? undefined;
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '')
    .map((line) => ({ endpoint: 'raw', event: line, sourcetype: meta('sourcetype'), source: meta('source'), host: meta('host'), index: meta('index'), channel, time: undefined }));
}

/** Event endpoint: concatenated `{"event":…}` envelopes; metadata comes from each envelope. */
function envelopeEvents(text: string, channel: string | undefined): ReceivedEvent[] | Answer {
  const split = splitConcatenatedJson(text);
  if (!split.ok) return hec(400, 6, 'Invalid data format', { 'invalid-event-number': split.invalidEventNumber });
  const received: ReceivedEvent[] = [];
  for (const [n, object] of split.objects.entries()) {
    const envelope = object as Record<string, unknown>;
    if (!('event' in envelope)) return hec(400, 12, 'Event field is required', { 'invalid-event-number': n });
    const event = envelope['event'];
    if (event === null || (typeof event === 'string' && event.trim() === '')) return hec(400, 13, 'Event field cannot be blank', { 'invalid-event-number': n });
    const meta = (name: string): string | undefined => (typeof envelope[name] === 'string' ? envelope[name] : undefined);
    received.push({ endpoint: 'event', event, sourcetype: meta('sourcetype'), source: meta('source'), host: meta('host'), index: meta('index'), channel, time: envelope['time'] });
  }
  return received;
}
