// OpenSearch for cross-service tests: its address from OPENSEARCH_URL (set by tests/bin/with-infra.mjs) and a few plain REST helpers.

/** The OpenSearch HTTP interface; throws (failing the test) rather than skipping when it is not set. */
export function opensearchUrl(): string {
  const url = process.env['OPENSEARCH_URL'];
  if (!url) {
    throw new Error(
      'OPENSEARCH_URL is not set: run cross-service tests through `npm run test:e2e` (tests/bin/with-infra.mjs starts OpenSearch), ' +
        'or start it yourself and export OPENSEARCH_URL=http://127.0.0.1:9201',
    );
  }
  return url.replace(/\/+$/, '');
}

/** `host:port` of an `http://host:port` URL: what an `elasticsearch://` URI names. */
export function hostPort(url: string): string {
  return new URL(url).host;
}

/** Sends one JSON request; a non-2xx answer throws with OpenSearch's message. */
export async function opensearchRequest(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`OpenSearch answered ${response.status} to ${method} ${path}: ${text.trim().slice(0, 300)}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** Creates an index with one shard and no replica (a single node could never place one), and the given field mappings. */
export async function createIndex(url: string, index: string, properties?: Record<string, unknown>): Promise<void> {
  await opensearchRequest(url, 'PUT', `/${index}`, {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    ...(properties === undefined ? {} : { mappings: { properties } }),
  });
}

export async function deleteIndex(url: string, index: string): Promise<void> {
  await opensearchRequest(url, 'DELETE', `/${index}`).catch(() => undefined);
}

export interface StoredDocument {
  id: string;
  /** The document as OpenSearch returns it: the source it was sent, key order kept. */
  source: Record<string, unknown>;
}

/** Every document of the index (up to 10 000), after a refresh so that the latest writes are searchable; missing index → none. */
export async function storedDocuments(url: string, index: string): Promise<StoredDocument[]> {
  const exists = await fetch(`${url}/${index}`, { method: 'HEAD', signal: AbortSignal.timeout(30_000) });
  if (exists.status === 404) return [];
  await opensearchRequest(url, 'POST', `/${index}/_refresh`);
  const result = (await opensearchRequest(url, 'POST', `/${index}/_search`, { size: 10_000, query: { match_all: {} } })) as {
    hits: { hits: Array<{ _id: string; _source: Record<string, unknown> }> };
  };
  return result.hits.hits.map((hit) => ({ id: hit._id, source: hit._source }));
}

/**
 * How many documents hold each value of a keyword field, over the whole index (a composite
 * aggregation, page by page, so not limited to 10,000 hits), after a refresh.
 */
export async function countByTerm(url: string, index: string, field: string): Promise<Map<string, number>> {
  await opensearchRequest(url, 'POST', `/${index}/_refresh`);
  const counts = new Map<string, number>();
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const composite = { size: 10_000, sources: [{ term: { terms: { field } } }], ...(after ? { after } : {}) };
    const result = (await opensearchRequest(url, 'POST', `/${index}/_search`, { size: 0, aggs: { terms: { composite } } })) as {
      aggregations: { terms: { buckets: Array<{ key: { term: string }; doc_count: number }>; after_key?: Record<string, unknown> } };
    };
    const { buckets, after_key: afterKey } = result.aggregations.terms;
    for (const bucket of buckets) counts.set(String(bucket.key.term), bucket.doc_count);
    if (buckets.length === 0 || afterKey === undefined) return counts;
    after = afterKey;
  }
}
