// Delivers each batch to Splunk HEC one gzip part per POST, as the pipeline built it; a part HEC finds too large is halved at record boundaries.
import type { BatchPart, DeliveryBatch, DeliveryResult, Destination } from '../destination.js';
import { createDeliveryProgress } from '../delivery-progress.js';
import type { DeliveryProgress } from '../delivery-progress.js';
import { gunzipText, gzipText } from '../gzip/gzip-text.js';
import { batchIdHeader } from '../http-client/batch-id-header.js';
import type { HttpClient } from '../http-client/http-client.js';
import type { NoReply } from '../http-client/no-reply.js';
import { headerSecrets, scrubSecrets } from '../http/http-secrets.js';
import { pendingParts, wireParts } from '../wire/wire-parts.js';
import { classifyHecFailure, HEC_ABORTED, HEC_TIMEOUT } from './classify-hec-failure.js';
import { classifyHecReply } from './classify-hec-response.js';
import type { Failure, HecVerdict } from './classify-hec-response.js';
import { createHttpsTransport } from './hec-client.js';
import { hecWireEncoding } from './hec-wire.js';
import { describeSplunkConfig, HEC_METADATA_FIELDS } from './splunk-config.js';
import type { SplunkHecConfig } from './splunk-config.js';

export interface SplunkDestinationOptions {
  /** How requests travel; closed with the destination. Default: the shared client with the config's TLS policy and `timeoutMs`. */
  transport?: HttpClient;
  /** Deadline per request for the default transport, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Uncompressed bytes of one request at most (a record larger on its own goes alone). Default `DEFAULT_HEC_MAX_REQUEST_BYTES`. */
  maxRequestBytes?: number;
  /** Records already accepted per batch, for redeliveries after a partial delivery. */
  progress?: DeliveryProgress;
  /** Clock for Retry-After values given as an HTTP date. */
  now?: () => number;
  /** Inflates a part HEC refused as too large (the only time a part is read back); injected by tests to count calls. */
  gunzip?: (body: Buffer) => Promise<string>;
}

/** 1 MiB: HEC's `max_content_length` was 1 MB for years, and Splunk Cloud still advises requests about that size. */
export const DEFAULT_HEC_MAX_REQUEST_BYTES = 1024 * 1024;

/** Where a request stands in its batch: which part, and the position of its first record. */
interface Place {
  part: number;
  from: number;
}

