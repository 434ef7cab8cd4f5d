// Delivers each batch to Elasticsearch or OpenSearch one `_bulk` part at a time, as the pipeline built it, resending only the items the cluster was too busy for.
import type { BatchPart, DeliveryBatch, DeliveryResult, Destination, RefusedRecord } from '../destination.js';
import { gunzipText } from '../gzip/gzip-text.js';
import { createHttpClient } from '../http-client/http-client.js';
import type { HttpClient } from '../http-client/http-client.js';
import { classifyNoAnswer } from '../http/classify-http-response.js';
import { scrubSecrets } from '../http/http-secrets.js';
import { backoffDelayMs } from '../retry/retry-policy.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import { abortableSleep } from '../retry/with-retry.js';
import { pendingParts, wireParts } from '../wire/wire-parts.js';
import { bulkItem, checkBatchBody } from './bulk-encoder.js';
import type { BulkItem } from './bulk-encoder.js';
import { createRoundSender } from './bulk-round.js';
import type { Round } from './bulk-round.js';
import { bulkWireEncoding } from './bulk-wire.js';
import type { Failure, ItemVerdict } from './classify-bulk-response.js';
import type { ElasticsearchConfig } from './elasticsearch-config.js';

export interface ElasticsearchDestinationOptions {
  /** How requests travel; closed with the destination. Default: the shared client with the config's TLS policy, `ca` and `timeoutMs`. */
  transport?: HttpClient;
  /** Deadline per `_bulk` request for the default transport, in ms. Default 60 000: a large bulk on a busy cluster takes a while. */
  timeoutMs?: number;
  /** Extra trusted CA certificate (PEM) for the default transport. */
  ca?: string;
  /** Uncompressed bytes of one `_bulk` body at most (a document larger on its own goes alone). Default `DEFAULT_ES_MAX_REQUEST_BYTES`. */
  maxRequestBytes?: number;
  /** Resends, within one delivery, of the items a 2xx reply turned away as busy (429, 5xx). Default `DEFAULT_ITEM_RETRY`. */
  itemRetry?: RetryPolicy;
  /** Inflates a part whose reply reports item failures (the only time a part is read back); injected by tests to count calls. */
  gunzip?: (body: Buffer) => Promise<string>;
  /** Injected for tests: resolves after `ms` or when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock for Retry-After values given as an HTTP date. */
  now?: () => number;
}

export const DEFAULT_ES_TIMEOUT_MS = 60_000;
/** 8 MiB: within the 5–15 MB Elastic advises for bulk requests, and far below `http.max_content_length` (100 MB). */
export const DEFAULT_ES_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * A few quick in-call resends: busy items usually pass within a second or two. Past that the whole
 * batch is handed back as retryable, for the retry decorator's longer backoff; its redelivery costs
 * only 409s for the documents already stored.
 */
export const DEFAULT_ITEM_RETRY: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 2_000, multiplier: 2, maxAttempts: 3 };

