// The destination conformance suite for elasticsearch:// against a real OpenSearch node, through the fault-injecting proxy.
import { createFaultProxy, defineDestinationConformance } from '@sluice/destination-conformance';
import { defaultDestinations } from '@sluice/destinations';
import { createIndex, deleteIndex, hostPort, opensearchUrl, runTag, storedDocuments } from '../../src/index.js';

/** OpenSearch here has no security plugin and ignores credentials, so the password stands in for a real one it must never reveal. */
const SECRET = `pw-${runTag()}${runTag()}`;
const INDEX = `conformance-${runTag()}`;
const OPAQUE_ID = 'sluice-conformance';

defineDestinationConformance(
  'elasticsearch',
  async () => {
    const url = opensearchUrl();
    await createIndex(url, INDEX);
    const proxy = await createFaultProxy(url);
    const conf = `elasticsearch://sluice:${SECRET}@${hostPort(proxy.url)}/${INDEX}?tls=false&header_X-Opaque-Id=${OPAQUE_ID}`;
    return {
      secret: SECRET,
      create: () => defaultDestinations.create(conf),
      failNext: (count, status, headers) => proxy.failNext(count, status, headers),
      hangNext: () => proxy.hangNext(),
      requests: () => Promise.resolve(proxy.requests),
      /**
       * Documents become batch texts again. The suite's batches carry no origin, so each _id is
       * `<suffix>-<line>`: grouped by suffix, in line order, each source rendered as the suite wrote it
       * (OpenSearch returns the source as sent, key order kept).
       */
      async accepted() {
        const batches = new Map<string, Array<{ line: number; text: string }>>();
        for (const document of await storedDocuments(url, INDEX)) {
          const dash = document.id.lastIndexOf('-');
          const suffix = document.id.slice(0, dash);
          const lines = batches.get(suffix) ?? [];
          lines.push({ line: Number(document.id.slice(dash + 1)), text: `${JSON.stringify(document.source)}\n` });
          batches.set(suffix, lines);
        }
        return [...batches.values()].map((lines) => lines.sort((a, b) => a.line - b.line).map((entry) => entry.text).join(''));
      },
      async close() {
        await proxy.close();
        await deleteIndex(url, INDEX);
      },
    };
  },
  {
    requestShape: {
      headers: { authorization: `Basic ${Buffer.from(`sluice:${SECRET}`).toString('base64')}`, 'x-opaque-id': OPAQUE_ID, 'content-type': 'application/x-ndjson' },
      query: { filter_path: 'errors,items.*.status,items.*.error' },
    },
  },
);
