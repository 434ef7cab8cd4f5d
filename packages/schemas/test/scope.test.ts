import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID_FIELD, deriveHexId, isHexId, SCOPE_FIELDS, ZONE_ID_FIELD } from '../src/index.js';

test('the scope fields are _zone_id and _account_id, zone first', () => {
  assert.equal(ZONE_ID_FIELD, '_zone_id');
  assert.equal(ACCOUNT_ID_FIELD, '_account_id');
  assert.deepEqual([...SCOPE_FIELDS], ['_zone_id', '_account_id']);
});

test('isHexId accepts exactly 32 lowercase hex digits', () => {
  assert.equal(isHexId('023e105f4ecef8ad9ca31a8372d0c353'), true);
  assert.equal(isHexId('023E105F4ECEF8AD9CA31A8372D0C353'), false);
  assert.equal(isHexId('023e105f4ecef8ad9ca31a8372d0c35'), false);
  assert.equal(isHexId('023e105f4ecef8ad9ca31a8372d0c3530'), false);
  assert.equal(isHexId('023e105f4ecef8ad9ca31a8372d0c35g'), false);
  assert.equal(isHexId(null), false);
});

test('deriveHexId gives the same valid id for the same name and different ids for different names', () => {
  const id = deriveHexId('zone:example.com');
  assert.equal(id, '2ebc3b25e5b82662f032d2d540301afa'); // first half of its SHA-256
  assert.equal(isHexId(id), true);
  assert.equal(deriveHexId('zone:example.com'), id);
  assert.notEqual(deriveHexId('zone:example.org'), id);
});
