import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOwnershipScope, ownershipScope } from '../../src/ownership/ownership-scope.js';

const ID = '0123456789abcdef0123456789abcdef';

test('a zone or account id becomes the API path form the token is bound to', () => {
  assert.deepEqual(ownershipScope('zone', ID), { ok: true, scope: `zones/${ID}` });
  assert.deepEqual(ownershipScope('account', ID), { ok: true, scope: `accounts/${ID}` });
  assert.deepEqual(ownershipScope('zone', ID.toUpperCase()), { ok: false, message: `zone id "${ID.toUpperCase()}" is not a 32-character lowercase hex id` });
});

test('only zones/<32hex> and accounts/<32hex> are scopes', () => {
  assert.ok(isOwnershipScope(`zones/${ID}`));
  assert.ok(isOwnershipScope(`accounts/${ID}`));
  for (const text of [`zone/${ID}`, `zones/${ID}/jobs`, `zones/${ID.slice(1)}`, 'zones/', '']) assert.ok(!isOwnershipScope(text), text);
});
