// Sends one `_bulk` request: a part as the batch holds it, or items rebuilt from one (halves after a 413, busy items again), and judges each item's answer.
import type { BatchPart, DeliveryBatch } from '../destination.js';
import { gzipText } from '../gzip/gzip-text.js';
import { batchIdHeader } from '../http-client/batch-id-header.js';
import type { HttpClient, HttpReply } from '../http-client/http-client.js';
import type { NoReply } from '../http-client/no-reply.js';
import { classifyHttpResponse, classifyNoAnswer } from '../http/classify-http-response.js';
import { oneLineExcerpt } from '../http/response-excerpt.js';
import { encodeBulkBody } from './bulk-encoder.js';
import type { BulkItem } from './bulk-encoder.js';
import { classifyBulkReply } from './classify-bulk-response.js';
import type { Failure, ItemVerdict } from './classify-bulk-response.js';
import type { ElasticsearchConfig } from './elasticsearch-config.js';

export type Round = { ok: true; verdicts: Array<{ item: BulkItem; verdict: ItemVerdict }> } | { ok: false; failure: Failure };

export interface BulkRoundContext {
  config: ElasticsearchConfig;
  transport: HttpClient;
  /** The `_bulk` URL, query string included. */
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** Removes every secret from a text that came from the receiver. */
  clean: (text: string) => string;
  now: () => number;
}

export type SendRound = (batch: DeliveryBatch, items: readonly BulkItem[], part: number, signal: AbortSignal) => Promise<Round>;

/** A part sent as built: every item stored (the reply needs no pairing with documents), verdicts to pair, too large, or a failure. */
export type PartRound = { ok: true; verdicts: ItemVerdict[] | 'all-stored' } | { ok: false; failure: Failure } | { ok: 'too-large'; answer: HttpReply };

export interface RoundSender {
  /** Items built again from a part's text (a resend of busy items, or the halves after a 413), gzipped for this request. */
  sendRound: SendRound;
  /** A part exactly as the batch holds it: nothing is compressed or inflated. */
  sendPart: (batch: DeliveryBatch, part: BatchPart, index: number, signal: AbortSignal) => Promise<PartRound>;
  /** After a 413 (`answer`): the items in halves, each halved again on its own 413; one document alone is refused. */
  splitRound: (batch: DeliveryBatch, items: readonly BulkItem[], part: number, answer: HttpReply, signal: AbortSignal) => Promise<Round>;
}

type Exchange = { ok: true; verdicts: ItemVerdict[]; allStored: boolean } | { ok: false; failure: Failure } | { ok: 'too-large'; answer: HttpReply };

export function createRoundSender(context: BulkRoundContext): RoundSender {
  const { config, clean } = context;

  /** One `_bulk` request of `expected` documents, judged as a whole and item by item. */
  async function exchange(body: Buffer, expected: number, batchId: Record<string, string>, signal: AbortSignal): Promise<Exchange> {
    const sent = await context.transport.send({ url: context.url, headers: { ...context.headers, ...batchId }, body }, signal);
    if (!sent.ok) return { ok: false, failure: classifyNoReply(sent.failure, config, context.timeoutMs) };
    const answer = sent.reply;
    if (answer.status === 413) return { ok: 'too-large', answer };
    if (answer.status < 200 || answer.status > 299) {
      const result = classifyHttpResponse(
        { status: answer.status, statusText: answer.statusText, retryAfter: answer.header('retry-after'), redirectTo: answer.header('location'), bodyExcerpt: oneLineExcerpt(clean(answer.body)) },
        config.location,
        context.now(),
      );
      // classifyHttpResponse calls only 2xx delivered, and those do not reach here.
      return { ok: false, failure: result as Failure };
    }
    const verdict = classifyBulkReply(answer.body, expected);
    if (!verdict.ok) return verdict;
    return { ok: true, verdicts: verdict.items, allStored: verdict.items.every((item) => item.kind === 'stored') };
  }

  async function sendPart(batch: DeliveryBatch, part: BatchPart, index: number, signal: AbortSignal): Promise<PartRound> {
    const result = await exchange(part.body, part.records, batchIdHeader(batch, index), signal);
    if (result.ok !== true) return result;
    return { ok: true, verdicts: result.allStored ? 'all-stored' : result.verdicts };
  }

  async function sendRound(batch: DeliveryBatch, items: readonly BulkItem[], part: number, signal: AbortSignal): Promise<Round> {
    // Items resent from a part are another request than the part itself: named by their first position, so a receiver keeps both.
    const result = await exchange(await gzipText(encodeBulkBody(items)), items.length, batchIdHeader(batch, part, items[0]?.position ?? 0), signal);
    if (result.ok === 'too-large') return splitRound(batch, items, part, result.answer, signal);
    if (!result.ok) return result;
    // classifyBulkReply checked that there is one verdict per item; a missing one would be resent, never taken as stored.
    return { ok: true, verdicts: items.map((item, i) => ({ item, verdict: result.verdicts[i] ?? { kind: 'retry', why: 'no verdict for this item' } })) };
  }

  async function splitRound(batch: DeliveryBatch, items: readonly BulkItem[], part: number, answer: HttpReply, signal: AbortSignal): Promise<Round> {
    const [item] = items;
    if (items.length === 1 && item !== undefined) {
      const excerpt = oneLineExcerpt(clean(answer.body));
      const reason = `HTTP 413 for this document alone${excerpt === '' ? '' : ` (${excerpt})`}; the receiver's request size limit (http.max_content_length, or a proxy's) is below it`;
      return { ok: true, verdicts: [{ item, verdict: { kind: 'refused', code: 'document_too_large', reason } }] };
    }
    const middle = Math.floor(items.length / 2);
    const first = await sendRound(batch, items.slice(0, middle), part, signal);
    if (!first.ok) return first;
    const second = await sendRound(batch, items.slice(middle), part, signal);
    return second.ok ? { ok: true, verdicts: [...first.verdicts, ...second.verdicts] } : second;
  }

  return { sendRound, sendPart, splitRound };
}

/**
 * TLS is the default, so the likeliest mistake with a local receiver is TLS towards a plain-HTTP port:
 * OpenSSL then reads an HTTP answer as a record with a "wrong version number". Said plainly, not retried.
 */
function classifyNoReply(failure: NoReply, config: ElasticsearchConfig, timeoutMs: number): Failure {
  if (config.tls && failure.reason === 'network' && /wrong version number/i.test(failure.message)) {
    return { status: 'rejected', code: 'ES_PLAIN_HTTP_PORT', message: `${config.host}:${config.port} answered TLS with plain HTTP; add tls=false to the URI if the receiver really serves plain HTTP` };
  }
  return classifyNoAnswer(failure.reason, failure, timeoutMs);
}
