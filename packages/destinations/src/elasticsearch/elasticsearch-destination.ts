// Delivers each batch to Elasticsearch or OpenSearch with `_bulk` `create`s under deterministic ids, resending only the items the cluster was too busy for.
import type { DeliveryBatch, DeliveryResult, Destination, RefusedRecord } from '../destination.js';
import { classifyHttpResponse, classifyNoAnswer } from '../http/classify-http-response.js';
import { scrubSecrets } from '../http/http-secrets.js';
import { oneLineExcerpt } from '../http/response-excerpt.js';
import { backoffDelayMs } from '../retry/retry-policy.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import { abortableSleep } from '../retry/with-retry.js';
import { batchItems, encodeBulkBody, gunzipText, gzipText } from './bulk-encoder.js';
import type { BulkItem } from './bulk-encoder.js';
import { BulkTransportError, createBulkTransport } from './bulk-transport.js';
import type { BulkReply, BulkTransport } from './bulk-transport.js';
import { classifyBulkReply } from './classify-bulk-response.js';
import type { Failure, ItemVerdict } from './classify-bulk-response.js';
import type { ElasticsearchConfig } from './elasticsearch-config.js';

export interface ElasticsearchDestinationOptions {
  /** How requests travel. Default: node:http(s) with the config's TLS policy and `timeoutMs`. */
  transport?: BulkTransport;
  /** Deadline per `_bulk` request for the default transport, in ms. Default 60 000: a large bulk on a busy cluster takes a while. */
  timeoutMs?: number;
  /** Extra trusted CA certificate (PEM) for the default transport. */
  ca?: string;
  /** Resends, within one delivery, of the items a 2xx reply turned away as busy (429, 5xx). Default `DEFAULT_ITEM_RETRY`. */
  itemRetry?: RetryPolicy;
  /** Injected for tests: resolves after `ms` or when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock for Retry-After values given as an HTTP date. */
  now?: () => number;
}

export const DEFAULT_ES_TIMEOUT_MS = 60_000;

/**
 * A few quick in-call resends: busy items usually pass within a second or two. Past that the whole
 * batch is handed back as retryable, for the retry decorator's longer backoff; its redelivery costs
 * only 409s for the documents already stored.
 */
export const DEFAULT_ITEM_RETRY: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 2_000, multiplier: 2, maxAttempts: 3 };

/** Only what classification reads: the status, and each item's status and error. Keeps replies of large batches small. */
const FILTER_PATH = 'filter_path=errors,items.*.status,items.*.error';

type Round = { ok: true; verdicts: Array<{ item: BulkItem; verdict: ItemVerdict }> } | { ok: false; failure: Failure };

