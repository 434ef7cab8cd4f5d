// Delivers each batch to Splunk HEC as gzip POSTs, halving at record boundaries on 413; results are returned, never thrown.
import type { DeliveryBatch, DeliveryResult, Destination } from '../destination.js';
import { headerSecrets, scrubSecrets } from '../http/http-secrets.js';
import { classifyHecFailure, HEC_ABORTED } from './classify-hec-failure.js';
import { classifyHecReply } from './classify-hec-response.js';
import type { Failure, HecVerdict } from './classify-hec-response.js';
import { createDeliveryProgress } from '../delivery-progress.js';
import type { DeliveryProgress } from '../delivery-progress.js';
import { createEventEncoder, encodeRawBody, gunzipText, gzipText, splitRecords } from './hec-encoder.js';
import { createHttpsTransport } from './hec-transport.js';
import type { HecTransport } from './hec-transport.js';
import { describeSplunkConfig, HEC_METADATA_FIELDS } from './splunk-config.js';
import type { SplunkHecConfig } from './splunk-config.js';

export interface SplunkDestinationOptions {
  /** How requests travel. Default: node:https with the config's TLS policy and `timeoutMs`. */
  transport?: HecTransport;
  /** Deadline per request for the default transport, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Records already accepted per batch, for redeliveries after a partial (split) delivery. */
  progress?: DeliveryProgress;
  /** Clock for Retry-After values given as an HTTP date. */
  now?: () => number;
}

export function createSplunkDestination(config: SplunkHecConfig, options: SplunkDestinationOptions = {}): Destination {
  const transport =
    options.transport ?? createHttpsTransport({ rejectUnauthorized: config.rejectUnauthorized, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  const progress = options.progress ?? createDeliveryProgress();
  const now = options.now ?? Date.now;
  const location = `splunk://${config.host}:${config.port}${config.path}`;
  const delivered: DeliveryResult = { status: 'delivered', location };
  const path = requestPath(config);
  const headers = requestHeaders(config);
  const encode = config.endpoint === 'raw' ? encodeRawBody : createEventEncoder(config.metadata);
  const secrets = headerSecrets(Object.entries(config.headers));

  async function post(body: Buffer, signal: AbortSignal): Promise<HecVerdict> {
    if (signal.aborted) return { status: 'retryable', code: HEC_ABORTED, message: 'Splunk HEC delivery aborted' };
    try {
      return classifyHecReply(await transport.post({ host: config.host, port: config.port, path, headers, body }, signal), now());
    } catch (error) {
      return classifyHecFailure(error);
    }
  }

  /** Sends records [from, to) in one request, or in halves if HEC finds it too large. Halves go in order. */
  async function sendRange(batch: DeliveryBatch, records: readonly string[], from: number, to: number, signal: AbortSignal): Promise<DeliveryResult> {
    const verdict = await post(await gzipText(encode(records.slice(from, to))), signal);
    if (verdict.status === 'too-large') return sendHalves(batch, records, from, to, signal);
    if (verdict.status !== 'accepted') return verdict;
    progress.record(batch, to);
    return delivered;
  }

  async function sendHalves(batch: DeliveryBatch, records: readonly string[], from: number, to: number, signal: AbortSignal): Promise<DeliveryResult> {
    if (to - from <= 1) {
      return {
        status: 'rejected',
        code: 'HEC_RECORD_TOO_LARGE',
        message: `record ${from + 1} of ${records.length} is larger on its own than Splunk HEC accepts (HTTP 413); raise max_content_length in Splunk's limits.conf [http_input]`,
      };
    }
    const middle = from + Math.floor((to - from) / 2);
    const first = await sendRange(batch, records, from, middle, signal);
    return first.status === 'delivered' ? sendRange(batch, records, middle, to, signal) : first;
  }

  async function deliverBatch(batch: DeliveryBatch, signal: AbortSignal): Promise<DeliveryResult> {
    if (batch.records === 0) return delivered; // HEC would refuse an empty body (code 5); there is nothing to send
    const accepted = progress.accepted(batch);
    const fresh = accepted === 0 && config.endpoint === 'raw';
    if (fresh) {
      // The batch body already is the gzip raw body HEC wants: sent as it is, without re-encoding.
      const verdict = await post(batch.body, signal);
      if (verdict.status === 'accepted') return delivered;
      if (verdict.status !== 'too-large') return verdict;
    }
    const records = splitRecords(await gunzipText(batch.body));
    if (accepted >= records.length) return delivered;
    return fresh ? sendHalves(batch, records, 0, records.length, signal) : sendRange(batch, records, accepted, records.length, signal);
  }

  return {
    kind: 'splunk',
    description: describeSplunkConfig(config),
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
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
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
