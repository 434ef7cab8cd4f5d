import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRecordDecoder, createRecordEncoder, SchemaError } from '../src/index.js';
import type { DecodeErrorCode, DecodeResult } from '../src/index.js';
import { sampleAccessRequest, sampleHttpRequest, toJsonText } from './fixtures/sample-records.js';

const encode = createRecordEncoder('http_requests');
const decode = createRecordDecoder('http_requests');
const FIVE = ['ClientIP', 'ClientRequestHost', 'EdgeStartTimestamp', 'EdgeResponseStatus', 'RayID'];

function failure(result: DecodeResult, code: DecodeErrorCode): string {
  assert.ok(!result.ok, 'expected a failure');
  assert.equal(result.code, code);
  return result.message;
}

test('Avro and JSON messages of the same record decode to identical records', () => {
  const record = sampleHttpRequest(3);
  const fromAvro = decode(encode(record));
  const fromJson = decode(Buffer.from(toJsonText(record)));
  assert.ok(fromAvro.ok && fromJson.ok);
  assert.deepStrictEqual(fromAvro.record, record);
  assert.deepStrictEqual(fromJson.record, record);
});

test('a projected decode returns only the chosen fields plus the scope fields, in either format', () => {
  const projected = createRecordDecoder('http_requests', { fields: FIVE });
  const record = sampleHttpRequest(4);
  const expected = Object.fromEntries(['_zone_id', '_account_id', ...FIVE].map((name) => [name, record[name]]));
  for (const bytes of [encode(record), Buffer.from(toJsonText(record))]) {
    const result = projected(bytes);
    assert.ok(result.ok);
    assert.deepStrictEqual(result.record, expected);
  }
});

test('JSON may follow whitespace or a UTF-8 byte order mark', () => {
  for (const prefix of ['  \n\t', '\ufeff', '\ufeff\r\n']) {
    const result = decode(Buffer.from(`${prefix}{"RayID":"abc"}`));
    assert.ok(result.ok);
    assert.deepStrictEqual(result.record, { RayID: 'abc' });
  }
});

test('messages in no known format are DECODE_NOT_A_RECORD saying what they look like', () => {
  assert.match(failure(decode(Buffer.alloc(0)), 'DECODE_NOT_A_RECORD'), /empty message/);
  assert.match(failure(decode(Buffer.from('  \n')), 'DECODE_NOT_A_RECORD'), /only whitespace/);
  assert.match(failure(decode(Buffer.from('[{"RayID":"a"}]')), 'DECODE_NOT_A_RECORD'), /JSON value that is not an object/);
  assert.match(failure(decode(Buffer.from('hello')), 'DECODE_NOT_A_RECORD'), /starts with 0x68 0x65 0x6c 0x6c/);
  assert.match(failure(decode(Buffer.from([0xc3, 0x02, 0, 0])), 'DECODE_NOT_A_RECORD'), /0xc3 0x02/);
});

test('an unknown fingerprint is DECODE_UNKNOWN_SCHEMA naming it and the known ones', () => {
  const bytes = Buffer.from(encode(sampleHttpRequest()));
  bytes.writeBigUInt64LE(0x3f2a000000000001n, 2);
  const message = failure(decode(bytes), 'DECODE_UNKNOWN_SCHEMA');
  assert.match(message, /unknown schema fingerprint 0100000000002a3f for dataset http_requests/);
  assert.match(message, /known http_requests fingerprints: b393a3f9b5b0380c/);
});

test('an access_requests message on the http_requests topic is recognised as such', () => {
  const bytes = createRecordEncoder('access_requests')(sampleAccessRequest());
  assert.match(failure(decode(bytes), 'DECODE_UNKNOWN_SCHEMA'), /sluice\.access_requests_v2: was the message published to the wrong topic/);
});

test('a single-object header cut short is DECODE_BAD_AVRO', () => {
  assert.match(failure(decode(Buffer.from([0xc3, 0x01, 0xb3, 0x93])), 'DECODE_BAD_AVRO'), /truncated single-object header \(4 bytes\)/);
});

test('a malformed Avro body is DECODE_BAD_AVRO naming the schema and field', () => {
  const bytes = encode(sampleHttpRequest());
  assert.match(failure(decode(bytes.subarray(0, 40)), 'DECODE_BAD_AVRO'), /invalid Avro body for sluice\.http_requests_v1: .* in field \w+/);
});

test('asking for a field the dataset lacks fails when the decoder is created', () => {
  assert.throws(
    () => createRecordDecoder('http_requests', { fields: ['RayID', 'Nope'] }),
    (error: unknown) => error instanceof SchemaError && error.code === 'SCHEMAS_UNKNOWN_FIELD' && /Nope/.test(error.message),
  );
});

test('the decoder never throws, whatever the bytes', () => {
  const header = encode(sampleHttpRequest()).subarray(0, 10);
  const projected = createRecordDecoder('http_requests', { fields: FIVE });
  const messages = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.concat([header, bytes])),
    fc.string({ maxLength: 80 }).map((text) => Buffer.from(`{${text}`)),
  );
  fc.assert(
    fc.property(messages, (bytes) => {
      for (const result of [decode(bytes), projected(bytes)]) {
        if (!result.ok) assert.ok(result.message.length > 0);
      }
    }),
    { numRuns: 1000 },
  );
});
