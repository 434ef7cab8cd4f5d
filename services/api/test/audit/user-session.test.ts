import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOutputFormat } from '@sluice/pipeline';
import type { OutputOptionsDocument } from '@sluice/pipeline';
import type { AuditJob } from '../../src/audit/audit-job.js';
import { AuditError } from '../../src/audit/audit-error.js';
import { createUserSessionReader } from '../../src/audit/user-session.js';
import type { AuditLimits } from '../../src/audit/user-session.js';
import { fakeObjectStore } from '../support/fake-object-store.js';
import type { FakeObjectStore } from '../support/fake-object-store.js';

const FIELDS = ['EdgeStartTimestamp', 'RayID', 'ClientRequestMethod', 'ClientRequestHost', 'ClientRequestURI', 'EdgeResponseStatus', 'ClientIP', 'RequestHeaders'];
const NS = 1_000_000n;
const ms = (iso: string): number => Date.parse(iso);
const ns = (iso: string): bigint => BigInt(ms(iso)) * NS;
const NO_SLACK = { recordSlackMs: 0, maxBatchSpanMs: 0 };

function job(options: OutputOptionsDocument = {}, id = 7): AuditJob {
  return { id, name: 'audit', destinationConf: 's3://audit-bucket/http/{DATE}?region=us-east-1', fieldNames: FIELDS, format: resolveOutputFormat({ field_names: FIELDS, ...options }), headerLines: 0 };
}

interface Req {
  iso: string;
  ray: string;
  user: string;
  path?: string;
  extraNanos?: bigint;
}

function ndjson(requests: readonly Req[]): string {
  return requests
    .map((r) => `{"EdgeStartTimestamp":${(ns(r.iso) + (r.extraNanos ?? 0n)).toString()},"RayID":"${r.ray}","ClientRequestMethod":"GET","ClientRequestHost":"wiki.example.com","ClientRequestURI":"${r.path ?? '/'}","EdgeResponseStatus":200,"ClientIP":"192.0.2.1","RequestHeaders":{"cf-access-user":${JSON.stringify(r.user)}}}\n`)
    .join('');
}

