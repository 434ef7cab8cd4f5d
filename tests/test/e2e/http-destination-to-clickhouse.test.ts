// The generic HTTP destination against a real receiver: gzip NDJSON batches POSTed into ClickHouse's HTTP interface.
// No pusher here: the destination code (through the default registry) and the real server, nothing between.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDestinations } from '@sluice/destinations';
import type { DeliveryBatch, DeliveryResult, Destination } from '@sluice/destinations';
import { createGzipBatch, createNdjsonRenderer, PLAIN_FRAMING } from '@sluice/pipeline';
import { getDataset } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import { clickhouseQuery, clickhouseRows, clickhouseUrl, runTag } from '../../src/index.js';

const url = clickhouseUrl();
const table = `sluice_e2e_${runTag()}`;
// ClientRequestHost is not a column: input_format_skip_unknown_fields=1 lets ClickHouse drop it, as a SIEM table keeps a subset of fields.
const FIELDS = ['RayID', 'ClientIP', 'EdgeResponseStatus', 'EdgeStartTimestamp', 'ClientRequestURI', 'ClientRequestHost'];
const COLUMNS = 'RayID, ClientIP, EdgeResponseStatus, EdgeStartTimestamp, ClientRequestURI';
const render = createNdjsonRenderer(getDataset('http_requests'), { fieldNames: FIELDS, timestampFormat: 'unixnano' });
const insertPath = (into: string, extra = '&input_format_skip_unknown_fields=1'): string => `${url}/?query=${encodeURIComponent(`INSERT INTO ${into} FORMAT JSONEachRow`)}${extra}`;
const opened: Destination[] = [];

function destination(conf: string): Destination {
  const created = defaultDestinations.create(conf);
  opened.push(created);
  return created;
}

/** Nanosecond timestamps beyond 2^53, so a value rounded anywhere on the way would show. */
function records(prefix: string, count: number): DatasetRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    RayID: `${prefix}${String(i).padStart(5, '0')}`,
    ClientIP: i % 2 === 0 ? `198.51.100.${i % 250}` : `2001:db8::${i.toString(16)}`,
    EdgeResponseStatus: [200, 404, 503][i % 3],
    EdgeStartTimestamp: 1_700_000_000_016_478_500n + BigInt(i),
    ClientRequestURI: `/p/${i}?q="quoted"\\ ünïcode 🚀`,
    ClientRequestHost: 'www.example.com',
  }));
}

/** A batch exactly as the pusher builds one: rendered NDJSON lines in a gzip batch. */
async function gzipBatch(rows: DatasetRecord[], suffix: string): Promise<DeliveryBatch> {
  const batch = createGzipBatch(PLAIN_FRAMING, Date.now());
  rows.forEach((row, offset) => batch.add(render(row), offset, Date.now()));
  return { ...(await batch.seal()), suffix };
}

/** What ClickHouse should hold for each record: the table's columns only; UInt64 comes back as a quoted string, exact. */
function expectedRows(rows: DatasetRecord[]): Array<Record<string, unknown>> {
  return rows.map((row) => ({
    RayID: row['RayID'],
    ClientIP: row['ClientIP'],
    EdgeResponseStatus: row['EdgeResponseStatus'],
    EdgeStartTimestamp: String(row['EdgeStartTimestamp']),
    ClientRequestURI: row['ClientRequestURI'],
  }));
}

async function stored(): Promise<Array<Record<string, unknown>>> {
  return clickhouseRows(url, `SELECT ${COLUMNS} FROM ${table} ORDER BY RayID`);
}

function deliver(target: Destination, batch: DeliveryBatch): Promise<DeliveryResult> {
  return target.deliver(batch, AbortSignal.timeout(30_000));
}

before(async () => {
  await clickhouseQuery(
    url,
    `CREATE TABLE ${table} (RayID String, ClientIP String, EdgeResponseStatus UInt16, EdgeStartTimestamp UInt64, ClientRequestURI String) ENGINE = MergeTree ORDER BY RayID`,
  );
});

after(async () => {
  await Promise.all(opened.map((d) => d.close()));
  await clickhouseQuery(url, `DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
});

test('two gzip NDJSON batches POSTed by the HTTP destination land in ClickHouse as exactly the records sent', async () => {
  const first = records('a', 500);
  const second = records('b', 3);
  const target = destination(insertPath(table));
  assert.equal(target.kind, 'http');
  for (const [rows, suffix] of [[first, 'job1-p0-o0'], [second, 'job1-p0-o500']] as const) {
    const result = await deliver(target, await gzipBatch(rows, suffix));
    assert.deepEqual(result, { status: 'delivered', location: insertPath(table) });
  }
  assert.deepEqual(await stored(), expectedRows([...first, ...second]));
});

test('an unknown table comes back as rejected: ClickHouse answers 404 (Code 60) once it has read a valid gzip body', async () => {
  const result = await deliver(destination(insertPath(`${table}_missing`)), await gzipBatch(records('c', 2), 'job1-p0-o9'));
  assert.ok(result.status === 'rejected', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_404');
  assert.match(result.message, /^HTTP 404 Not Found: Code: 60, .*Table default\.sluice_e2e_\w+_missing doesn't exist/);
});

test('a field the table lacks, without skip_unknown_fields, is HTTP 500 (Code 117): retryable, as every 5xx, and nothing is stored', async () => {
  // ClickHouse means this 500 permanently, but a 500 cannot be told from a passing fault from outside; the
  // destination retries 5xx by contract, so the records stay in Kafka and the job's last error shows Code 117.
  const before = (await stored()).length;
  const result = await deliver(destination(insertPath(table, '')), await gzipBatch(records('d', 5), 'job1-p0-o20'));
  assert.ok(result.status === 'retryable', JSON.stringify(result));
  assert.equal(result.code, 'HTTP_500');
  assert.match(result.message, /Code: 117, .*Unknown field found while parsing JSONEachRow format: ClientRequestHost/);
  assert.equal((await stored()).length, before);
});

test('header_Authorization reaches ClickHouse: a wrong password is a rejected 401, the right one delivers, and the password is never shown', async () => {
  const password = 'Wr0ng-Pa55word-7c1a';
  const wrongAuth = encodeURIComponent(`Basic ${Buffer.from(`default:${password}`).toString('base64')}`);
  const rightAuth = encodeURIComponent(`Basic ${Buffer.from('default:').toString('base64')}`);
  const wrong = destination(`${insertPath(table)}&header_Authorization=${wrongAuth}`);
  const rows = records('e', 4);
  const refused = await deliver(wrong, await gzipBatch(rows, 'job1-p0-o30'));
  assert.ok(refused.status === 'rejected', JSON.stringify(refused));
  assert.equal(refused.code, 'HTTP_401');
  assert.match(refused.message, /Wrong password for user default/);
  const token = Buffer.from(`default:${password}`).toString('base64');
  for (const text of [wrong.description, refused.message]) assert.ok(!text.includes(password) && !text.includes(token), text);
  assert.match(wrong.description, /\(headers: Authorization\)$/);

  const accepted = await deliver(destination(`${insertPath(table)}&header_Authorization=${rightAuth}`), await gzipBatch(rows, 'job1-p0-o30'));
  assert.equal(accepted.status, 'delivered', JSON.stringify(accepted));
  const held = await clickhouseRows(url, `SELECT ${COLUMNS} FROM ${table} WHERE RayID LIKE 'e%' ORDER BY RayID`);
  assert.deepEqual(held, expectedRows(rows));
});
