import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetNames, getDataset, isDatasetName, SchemaError } from '../../src/index.js';
import type { DatasetName } from '../../src/index.js';

test('both datasets are listed and recognised by name, and nothing else is', () => {
  assert.deepEqual([...datasetNames], ['http_requests', 'access_requests']);
  assert.equal(isDatasetName('http_requests'), true);
  assert.equal(isDatasetName('access_requests'), true);
  assert.equal(isDatasetName('dns_logs'), false);
  assert.equal(isDatasetName(42), false);
});

test('http_requests is zone-scoped and has all 108 published fields, each with its kind', () => {
  const dataset = getDataset('http_requests');
  assert.equal(dataset.scope, 'zone');
  assert.equal(dataset.fields.length, 108);
  const kinds = Object.fromEntries(dataset.fields.map((field) => [field.name, field.kind]));
  assert.equal(kinds.ClientIP, 'string');
  assert.equal(kinds.EdgeResponseStatus, 'int');
  assert.equal(kinds.EdgeResponseCompressionRatio, 'float');
  assert.equal(kinds.CacheReserveUsed, 'bool');
  assert.equal(kinds.EdgeStartTimestamp, 'timestamp');
  assert.equal(kinds.EdgeEndTimestamp, 'timestamp');
  assert.equal(kinds.BotDetectionIDs, 'int[]');
  assert.equal(kinds.SecurityActions, 'string[]');
});

test('RequestHeaders, ResponseHeaders and Cookies are string maps while JA4Signals maps to numbers', () => {
  const dataset = getDataset('http_requests');
  const objectFields = dataset.fields.filter((field) => field.type === 'object');
  assert.deepEqual(
    objectFields.map((field) => [field.name, field.kind]),
    [
      ['Cookies', 'map'],
      ['JA4Signals', 'float-map'],
      ['RequestHeaders', 'map'],
      ['ResponseHeaders', 'map'],
    ],
  );
});

test('a field keeps the catalog type text, description, deprecation flag and schema version', () => {
  const dataset = getDataset('http_requests');
  assert.deepEqual(dataset.field('EdgeStartTimestamp'), {
    name: 'EdgeStartTimestamp',
    kind: 'timestamp',
    type: 'int or string',
    description: 'Edge received the request',
    deprecated: false,
    schemaVersion: 1,
  });
  assert.equal(dataset.field('CacheResponseStatus')?.deprecated, true);
});

test('access_requests is account-scoped and its CreatedAt is a timestamp', () => {
  const dataset = getDataset('access_requests');
  assert.equal(dataset.scope, 'account');
  assert.equal(dataset.fields.length, 17);
  assert.equal(dataset.field('DenyReasonCode')?.schemaVersion, 2);
  assert.equal(dataset.field('Email')?.schemaVersion, 1);
  assert.equal(dataset.field('CreatedAt')?.kind, 'timestamp');
  assert.equal(dataset.field('TemporaryAccessApprovers')?.kind, 'string[]');
});

test('fieldNames follows catalog order and leaves out the scope fields', () => {
  const dataset = getDataset('access_requests');
  assert.deepEqual(dataset.fieldNames, dataset.fields.map((field) => field.name));
  assert.equal(dataset.fieldNames[0], 'Action');
  assert.equal(dataset.fieldNames.includes('_zone_id'), false);
  assert.equal(dataset.field('_account_id'), undefined);
  assert.equal(dataset.field('NoSuchField'), undefined);
});

test('getDataset returns the same frozen object each time', () => {
  const dataset = getDataset('http_requests');
  assert.equal(getDataset('http_requests'), dataset);
  assert.equal(Object.isFrozen(dataset), true);
  assert.equal(Object.isFrozen(dataset.fields), true);
});

test('getDataset refuses other names with SCHEMAS_UNKNOWN_DATASET', () => {
  assert.throws(
    () => getDataset('dns_logs' as DatasetName),
    (error: unknown) => error instanceof SchemaError && error.code === 'SCHEMAS_UNKNOWN_DATASET' && /dns_logs/.test(error.message),
  );
});