function key(dayPath: string, start: string, end: string, jobId = 7, offset = 0): string {
  const compact = (iso: string): string => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${dayPath}/${compact(start)}_${compact(end)}_job${jobId}-p0-o${offset}.log.gz`;
}

async function session(store: FakeObjectStore, auditJob: AuditJob, since: string, until: string, limit = 100, limits: Partial<AuditLimits> = {}) {
  return createUserSessionReader({ reader: store, job: auditJob, slack: NO_SLACK, limits }).read({ email: 'alice@example.com', sinceNs: ns(since), untilNs: ns(until), limit }, new AbortController().signal);
}

describe('createUserSessionReader', () => {
  test('reads only the batches whose key times reach the range: out-of-range, other jobs and other days are never fetched', async () => {
    const store = fakeObjectStore({ path: 'http/{DATE}' });
    const before = key('http/20260131', '2026-01-31T10:00:00Z', '2026-01-31T10:00:30Z');
    const inside = key('http/20260131', '2026-01-31T12:00:00Z', '2026-01-31T12:00:30Z');
    const otherJob = key('http/20260131', '2026-01-31T12:00:00Z', '2026-01-31T12:00:30Z', 8);
    const after = key('http/20260131', '2026-01-31T14:00:00Z', '2026-01-31T14:00:30Z');
    const nextDay = key('http/20260201', '2026-02-01T12:00:00Z', '2026-02-01T12:00:30Z');
    for (const k of [before, inside, otherJob, after, nextDay]) store.put(k, ndjson([{ iso: '2026-01-31T12:00:10Z', ray: k.slice(-20, -7), user: 'alice@example.com' }]));
    store.put('http/20260131/test.txt.gz', '{"content":"tests"}');

    const result = await session(store, job(), '2026-01-31T11:00:00Z', '2026-01-31T13:00:00Z');
    assert.deepEqual(store.gets, [inside]);
    assert.deepEqual(store.lists.map((l) => l.prefix), ['http/20260131/'], 'only the range\'s day is listed');
    assert.equal(result.objectsScanned, 1);
    assert.equal(store.lists[0]?.startAfter, 'http/20260131/20260131T110000Z', 'the earlier batch is not even listed');
    assert.equal(result.objectsSkipped, 1, 'the job\'s batch after the range, listed and not read');
    assert.equal(result.rows.length, 1);
  });

  test('StartAfter keeps the listing from even returning batches that start too early', async () => {
    const store = fakeObjectStore({ path: 'logs' });
    store.put(key('logs', '2026-01-31T08:00:00Z', '2026-01-31T08:00:30Z'), ndjson([]));
    store.put(key('logs', '2026-01-31T12:00:00Z', '2026-01-31T12:00:30Z'), ndjson([{ iso: '2026-01-31T12:00:01Z', ray: 'r1', user: 'alice@example.com' }]));
    const result = await session(store, job(), '2026-01-31T11:00:00Z', '2026-01-31T13:00:00Z');
    assert.equal(store.lists[0]?.startAfter, 'logs/20260131T110000Z');
    assert.equal(result.objectsSkipped, 0, 'the early batch was not even listed');
    assert.deepEqual(result.rows.map((r) => r.ray_id), ['r1']);
  });

  test('keeps only the exact user, orders requests across objects by EdgeStartTimestamp to the nanosecond, and drops those outside [since, until)', async () => {
    const store = fakeObjectStore({ path: 'http/{DATE}' });
    // Two partitions' batches overlap in time; within each, records are not in time order.
    store.put(
      key('http/20260131', '2026-01-31T12:00:00Z', '2026-01-31T12:00:40Z', 7, 0),
      ndjson([
        { iso: '2026-01-31T12:00:30Z', ray: 'a3', user: 'alice@example.com', path: '/third' },
        { iso: '2026-01-31T12:00:05Z', ray: 'a1', user: 'alice@example.com', path: '/first', extraNanos: 1n },
        { iso: '2026-01-31T12:00:06Z', ray: 'b1', user: 'bob@example.com' },
        { iso: '2026-01-31T12:00:07Z', ray: 'x1', user: 'ALICE@example.com' },
        { iso: '2026-01-31T12:00:08Z', ray: 'x2', user: 'alice@example.com.evil' },
        { iso: '2026-01-31T12:00:40Z', ray: 'late', user: 'alice@example.com' },
      ]),
    );
    store.put(key('http/20260131', '2026-01-31T12:00:05Z', '2026-01-31T12:00:20Z', 7, 100), ndjson([{ iso: '2026-01-31T12:00:05Z', ray: 'a0', user: 'alice@example.com', path: '/zeroth' }, { iso: '2026-01-31T12:00:20Z', ray: 'a2', user: 'alice@example.com', path: '/second' }]));
    const result = await session(store, job(), '2026-01-31T12:00:00Z', '2026-01-31T12:00:40Z');
    assert.deepEqual(result.rows.map((r) => r.ray_id), ['a0', 'a1', 'a2', 'a3']);
    assert.deepEqual(result.rows.map((r) => r.path), ['/zeroth', '/first', '/second', '/third']);
    assert.equal(result.rows[1]?.time, '2026-01-31T12:00:05.000000001Z');
    assert.deepEqual({ ...result.rows[0], object_key: '' }, { time: '2026-01-31T12:00:05.000000000Z', ray_id: 'a0', method: 'GET', host: 'wiki.example.com', path: '/zeroth', status: 200, client_ip: '192.0.2.1', user_agent: null, security_action: null, object_key: '' });
    assert.equal(result.truncated, false);
  });

  test('reads CSV objects, with quoted maps, a header line and RFC 3339 times, matching the user exactly', async () => {
    const store = fakeObjectStore({ path: 'csv' });
    const row = (time: string, ray: string, user: string, uri: string): string => `"${time}","${ray}","POST","wiki.example.com","${uri}",403,"192.0.2.9","{""cf-access-user"":""${user}""}"\n`;
    store.put(
      key('csv', '2026-01-31T12:00:00Z', '2026-01-31T12:00:50Z'),
      'EdgeStartTimestamp,RayID,ClientRequestMethod,ClientRequestHost,ClientRequestURI,EdgeResponseStatus,ClientIP,RequestHeaders\n' +
        row('2026-01-31T12:00:50Z', 'c2', 'alice@example.com', '/b, with ""quotes""\nand a line break') +
        row('2026-01-31T12:00:10Z', 'c1', 'alice@example.com', '/a') +
        row('2026-01-31T12:00:20Z', 'c9', 'alice@example.co', '/not-her'),
    );
    const csvJob = { ...job({ output_type: 'csv', timestamp_format: 'rfc3339', batch_prefix: 'EdgeStartTimestamp,…\n' }), headerLines: 1 };
    const result = await session(store, csvJob, '2026-01-31T12:00:00Z', '2026-01-31T12:01:00Z');
    assert.deepEqual(result.rows.map((r) => [r.time, r.ray_id, r.method, r.status, r.path]), [
      ['2026-01-31T12:00:10Z', 'c1', 'POST', 403, '/a'],
      ['2026-01-31T12:00:50Z', 'c2', 'POST', 403, '/b, with "quotes"\nand a line break'],
    ]);
    assert.equal(result.recordsUnreadable, 0, 'the header line was skipped, not counted unreadable');
  });

  test('unix timestamps are seconds, and a JNDI-escaped identity is matched as the job wrote it', async () => {
    const store = fakeObjectStore({ path: 'u' });
    store.put(key('u', '2026-01-31T12:00:00Z', '2026-01-31T12:00:10Z'), `{"EdgeStartTimestamp":${ms('2026-01-31T12:00:03Z') / 1000},"RayID":"u1","RequestHeaders":{"cf-access-user":"x{jndi}@example.com"}}\n`);
    const unixJob = { ...job({ timestamp_format: 'unix', 'CVE-2021-44228': true }), fieldNames: ['EdgeStartTimestamp', 'RayID', 'RequestHeaders'] };
    const result = await createUserSessionReader({ reader: store, job: unixJob, slack: NO_SLACK }).read({ email: '${jndi}@example.com', sinceNs: ns('2026-01-31T12:00:00Z'), untilNs: ns('2026-01-31T12:01:00Z'), limit: 10 }, new AbortController().signal);
    assert.deepEqual(result.rows.map((r) => [r.time, r.ray_id, r.method]), [['2026-01-31T12:00:03Z', 'u1', null]]);
  });

  test('past the limit it keeps the earliest requests and says it truncated by records', async () => {
    const store = fakeObjectStore({ path: 'p' });
    const requests = Array.from({ length: 25 }, (_, i) => ({ iso: new Date(ms('2026-01-31T12:00:00Z') + (24 - i) * 1000).toISOString(), ray: `r${String(24 - i).padStart(2, '0')}`, user: 'alice@example.com' }));
    store.put(key('p', '2026-01-31T12:00:00Z', '2026-01-31T12:00:24Z'), ndjson(requests));
    const result = await session(store, job(), '2026-01-31T12:00:00Z', '2026-01-31T12:01:00Z', 4);
    assert.deepEqual(result.rows.map((r) => r.ray_id), ['r00', 'r01', 'r02', 'r03']);
    assert.equal(result.truncated, true);
    assert.equal(result.truncatedBy, 'records');
  });

  test('stops at maxObjects, counting the rest as skipped, and says it truncated by objects', async () => {
    const store = fakeObjectStore({ path: 'p', pageSize: 2 });
    for (let i = 0; i < 5; i++) {
      const start = new Date(ms('2026-01-31T12:00:00Z') + i * 60_000).toISOString();
      store.put(key('p', start, start, 7, i), ndjson([{ iso: start, ray: `o${i}`, user: 'alice@example.com' }]));
    }
    const result = await session(store, job(), '2026-01-31T12:00:00Z', '2026-01-31T13:00:00Z', 100, { maxObjects: 2 });
    assert.deepEqual(result.rows.map((r) => r.ray_id), ['o0', 'o1']);
    assert.equal(store.gets.length, 2);
    assert.equal(store.lists.length, 3, 'five keys in pages of two');
    assert.deepEqual([result.truncated, result.truncatedBy, result.objectsScanned, result.objectsSkipped], [true, 'objects', 2, 3]);
  });

  test('once the limit is full, batches starting after the last kept request are not read', async () => {
    const store = fakeObjectStore({ path: 'p' });
    store.put(key('p', '2026-01-31T12:00:00Z', '2026-01-31T12:00:01Z', 7, 0), ndjson([{ iso: '2026-01-31T12:00:00Z', ray: 'e1', user: 'alice@example.com' }, { iso: '2026-01-31T12:00:01Z', ray: 'e2', user: 'alice@example.com' }]));
    store.put(key('p', '2026-01-31T12:30:00Z', '2026-01-31T12:30:01Z', 7, 2), ndjson([{ iso: '2026-01-31T12:30:00Z', ray: 'e3', user: 'alice@example.com' }]));
    const result = await session(store, job(), '2026-01-31T12:00:00Z', '2026-01-31T13:00:00Z', 2);
    assert.deepEqual(result.rows.map((r) => r.ray_id), ['e1', 'e2']);
    assert.equal(store.gets.length, 1);
    assert.equal(result.truncated, true);
  });

  test('an object that is not gzip fails with AUDIT_OBJECT_UNREADABLE naming its key; a store failure with AUDIT_STORE_FAILED and its cause', async () => {
    const store = fakeObjectStore({ path: 'p' });
    const bad = key('p', '2026-01-31T12:00:00Z', '2026-01-31T12:00:01Z');
    store.putRaw(bad, Buffer.from('plain text'));
    await assert.rejects(session(store, job(), '2026-01-31T12:00:00Z', '2026-01-31T13:00:00Z'), (error: unknown) => error instanceof AuditError && error.code === 'AUDIT_OBJECT_UNREADABLE' && error.message.includes(bad));
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    store.failWith = denied;
    await assert.rejects(session(store, job(), '2026-01-31T12:00:00Z', '2026-01-31T13:00:00Z'), (error: unknown) => error instanceof AuditError && error.code === 'AUDIT_STORE_FAILED' && error.cause === denied);
  });
});
