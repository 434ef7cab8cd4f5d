// The destination conformance suite for http(s):// against a real receiver: ClickHouse's HTTP interface, through the fault-injecting proxy.
import { createFaultProxy, defineDestinationConformance } from '@sluice/destination-conformance';
import { defaultDestinations } from '@sluice/destinations';
import { clickhouseQuery, clickhouseRows, clickhouseUrl, runTag } from '../../src/index.js';

/** Lines of the suite's batches: `{"RayID":"<tag>-<i>","ClientIP":…,"EdgeResponseStatus":…,"Note":…}`, in this key order. */
const COLUMNS = ['RayID', 'ClientIP', 'EdgeResponseStatus', 'Note'] as const;

const SECRET = `tok-${runTag()}${runTag()}`;
const TABLE = `conformance_${runTag()}`;
const INSERT = `INSERT INTO ${TABLE} FORMAT JSONEachRow`;

defineDestinationConformance('http', async () => {
  const url = clickhouseUrl();
  const table = TABLE;
  await clickhouseQuery(url, `CREATE TABLE ${table} (RayID String, ClientIP String, EdgeResponseStatus UInt16, Note String) ENGINE = MergeTree ORDER BY RayID`);
  const proxy = await createFaultProxy(url);
  // ClickHouse ignores headers it does not know, so X-Sluice-Token stands in for an ingest token it must never reveal.
  const secret = SECRET;
  const conf = `${proxy.url}/?query=${encodeURIComponent(INSERT)}&header_X-Sluice-Token=${secret}`;
  return {
    secret,
    create: () => defaultDestinations.create(conf),
    failNext: (count, status, headers) => proxy.failNext(count, status, headers),
    hangNext: () => proxy.hangNext(),
    requests: () => Promise.resolve(proxy.requests),
    /** Rows become batch texts again: grouped by the tag in RayID, in line order, rendered as the suite wrote them. */
    async accepted() {
      const rows = await clickhouseRows(url, `SELECT ${COLUMNS.join(', ')} FROM ${table}`);
      const batches = new Map<string, Array<{ index: number; line: string }>>();
      for (const row of rows) {
        const rayId = String(row['RayID']);
        const dash = rayId.lastIndexOf('-');
        const lines = batches.get(rayId.slice(0, dash)) ?? [];
        lines.push({ index: Number(rayId.slice(dash + 1)), line: `${JSON.stringify(Object.fromEntries(COLUMNS.map((column) => [column, row[column]])))}\n` });
        batches.set(rayId.slice(0, dash), lines);
      }
      return [...batches.values()].map((lines) => lines.sort((a, b) => a.index - b.index).map((entry) => entry.line).join(''));
    },
    async close() {
      await proxy.close();
      await clickhouseQuery(url, `DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    },
  };
}, { requestShape: { headers: { 'x-sluice-token': SECRET }, query: { query: INSERT } } });
