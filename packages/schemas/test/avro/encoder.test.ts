import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAvscType } from '../../src/avro/exact-long.js';
import { knownSchemasFor } from '../../src/avro/known-schemas.js';
import { avroSchemaFor, createRecordDecoder, createRecordEncoder, SchemaError } from '../../src/index.js';
import type { DatasetRecord } from '../../src/index.js';
import { sampleAccessRequest, sampleHttpRequest } from '../fixtures/sample-records.js';

const encodeHttp = createRecordEncoder('http_requests');
const decodeHttp = createRecordDecoder('http_requests');

function decoded(bytes: Buffer): DatasetRecord {
  const result = decodeHttp(bytes);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.record;
}

function invalid(pattern: RegExp) {
  return (error: unknown) => error instanceof SchemaError && error.code === 'SCHEMAS_INVALID_RECORD' && pattern.test(error.message);
}

test('encoded records start with C3 01 and the writer schema fingerprint, little-endian', () => {
  const bytes = encodeHttp(sampleHttpRequest());
  assert.equal(bytes[0], 0xc3);
  assert.equal(bytes[1], 0x01);
  assert.equal(bytes.readBigUInt64LE(2), knownSchemasFor('http_requests')[0]?.fingerprint);
});

test('the body after the header is plain Avro binary that avsc decodes to the same values', () => {
  const record = sampleHttpRequest(7);
  const body = encodeHttp(record).subarray(10);
  const viaAvsc = createAvscType(avroSchemaFor('http_requests')).fromBuffer(body) as DatasetRecord;
  for (const [name, value] of Object.entries(record)) assert.deepEqual(viaAvsc[name], value, name);
  assert.equal(viaAvsc.Cookies, null);
});

test('null and undefined fields are written as absent', () => {
  const record = decoded(encodeHttp(sampleHttpRequest(0, { ClientIP: null, RayID: undefined })));
  assert.equal('ClientIP' in record, false);
  assert.equal('RayID' in record, false);
  assert.equal(record.ClientRequestHost, 'jira.widgetcorp.tech');
});

test('keys that are not dataset fields are ignored', () => {
  const record = decoded(encodeHttp(sampleHttpRequest(0, { NotAField: 'x' })));
  assert.equal('NotAField' in record, false);
});

test('a wrong-typed value throws SCHEMAS_INVALID_RECORD naming the field and value', () => {
  assert.throws(() => encodeHttp({ ClientASN: 'AS13335' }), invalid(/field ClientASN: "AS13335" is not a valid int/));
  assert.throws(() => encodeHttp({ RequestHeaders: { 'x-id': 7 } }), invalid(/field RequestHeaders \(at x-id\): 7/));
  assert.throws(() => encodeHttp({ EdgeStartTimestamp: '2024-01-01T00:00:00Z' }), invalid(/EdgeStartTimestamp/));
});

test('a number beyond 2^53 is refused rather than rounded', () => {
  assert.throws(() => encodeHttp({ EdgeStartTimestamp: 1_700_000_000_016_478_500 }), invalid(/EdgeStartTimestamp/));
});

test('scope ids must be 32 lowercase hex digits', () => {
  assert.throws(() => encodeHttp({ _zone_id: 'ABC' }), invalid(/_zone_id: "ABC" is not a 32-digit lowercase hex id/));
  assert.throws(() => encodeHttp({ _account_id: 42 }), invalid(/_account_id/));
  assert.doesNotThrow(() => encodeHttp({ _zone_id: null }));
});

test('a record larger than the scratch buffer encodes and decodes intact', () => {
  const big = 'x'.repeat(200_000);
  const record = decoded(encodeHttp(sampleHttpRequest(0, { RequestHeaders: { big } })));
  assert.deepEqual(record.RequestHeaders, { big });
  assert.equal(decoded(encodeHttp(sampleHttpRequest(1))).ClientIP, '198.51.100.1');
});

test('each call returns its own buffer, untouched by later calls', () => {
  const first = encodeHttp(sampleHttpRequest(1));
  const copy = Buffer.from(first);
  encodeHttp(sampleHttpRequest(2));
  assert.deepEqual(first, copy);
});

test('an access_requests record round-trips with its timestamp exact', () => {
  const encode = createRecordEncoder('access_requests');
  const result = createRecordDecoder('access_requests')(encode(sampleAccessRequest()));
  assert.ok(result.ok);
  assert.deepEqual(result.record, sampleAccessRequest());
  assert.equal(result.record.CreatedAt, 1_388_553_600_123_450_000n);
});
