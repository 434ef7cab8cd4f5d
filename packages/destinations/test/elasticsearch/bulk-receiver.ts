// A small `_bulk` receiver on 127.0.0.1 (node:http): stores created documents by _id, answers 409 for existing ones, and fails as each test tells it.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface BulkAction {
  id: string;
  document: string;
}

export interface ReceivedBulk {
  /** Path and query string, as sent. */
  target: string;
  headers: IncomingHttpHeaders;
  /** The body as received (gzip when the client said so). */
  raw: Buffer;
  /** The uncompressed body text. */
  text: string;
  actions: BulkAction[];
}

/** An error for one item, as Elasticsearch writes it. */
export interface ItemError {
  status: number;
  type: string;
  reason: string;
  caused_by?: { type: string; reason: string };
}

export interface BulkReceiverOptions {
  tls?: { cert: string; key: string };
  /** When set, any other Authorization header is answered 401, echoing what was sent (as some proxies do). */
  authorization?: string;
}

export interface BulkReceiver {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly requests: ReceivedBulk[];
  /** Documents stored, by _id, in the order created. */
  readonly stored: Map<string, string>;
  /** Item errors for documents this test says are bad (a mapping error, say); undefined stores the document. */
  refuse(check: (action: BulkAction) => ItemError | undefined): void;
  /** The next `times` requests get this item error for the matching documents; the others are stored. */
  busy(ids: readonly string[], times: number, error?: ItemError): void;
  /** The next `count` requests are answered with `status` and `body` without storing anything. */
  failNext(count: number, status: number, headers?: Record<string, string>, body?: string): void;
  /** Requests whose body exceeds this many uncompressed bytes are answered 413. */
  limitBytes(bytes: number | undefined): void;
  /** The next request gets no answer. */
  hangNext(): void;
  /** Answers the next request with this raw 200 body instead of a bulk reply. */
  replyNext(body: string): void;
  close(): Promise<void>;
}

export const REJECTED_EXECUTION: ItemError = { status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation [write queue full]' };

export async function startBulkReceiver(options: BulkReceiverOptions = {}): Promise<BulkReceiver> {
  const requests: ReceivedBulk[] = [];
  const stored = new Map<string, string>();
  let refuse: (action: BulkAction) => ItemError | undefined = () => undefined;
  const busyRounds: Array<{ ids: Set<string>; error: ItemError }> = [];
  const faults: Array<{ status: number; headers: Record<string, string>; body: string } | 'hang' | { raw: string }> = [];
  let maxBytes: number | undefined;
  const hanging = new Set<ServerResponse>();

  const handle = (body: Buffer, target: string, headers: IncomingHttpHeaders, res: ServerResponse): void => {
    const text = headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8');
    const actions = parseBulk(text);
    requests.push({ target, headers, raw: body, text, actions });
    const fault = faults.shift();
    if (fault === 'hang') return void hanging.add(res);
    if (fault !== undefined && 'raw' in fault) return void res.writeHead(200, { 'content-type': 'application/json' }).end(fault.raw);
    if (fault !== undefined) return void res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body);
    if (options.authorization !== undefined && headers['authorization'] !== options.authorization) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'security_exception', reason: `unable to authenticate with ${headers['authorization'] ?? 'nothing'}` }, status: 401 }));
    }
    if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes) return void res.writeHead(413, { 'content-type': 'text/plain' }).end('Request Entity Too Large');
    const busy = busyRounds.shift();
    const items = actions.map((action) => {
      const error = busy?.ids.has(action.id) ? busy.error : stored.has(action.id) ? conflict(action.id) : refuse(action);
      if (error !== undefined) return { create: { _index: 'logs', _id: action.id, status: error.status, error: { type: error.type, reason: error.reason, ...(error.caused_by ? { caused_by: error.caused_by } : {}) } } };
      stored.set(action.id, action.document);
      return { create: { _index: 'logs', _id: action.id, _version: 1, result: 'created', status: 201 } };
    });
    const errors = items.some((item) => item.create.status >= 300);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ took: 3, errors, items }));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(Buffer.concat(chunks), req.url ?? '', req.headers, res));
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    requests,
    stored,
    refuse(check) {
      refuse = check;
    },
    busy(ids, times, error = REJECTED_EXECUTION) {
      for (let i = 0; i < times; i++) busyRounds.push({ ids: new Set(ids), error });
    },
    failNext(count, status, headers = {}, body = '') {
      for (let i = 0; i < count; i++) faults.push({ status, headers, body });
    },
    limitBytes(bytes) {
      maxBytes = bytes;
    },
    hangNext() {
      faults.push('hang');
    },
    replyNext(body) {
      faults.push({ raw: body });
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Action and document lines in pairs; the receiver trusts the client to send only `create` actions. */
function parseBulk(text: string): BulkAction[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const actions: BulkAction[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const action = JSON.parse(lines[i] ?? '') as { create?: { _id?: string } };
    actions.push({ id: action.create?._id ?? '', document: lines[i + 1] ?? '' });
  }
  return actions;
}

function conflict(id: string): ItemError {
  return { status: 409, type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists (current version [1])` };
}
