import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAvscType } from '../../src/avro/exact-long.js';
import { knownSchemasFor } from '../../src/avro/known-schemas.js';
import { schemaVersionsFor } from '../../src/avro/schema.js';
import { avroSchemaFor, datasetNames, getDataset } from '../../src/index.js';

/** access_requests v2 (DenyReason, DenyReasonCode added), pinned as v1 is. */
const V2_FINGERPRINT = 0x3b8260756ee204b8n;

test('the schema is a sluice record named after the dataset and version', () => {
  const schema = avroSchemaFor('http_requests');
  assert.equal(schema.type, 'record');
  assert.equal(schema.namespace, 'sluice');
  assert.equal(schema.name, 'http_requests_v1');
  assert.equal(avroSchemaFor('access_requests').name, 'access_requests_v2');
});

test('access_requests v1 is frozen without the deny reason fields that v2 adds at their catalog place', () => {
  const [v1, v2] = schemaVersionsFor('access_requests');
  const names = (schema: typeof v1) => schema?.fields.map((field) => field.name) ?? [];
  assert.equal(v1?.name, 'access_requests_v1');
  assert.equal(names(v1).includes('DenyReason'), false);
  assert.equal(names(v1).includes('DenyReasonCode'), false);
  assert.deepEqual(names(v2).filter((name) => !names(v1).includes(name)), ['DenyReason', 'DenyReasonCode']);
  assert.equal(schemaVersionsFor('http_requests').length, 1);
});

test('the scope fields come first, then every catalog field once, each a nullable union defaulting to null', () => {
  for (const name of datasetNames) {
    const schema = avroSchemaFor(name);
    assert.deepEqual(
      schema.fields.map((field) => field.name),
      ['_zone_id', '_account_id', ...getDataset(name).fieldNames],
    );
    for (const field of schema.fields) {
      assert.equal(field.type[0], 'null', field.name);
      assert.equal(field.default, null, field.name);
    }
  }
});

test('each field kind has its Avro type: longs, nanosecond timestamps, doubles, maps and arrays', () => {
  const types = Object.fromEntries(avroSchemaFor('http_requests').fields.map((field) => [field.name, field.type[1]]));
  assert.equal(types._zone_id, 'string');
  assert.equal(types.ClientIP, 'string');
  assert.equal(types.EdgeResponseStatus, 'long');
  assert.equal(types.EdgeResponseCompressionRatio, 'double');
  assert.equal(types.CacheReserveUsed, 'boolean');
  assert.deepEqual(types.EdgeStartTimestamp, { type: 'long', logicalType: 'timestamp-nanos' });
  assert.deepEqual(types.RequestHeaders, { type: 'map', values: 'string' });
  assert.deepEqual(types.JA4Signals, { type: 'map', values: 'double' });
  assert.deepEqual(types.SecurityActions, { type: 'array', items: 'string' });
  assert.deepEqual(types.BotDetectionIDs, { type: 'array', items: 'long' });
});

test('avsc accepts every schema version of every dataset', () => {
  for (const name of datasetNames) {
    for (const schema of schemaVersionsFor(name)) {
      assert.equal(createAvscType(schema).typeName, 'record');
    }
  }
});

// Published writer schemas must never change: messages written with them stay in Kafka. If this
// fails after a catalog edit, keep v1 as it was (as a frozen JSON file) and add v2 instead.
test('the v1 fingerprints are pinned, so catalog edits cannot silently change a published schema', () => {
  assert.equal(knownSchemasFor('http_requests')[0]?.fingerprint, 0x0c38b0b5f9a393b3n);
  assert.equal(knownSchemasFor('access_requests')[0]?.fingerprint, 0x20e643b61e2ed1e1n);
  assert.equal(knownSchemasFor('access_requests')[1]?.fingerprint, V2_FINGERPRINT);
});

test('avroSchemaFor returns a fresh object each call, so callers may change it freely', () => {
  const first = avroSchemaFor('access_requests');
  (first.fields as unknown[]).length = 0;
  assert.equal(avroSchemaFor('access_requests').fields.length, 19);
});