export function createElasticsearchDestination(config: ElasticsearchConfig, options: ElasticsearchDestinationOptions = {}): Destination {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ES_TIMEOUT_MS;
  const transport =
    options.transport ??
    createBulkTransport({ host: config.host, port: config.port, tls: config.tls, rejectUnauthorized: config.rejectUnauthorized, timeoutMs, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const policy = options.itemRetry ?? DEFAULT_ITEM_RETRY;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const path = `/${encodeURIComponent(config.index)}/_bulk?${FILTER_PATH}`;
  const headers = requestHeaders(config);
  const clean = (text: string): string => scrubSecrets(text, config.secrets);

  async function post(items: readonly BulkItem[], signal: AbortSignal): Promise<{ reply: BulkReply } | { failure: Failure }> {
    if (signal.aborted) return { failure: classifyNoAnswer('aborted', signal.reason, timeoutMs) };
    try {
      return { reply: await transport.post({ path, headers, body: await gzipText(encodeBulkBody(items)) }, signal) };
    } catch (error) {
      return { failure: classifyNoReply(error, config, timeoutMs) };
    }
  }

  /** One bulk request for `items`, or several after a 413: halves, in order, down to single documents. */
  async function sendRound(items: readonly BulkItem[], signal: AbortSignal): Promise<Round> {
    const sent = await post(items, signal);
    if ('failure' in sent) return { ok: false, failure: sent.failure };
    const answer = sent.reply;
    if (answer.status === 413) return splitRound(items, answer, signal);
    if (answer.status < 200 || answer.status > 299) {
      const result = classifyHttpResponse(
        { status: answer.status, statusText: answer.statusText, retryAfter: answer.retryAfter, redirectTo: answer.location, bodyExcerpt: oneLineExcerpt(clean(answer.body)) },
        config.location,
        now(),
      );
      // classifyHttpResponse calls only 2xx delivered, and those do not reach here.
      return { ok: false, failure: result as Failure };
    }
    const verdict = classifyBulkReply(answer.body, items.length);
    if (!verdict.ok) return verdict;
    // classifyBulkReply checked that there is one verdict per item; a missing one would be resent, never taken as stored.
    return { ok: true, verdicts: items.map((item, i) => ({ item, verdict: verdict.items[i] ?? { kind: 'retry', why: 'no verdict for this item' } })) };
  }

  async function splitRound(items: readonly BulkItem[], answer: BulkReply, signal: AbortSignal): Promise<Round> {
    const [item] = items;
    if (items.length === 1 && item !== undefined) {
      const excerpt = oneLineExcerpt(clean(answer.body));
      const reason = `HTTP 413 for this document alone${excerpt === '' ? '' : ` (${excerpt})`}; the receiver's request size limit (http.max_content_length, or a proxy's) is below it`;
      return { ok: true, verdicts: [{ item, verdict: { kind: 'refused', code: 'document_too_large', reason } }] };
    }
    const middle = Math.floor(items.length / 2);
    const first = await sendRound(items.slice(0, middle), signal);
    if (!first.ok) return first;
    const second = await sendRound(items.slice(middle), signal);
    return second.ok ? { ok: true, verdicts: [...first.verdicts, ...second.verdicts] } : second;
  }

  async function deliverItems(items: readonly BulkItem[], signal: AbortSignal): Promise<DeliveryResult> {
    const refused: Array<{ position: number; record: RefusedRecord }> = [];
    let pending = items;
    for (let attempt = 1; ; attempt++) {
      const round = await sendRound(pending, signal);
      if (!round.ok) return round.failure;
      const busy: BulkItem[] = [];
      let why = '';
      for (const { item, verdict } of round.verdicts) {
        if (verdict.kind === 'refused') {
          refused.push({ position: item.position, record: { offset: item.offset, code: verdict.code, reason: clean(verdict.reason), document: item.document } });
        } else if (verdict.kind === 'retry') {
          busy.push(item);
          why ||= verdict.why;
        }
      }
      if (busy.length === 0) {
        if (refused.length === 0) return { status: 'delivered', location: config.location };
        // In batch order, whichever round found them.
        return { status: 'delivered', location: config.location, refused: refused.sort((a, b) => a.position - b.position).map((entry) => entry.record) };
      }
      if (attempt >= policy.maxAttempts || signal.aborted) {
        // Refusals found so far are not reported: the batch comes back whole, and they are found again then.
        return {
          status: 'retryable',
          code: 'ES_ITEMS_BUSY',
          message: `${busy.length} of ${items.length} document(s) still turned away after ${attempt} attempt(s) (${why}); documents already stored will answer 409 when the batch is sent again`,
        };
      }
      await sleep(backoffDelayMs(attempt, policy, options.random), signal);
      pending = busy;
    }
  }

  async function deliverBatch(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
    if (signal.aborted) return classifyNoAnswer('aborted', signal.reason, timeoutMs);
    let text: string;
    try {
      text = await gunzipText(batch.body);
    } catch (error) {
      return { status: 'rejected', code: 'ES_UNREADABLE_BATCH', message: `the batch body is not gzip: ${error instanceof Error ? error.message : String(error)}` };
    }
    const split = batchItems(text, batch);
    if (!split.ok) return { status: 'rejected', code: split.code, message: split.message };
    if (split.items.length === 0) return { status: 'delivered', location: config.location };
    return deliverItems(split.items, signal);
  }

  async function deliver(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
    const result = await deliverBatch(batch, signal);
    return result.status === 'delivered' ? result : { ...result, message: clean(result.message) };
  }

  return {
    kind: 'elasticsearch',
    description: config.description,
    deliver,
    /** The test document goes in as a one-document bulk; a refusal (e.g. a strict mapping) fails the validation rather than passing it. */
    async validate(body, signal) {
      const nowMs = now();
      const result = await deliver({ body, records: 1, uncompressedBytes: 0, startTimeMs: nowMs, endTimeMs: nowMs, suffix: 'sluice-validation' }, signal);
      const [refused] = result.status === 'delivered' ? (result.refused ?? []) : [];
      if (refused === undefined) return result;
      return { status: 'rejected', code: 'ES_VALIDATION_REFUSED', message: `the index refused the test document: ${refused.code}: ${refused.reason}` };
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}

/**
 * TLS is the default, so the likeliest mistake with a local receiver is TLS towards a plain-HTTP port:
 * OpenSSL then reads an HTTP answer as a record with a "wrong version number". Said plainly, not retried.
 */
function classifyNoReply(error: unknown, config: ElasticsearchConfig, timeoutMs: number): Failure {
  if (!(error instanceof BulkTransportError)) return classifyNoAnswer('network', error, timeoutMs);
  if (config.tls && error.reason === 'network' && /wrong version number/i.test(error.message)) {
    return { status: 'rejected', code: 'ES_PLAIN_HTTP_PORT', message: `${config.host}:${config.port} answered TLS with plain HTTP; add tls=false to the URI if the receiver really serves plain HTTP` };
  }
  return classifyNoAnswer(error.reason, error.cause ?? error, timeoutMs);
}

/** Configured headers (names lower-cased, so none is sent twice) after the defaults; the reserved ones cannot be configured. */
function requestHeaders(config: ElasticsearchConfig): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-ndjson',
    'content-encoding': 'gzip',
    accept: 'application/json',
    'user-agent': 'sluice',
  };
  for (const [name, value] of config.headers) headers[name.toLowerCase()] = value;
  return headers;
}
