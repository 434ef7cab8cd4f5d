// The ClickHouse table the HTTP pipeline inserts into: ClickHouse found or started like Kafka and S3, the table made and dropped per run.
import { clickhouseDown, clickhouseUp } from '@sluice/infra-local';

export interface BenchClickHouse {
  /** The job's destination_conf: the HTTP interface with `INSERT INTO <table> FORMAT JSONEachRow`. */
  readonly destinationConf: string;
  rows(): Promise<number>;
  /** Drops the table, and stops ClickHouse if this run started it. */
  close(): Promise<void>;
}

/**
 * Every bench field but RequestHeaders, an object: a SIEM table keeps the columns it queries, and
 * `input_format_skip_unknown_fields=1` lets ClickHouse drop the rest (ClickHouse 18 cannot read an
 * object into a String column).
 */
const COLUMNS = [
  'ClientIP String',
  'ClientRequestHost String',
  'ClientRequestMethod String',
  'ClientRequestURI String',
  'ClientRequestUserAgent String',
  'EdgeStartTimestamp UInt64',
  'EdgeEndTimestamp UInt64',
  'EdgeResponseStatus UInt16',
  'EdgeResponseBytes UInt64',
  'RayID String',
  'SecurityAction String',
];

async function query(url: string, sql: string): Promise<string> {
  const response = await fetch(`${url}/`, { method: 'POST', body: sql, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse answered ${response.status} to ${sql.slice(0, 80)}: ${text.trim()}`);
  return text;
}

/** `CLICKHOUSE_URL` when set, else the local clickhouse-server of @sluice/infra-local (started if needed). */
export async function openClickHouseTable(tag: string, log: (line: string) => void): Promise<BenchClickHouse> {
  const given = process.env['CLICKHOUSE_URL']?.replace(/\/+$/, '');
  const { url, started } = given ? { url: given, started: false } : await clickhouseUp({ log });
  const table = `sluice_bench_${tag}`;
  await query(url, `CREATE TABLE ${table} (${COLUMNS.join(', ')}) ENGINE = MergeTree ORDER BY RayID`);
  const insert = encodeURIComponent(`INSERT INTO ${table} FORMAT JSONEachRow`);
  return {
    destinationConf: `${url}/?query=${insert}&input_format_skip_unknown_fields=1`,
    rows: async () => Number((await query(url, `SELECT count() FROM ${table}`)).trim()),
    async close() {
      await query(url, `DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      if (started) await clickhouseDown({ log });
    },
  };
}
