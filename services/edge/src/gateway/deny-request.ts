// Answers a request the gateway refuses: 400/401/403/503, or a redirect to the login page; the origin never sees it.
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestFacts } from '../records/request-facts.js';
import type { EdgeClock } from '../records/edge-clock.js';
import { RAY_ID_HEADER } from '../records/ray-id.js';
import { noteResponseHead } from './request-exchange.js';

export interface Denial {
  readonly code: string;
  readonly status: 400 | 401 | 403 | 503;
}

/** A browser without a usable token is sent to sign in; anything else gets the status. */
const REDIRECTABLE = new Set(['IDENTITY_TOKEN_MISSING', 'IDENTITY_EXPIRED']);

export function denyRequest(req: IncomingMessage, res: ServerResponse, facts: RequestFacts, denial: Denial, loginUrl: string | undefined, clock: EdgeClock): void {
  facts.action = 'block';
  facts.blockReason = denial.code;
  // The body is read and thrown away (counted), so a keep-alive connection stays usable.
  req.on('data', (chunk: Buffer) => {
    facts.requestBytes += chunk.length;
  });
  req.resume();
  if (loginUrl !== undefined && (req.method === 'GET' || req.method === 'HEAD') && REDIRECTABLE.has(denial.code)) {
    const back = `${facts.scheme}://${req.headers.host ?? facts.host}${facts.uri}`;
    const location = `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(back)}`;
    const headers = { location, 'cache-control': 'no-store', 'content-length': '0', [RAY_ID_HEADER]: facts.rayId };
    res.writeHead(302, headers);
    noteResponseHead(facts, 302, headers, clock);
    res.end();
    return;
  }
  // The code says why (expired, wrong audience…) without echoing anything the client sent.
  const body = `${denial.status} ${STATUS_CODES[denial.status]}: ${denial.code} (ray ${facts.rayId})\n`;
  const headers = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    [RAY_ID_HEADER]: facts.rayId,
  };
  res.writeHead(denial.status, headers);
  noteResponseHead(facts, denial.status, headers, clock);
  facts.responseBodyBytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(body);
  res.end(req.method === 'HEAD' ? undefined : body);
}
