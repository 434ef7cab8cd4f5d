import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFromRecord } from '../../src/access-logs/access-log-event.js';
import { ACCOUNT_A, T0_NS } from './sample-events.js';

const record = {
  _account_id: ACCOUNT_A,
  Action: 'login',
  Allowed: false,
  AppDomain: 'wiki.example.com',
  AppUUID: 'app-1',
  Connection: 'saml',
  Country: 'NL',
  CreatedAt: T0_NS,
  Email: 'mallory@example.com',
  IPAddress: '198.51.100.4',
  RayID: '8c1d9e2f3a4b5c6d',
  UserUID: '',
  DenyReasonCode: 'IDENTITY_EXPIRED',
  DenyReason: 'token expired',
};

test('a denied record becomes an event with its reason, filed under its account', () => {
  assert.deepEqual(eventFromRecord(record), {
    accountId: ACCOUNT_A,
    createdAtNs: T0_NS,
    userEmail: 'mallory@example.com',
    ipAddress: '198.51.100.4',
    appUid: 'app-1',
    appDomain: 'wiki.example.com',
    appType: 'self_hosted',
    action: 'login',
    allowed: false,
    connection: 'saml',
    country: 'NL',
    rayId: '8c1d9e2f3a4b5c6d',
    userUid: '',
    denyReasonCode: 'IDENTITY_EXPIRED',
    denyReason: 'token expired',
  });
});

test('an allowed record never carries a deny reason, and missing strings are empty', () => {
  const event = eventFromRecord({ _account_id: ACCOUNT_A, CreatedAt: T0_NS, Allowed: true, DenyReason: 'stray' });
  assert.equal(event?.denyReason, '');
  assert.equal(event?.userEmail, '');
  assert.equal(event?.action, 'login');
});

test('a v1 denied record (written before deny reasons existed) is indexed without one', () => {
  const { DenyReason: _reason, DenyReasonCode: _code, ...v1 } = record;
  assert.equal(eventFromRecord(v1)?.denyReasonCode, '');
});

test('a record without an account or a time is not indexed', () => {
  assert.equal(eventFromRecord({ ...record, _account_id: undefined }), undefined);
  assert.equal(eventFromRecord({ ...record, CreatedAt: undefined }), undefined);
});
