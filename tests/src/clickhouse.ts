// ClickHouse for cross-service tests: its address from CLICKHOUSE_URL (set by tests/bin/with-infra.mjs) and a plain query helper.

/** The ClickHouse HTTP interface; throws (failing the test) rather than skipping when it is not set. */
export function clickhouseUrl(): string {
  const url = process.env['CLICKHOUSE_URL'];
  if (!url) {
    throw new Error(
      'CLICKHOUSE_URL is not set: run cross-service tests through `npm run test:e2e` (tests/bin/with-infra.mjs starts ClickHouse), ' +
        'or start it yourself and export CLICKHOUSE_URL=http://127.0.0.1:18123',
    );
  }
  return url.replace(/\/+$/, '');
}

/** Runs one statement over the HTTP interface and returns the response text; a non-2xx answer throws with ClickHouse's message. */
export async function clickhouseQuery(url: string, sql: string): Promise<string> {
  const response = await fetch(`${url}/`, { method: 'POST', body: sql, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse answered ${response.status} to ${sql.slice(0, 80)}: ${text.trim()}`);
  return text;
}

/** The rows of a `SELECT … FORMAT JSONEachRow`, one object per line. */
export async function clickhouseRows(url: string, select: string): Promise<Array<Record<string, unknown>>> {
  const text = await clickhouseQuery(url, `${select} FORMAT JSONEachRow`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