export function createSplunkDestination(config: SplunkHecConfig, options: SplunkDestinationOptions = {}): Destination {
  const transport =
    options.transport ?? createHttpsTransport({ rejectUnauthorized: config.rejectUnauthorized, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  const wireEncoding = hecWireEncoding(config, options.maxRequestBytes ?? DEFAULT_HEC_MAX_REQUEST_BYTES);
  const progress = options.progress ?? createDeliveryProgress();
  const now = options.now ?? Date.now;
  const gunzip = options.gunzip ?? gunzipText;
  const location = `splunk://${config.host}:${config.port}${config.path}`;
  const delivered: DeliveryResult = { status: 'delivered', location };
  const url = `https://${config.host}:${config.port}${requestPath(config)}`;
  const headers = requestHeaders(config);
  const secrets = headerSecrets(Object.entries(config.headers));

  async function post(batch: DeliveryBatch, body: Buffer, place: Place, piece: number | undefined, signal: AbortSignal): Promise<HecVerdict> {
    const sent = await transport.send({ url, headers: { ...headers, ...batchIdHeader(batch, place.part, piece) }, body }, signal);
    if (!sent.ok) return classifyHecFailure(asHecError(sent.failure));
    const { reply } = sent;
    return classifyHecReply({ statusCode: reply.status, retryAfter: reply.header('retry-after') ?? undefined, body: reply.body }, now());
  }

  /** Sends a whole part as built; only if HEC finds it too large is it read back and halved. */
  async function sendPart(batch: DeliveryBatch, part: BatchPart, place: Place, signal: AbortSignal): Promise<DeliveryResult> {
    const verdict = await post(batch, part.body, place, undefined, signal);
    if (verdict.status === 'too-large') return sendHalves(batch, await partLines(part), place, signal);
    if (verdict.status !== 'accepted') return verdict;
    progress.record(batch, place.from + part.records);
    return delivered;
  }

  /** Sends encoded records `lines` (the first is record `place.from` of the batch) in one request, or in halves if HEC finds it too large. */
  async function sendRange(batch: DeliveryBatch, lines: readonly string[], place: Place, signal: AbortSignal): Promise<DeliveryResult> {
    const verdict = await post(batch, await gzipText(lines.join('')), place, place.from, signal);
    if (verdict.status === 'too-large') return sendHalves(batch, lines, place, signal);
    if (verdict.status !== 'accepted') return verdict;
    progress.record(batch, place.from + lines.length);
    return delivered;
  }

  /** Halves go in order, each halved again on its own 413, down to a single record. */
  async function sendHalves(batch: DeliveryBatch, lines: readonly string[], place: Place, signal: AbortSignal): Promise<DeliveryResult> {
    if (lines.length <= 1) {
      return {
        status: 'rejected',
        code: 'HEC_RECORD_TOO_LARGE',
        message: `record ${place.from + 1} of ${batch.records} is larger on its own than Splunk HEC accepts (HTTP 413); raise max_content_length in Splunk's limits.conf [http_input]`,
      };
    }
    const middle = Math.floor(lines.length / 2);
    const first = await sendRange(batch, lines.slice(0, middle), place, signal);
    return first.status === 'delivered' ? sendRange(batch, lines.slice(middle), { part: place.part, from: place.from + middle }, signal) : first;
  }

  /** A part's records, each its line with the line break: the rare path of a 413 or a part accepted in pieces. */
  async function partLines(part: BatchPart): Promise<string[]> {
    return (await gunzip(part.body)).split(/(?<=\n)/).filter((line) => line !== '');
  }

  async function deliverBatch(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
    if (batch.records === 0) return delivered; // HEC would refuse an empty body (code 5); there is nothing to send
    const { parts } = await wireParts(batch, wireEncoding);
    for (const { part, index, first, skip } of pendingParts(parts, progress.accepted(batch))) {
      // A part accepted in pieces before (after a 413) goes on from the first record not yet taken.
      const result =
        skip === 0
          ? await sendPart(batch, part, { part: index, from: first }, signal)
          : await sendRange(batch, (await partLines(part)).slice(skip), { part: index, from: first + skip }, signal);
      if (result.status !== 'delivered') return result;
    }
    return delivered;
  }

  return {
    kind: 'splunk',
    description: describeSplunkConfig(config),
    wireEncoding,
    async deliver(batch, signal) {
      let result: DeliveryResult;
      try {
        result = await deliverBatch(batch, signal);
      } catch (error) {
        // Only local work (gunzip, gzip) can throw here; the interface promises a result regardless.
        result = { status: 'rejected', code: 'HEC_UNREADABLE_BATCH', message: `the batch could not be re-encoded: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (result.status === 'delivered') {
        progress.forget(batch);
        return result;
      }
      return scrub(result, secrets);
    },
    close: () => transport.close(),
  };
}
/** The shape classifyHecFailure reads: our own two endings get HEC's codes, the network keeps its socket code. */
function asHecError(failure: NoReply): { code?: string; message: string } {
  if (failure.reason === 'timeout') return { code: HEC_TIMEOUT, message: failure.message };
  if (failure.reason === 'aborted') return { code: HEC_ABORTED, message: failure.message };
  return failure;
}

/** The configured path plus the channel and, on the raw endpoint, the metadata HEC reads from the query string. */
function requestPath(config: SplunkHecConfig): string {
  const params = new URLSearchParams();
  if (config.channel !== undefined) params.set('channel', config.channel);
  if (config.endpoint === 'raw') {
    for (const name of HEC_METADATA_FIELDS) {
      const value = config.metadata[name];
      if (value !== undefined) params.set(name, value);
    }
  }
  const query = params.toString();
  return query === '' ? config.path : `${config.path}?${query}`;
}

function requestHeaders(config: SplunkHecConfig): Record<string, string> {
  return {
    'content-type': config.endpoint === 'raw' ? 'text/plain; charset=utf-8' : 'application/json',
    'user-agent': 'sluice',
    ...config.headers,
    'content-encoding': 'gzip',
    // Also sent as the `channel` parameter: HEC reads either, and a proxy that strips unfamiliar headers keeps the query.
    ...(config.channel !== undefined ? { 'x-splunk-request-channel': config.channel } : {}),
  };
}

function scrub(result: Failure, secrets: readonly string[]): Failure {
  return { ...result, message: scrubSecrets(result.message, secrets) };
}
