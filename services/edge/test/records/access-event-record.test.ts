import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecordDecoder, createRecordEncoder } from '@sluice/schemas';
import { accessEventRecord } from '../../src/records/access-event-record.js';
import type { AccessEvent } from '../../src/records/access-event-record.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const base: AccessEvent = {
  allowed: false,
  createdAtNs: 1_700_000_000_123_456_789n,
  rayId: '8c1d9e2f3a4b5c6d',
  ip: '192.0.2.7',
  appDomain: 'wiki.example.com',
  appUuid: 'a6b9a2d4-2c4e-4e0e-9d5b-7f2f0a1b2c3d',
  email: 'mallory@example.com',
  userUid: '',
  connection: 'okta',
  country: 'NL',
};

test('a denied event carries its code and the sentence for it', () => {
  const record = accessEventRecord({ ...base, denyCode: 'IDENTITY_EXPIRED' }, ACCOUNT);
  assert.equal(record['Allowed'], false);
  assert.equal(record['DenyReasonCode'], 'IDENTITY_EXPIRED');
  assert.equal(record['DenyReason'], 'token expired');
});

test('an allowed event has no deny reason, even if a code was passed by mistake', () => {
  const record = accessEventRecord({ ...base, allowed: true, denyCode: 'IDENTITY_EXPIRED' }, ACCOUNT);
  assert.equal('DenyReasonCode' in record, false);
  assert.equal('DenyReason' in record, false);
});

test('the deny reason survives the Avro encoding the edge publishes with (schema v2)', () => {
  const bytes = createRecordEncoder('access_requests')(accessEventRecord({ ...base, denyCode: 'IDENTITY_USER_NOT_ALLOWED' }, ACCOUNT));
  const decoded = createRecordDecoder('access_requests')(bytes);
  assert.ok(decoded.ok);
  assert.equal(decoded.record['DenyReasonCode'], 'IDENTITY_USER_NOT_ALLOWED');
  assert.equal(decoded.record['DenyReason'], "user not in the app's allow list");
  assert.equal(decoded.record['CreatedAt'], base.createdAtNs);
});
