import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID_HEADER, topicFor, ZONE_ID_HEADER } from '../src/index.js';

test('each dataset has its own sluice.-prefixed topic', () => {
  assert.equal(topicFor('http_requests'), 'sluice.http_requests');
  assert.equal(topicFor('access_requests'), 'sluice.access_requests');
});

test('scope headers use the sluice- prefix', () => {
  assert.equal(ZONE_ID_HEADER, 'sluice-zone-id');
  assert.equal(ACCOUNT_ID_HEADER, 'sluice-account-id');
});