/** Only what classification reads: the status, and each item's status and error. Keeps replies of large bulks small. */
const FILTER_PATH = 'filter_path=errors,items.*.status,items.*.error';
/** A bulk reply lists every item (~30 bytes each with FILTER_PATH, a few hundred for a refused one); one cut here fails to parse and is reported. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

type Refusal = { position: number; record: RefusedRecord };

export function createElasticsearchDestination(config: ElasticsearchConfig, options: ElasticsearchDestinationOptions = {}): Destination {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ES_TIMEOUT_MS;
  const transport =
    options.transport ??
    createHttpClient({ timeoutMs, rejectUnauthorized: config.rejectUnauthorized, maxReplyBytes: MAX_REPLY_BYTES, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_ES_MAX_REQUEST_BYTES;
  const policy = options.itemRetry ?? DEFAULT_ITEM_RETRY;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const clean = (text: string): string => scrubSecrets(text, config.secrets);
  const url = `${config.tls ? 'https' : 'http'}://${config.host}:${config.port}/${encodeURIComponent(config.index)}/_bulk?${FILTER_PATH}`;
  const { sendRound, sendPart, splitRound } = createRoundSender({ config, transport, url, headers: requestHeaders(config), timeoutMs, clean, now });
  const wireEncoding = bulkWireEncoding(maxRequestBytes);
  const gunzip = options.gunzip ?? gunzipText;

  /** A part's items, read back from the text sent: only when its reply reports failures, or it was too large. */
  async function partItems(batch: DeliveryBatch, part: BatchPart, first: number): Promise<BulkItem[]> {
    const lines = (await gunzip(part.body)).split('\n');
    const items: BulkItem[] = [];
    // Action and document alternate; positions count records, as the batch holds exactly one item per record.
    for (let i = 1; i < lines.length; i += 2) items.push(bulkItem(lines[i] ?? '', first + items.length, batch));
    return items;
  }

  /** One part's items, busy ones resent after a short backoff; what the index refused for good is collected in `refused`. */
  async function deliverItems(batch: DeliveryBatch, part: number, firstRound: Round, refused: Refusal[], signal: AbortSignal): Promise<Failure | undefined> {
    let round = firstRound;
    for (let attempt = 1; ; attempt++) {
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
      if (busy.length === 0) return undefined;
      if (attempt >= policy.maxAttempts || signal.aborted) {
        // Refusals found so far are not reported: the batch comes back whole, and they are found again then.
        return {
          status: 'retryable',
          code: 'ES_ITEMS_BUSY',
          message: `${busy.length} of ${batch.records} document(s) still turned away after ${attempt} attempt(s) (${why}); documents already stored will answer 409 when the batch is sent again`,
        };
      }
      await sleep(backoffDelayMs(attempt, policy, options.random), signal);
      round = await sendRound(batch, busy, part, signal);
    }
  }

  /** Sends a part as built; it is inflated only to split it after a 413, or to pair failed items with their documents. */
  async function deliverPart(batch: DeliveryBatch, part: BatchPart, index: number, first: number, refused: Refusal[], signal: AbortSignal): Promise<Failure | undefined> {
    const sent = await sendPart(batch, part, index, signal);
    if (sent.ok === false) return sent.failure;
    if (sent.ok === true && sent.verdicts === 'all-stored') return undefined;
    const items = await partItems(batch, part, first);
    const round: Round =
      sent.ok === 'too-large'
        ? await splitRound(batch, items, index, sent.answer, signal)
        : { ok: true, verdicts: items.map((item, i) => ({ item, verdict: (sent.verdicts as ItemVerdict[])[i] ?? { kind: 'retry', why: 'no verdict for this item' } })) };
    return deliverItems(batch, index, round, refused, signal);
  }

  async function deliverBatch(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
    if (signal.aborted) return classifyNoAnswer('aborted', signal.reason, timeoutMs);
    let wire;
    try {
      // A batch not built in the bulk encoding is checked whole first, so one unfit for bulk is refused before anything is sent.
      const problem = batch.encoding === wireEncoding.name ? undefined : await checkBatchBody(batch);
      if (problem !== undefined) return { status: 'rejected', ...problem };
      wire = await wireParts(batch, wireEncoding);
    } catch (error) {
      return { status: 'rejected', code: 'ES_UNREADABLE_BATCH', message: `the batch body is not gzip: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (wire.unfit !== undefined) return { status: 'rejected', ...wire.unfit };
    const refused: Refusal[] = [];
    for (const { part, index, first } of pendingParts(wire.parts, 0)) {
      const failure = await deliverPart(batch, part, index, first, refused, signal);
      if (failure !== undefined) return failure;
    }
    if (refused.length === 0) return { status: 'delivered', location: config.location };
    // In batch order, whichever round found them.
    return { status: 'delivered', location: config.location, refused: refused.sort((a, b) => a.position - b.position).map((entry) => entry.record) };
  }

  async function deliver(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
    const result = await deliverBatch(batch, signal);
    return result.status === 'delivered' ? result : { ...result, message: clean(result.message) };
  }

  return {
    kind: 'elasticsearch',
    description: config.description,
    wireEncoding,
    deliver,
    /** The test document goes in as a one-document bulk; a refusal (e.g. a strict mapping) fails the validation rather than passing it. */
    async validate(body, signal) {
      const nowMs = now();
      const result = await deliver({ body, records: 1, uncompressedBytes: 0, startTimeMs: nowMs, endTimeMs: nowMs, suffix: 'sluice-validation' }, signal);
      const [refused] = result.status === 'delivered' ? (result.refused ?? []) : [];
      if (refused === undefined) return result;
      return { status: 'rejected', code: 'ES_VALIDATION_REFUSED', message: `the index refused the test document: ${refused.code}: ${refused.reason}` };
    },
    close: () => transport.close(),
  };
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
