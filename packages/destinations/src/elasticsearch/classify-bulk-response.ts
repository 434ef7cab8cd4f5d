// Judges a 2xx `_bulk` reply item by item: stored (created or already there), retry later, refused for good, or stop the batch.
import type { DeliveryResult } from '../destination.js';
import { oneLineExcerpt } from '../http/response-excerpt.js';

export type Failure = Exclude<DeliveryResult, { status: 'delivered' }>;

export type ItemVerdict =
  /** Created now (201), or created by an earlier delivery of the same record (409 on `create`). */
  | { kind: 'stored' }
  /** The cluster was too busy for it (429, 5xx): the same document may be taken later. */
  | { kind: 'retry'; why: string }
  /** The document itself is at fault (400 mapping errors and the like): sending it again cannot help. */
  | { kind: 'refused'; code: string; reason: string };

export type BulkVerdict = { ok: true; items: ItemVerdict[] } | { ok: false; failure: Failure };

/** Item errors that name the cluster's load rather than the document, whatever status they come with. */
const RETRYABLE_TYPES = new Set(['es_rejected_execution_exception', 'circuit_breaking_exception']);
/**
 * Item errors about the index, not the document: every document would fail the same way, so the batch
 * is rejected (and waits in Kafka) rather than every record being dead-lettered as if each were bad.
 */
const INDEX_TYPES = new Set(['index_not_found_exception', 'invalid_index_name_exception', 'index_closed_exception', 'cluster_block_exception', 'security_exception']);

interface ItemError {
  type: string;
  reason: string;
}

/** `expected`: how many items the request held; a reply listing another number is not a bulk reply to it. */
export function classifyBulkReply(body: string, expected: number): BulkVerdict {
  const reply = parseJson(body);
  const items = isObject(reply) ? reply['items'] : undefined;
  if (!Array.isArray(items) || items.length !== expected) {
    const what = Array.isArray(items) ? `${items.length} items for ${expected} documents` : `no items list: ${oneLineExcerpt(body) || '(empty)'}`;
    return { ok: false, failure: { status: 'rejected', code: 'ES_NOT_A_BULK_REPLY', message: `a 2xx answer that is not a _bulk reply (${what}); does the URI point at Elasticsearch or OpenSearch?` } };
  }
  // The common case: nothing failed, so nothing needs reading item by item.
  if (isObject(reply) && reply['errors'] === false) return { ok: true, items: items.map(() => ({ kind: 'stored' })) };

  const verdicts: ItemVerdict[] = [];
  for (const item of items) {
    const result = isObject(item) ? Object.values(item)[0] : undefined;
    const status = isObject(result) ? result['status'] : undefined;
    if (typeof status !== 'number') {
      return { ok: false, failure: { status: 'rejected', code: 'ES_NOT_A_BULK_REPLY', message: `a _bulk reply item without a status: ${oneLineExcerpt(JSON.stringify(item))}` } };
    }
    const error = readError(isObject(result) ? result['error'] : undefined);
    const verdict = classifyItem(status, error);
    if ('status' in verdict) return { ok: false, failure: verdict };
    verdicts.push(verdict);
  }
  return { ok: true, items: verdicts };
}

function classifyItem(status: number, error: ItemError): ItemVerdict | Failure {
  if ((status >= 200 && status <= 299) || status === 409) return { kind: 'stored' };
  const described = `${status} ${error.type}: ${error.reason}`;
  // Load first: a flood-stage disk block is a cluster_block_exception with 429, and lifts by itself.
  if (status === 408 || status === 429 || status >= 500 || RETRYABLE_TYPES.has(error.type)) return { kind: 'retry', why: described };
  if (status === 401 || status === 403 || status === 404 || INDEX_TYPES.has(error.type)) {
    return { status: 'rejected', code: `ES_ITEM_${status}`, message: `the index refused the documents: ${described}` };
  }
  return { kind: 'refused', code: error.type, reason: error.reason };
}

/** The reason, with the first cause's when given (a bare "failed to parse" says little without it), on one short line. */
function readError(value: unknown): ItemError {
  if (!isObject(value)) return { type: 'unknown_error', reason: 'no error given' };
  const type = typeof value['type'] === 'string' ? value['type'] : 'unknown_error';
  const reason = typeof value['reason'] === 'string' ? value['reason'] : '';
  const cause = value['caused_by'];
  const causeText = isObject(cause) && typeof cause['type'] === 'string' ? `; caused by ${cause['type']}${typeof cause['reason'] === 'string' ? `: ${cause['reason']}` : ''}` : '';
  return { type, reason: oneLineExcerpt(`${reason}${causeText}`) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
