import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DENIAL_CODES, denyReasonFor } from '../../src/identity/deny-reasons.js';

test('the reasons users are told about read as the issue words them', () => {
  assert.equal(denyReasonFor('IDENTITY_EXPIRED'), 'token expired');
  assert.equal(denyReasonFor('IDENTITY_USER_NOT_ALLOWED'), "user not in the app's allow list");
  assert.match(denyReasonFor('IDENTITY_WRONG_AUDIENCE'), /^wrong audience/);
});

test('every refusal code has a sentence of its own, none of them empty', () => {
  const sentences = DENIAL_CODES.map(denyReasonFor);
  assert.equal(DENIAL_CODES.length, 12);
  assert.ok(sentences.every((sentence) => sentence.length > 0 && sentence !== 'access denied'));
  assert.equal(new Set(sentences).size, sentences.length);
});

test('an unknown code, or a prototype name, gets the generic sentence', () => {
  assert.equal(denyReasonFor('EDGE_SOMETHING_NEW'), 'access denied');
  assert.equal(denyReasonFor('toString'), 'access denied');
  assert.equal(denyReasonFor('__proto__'), 'access denied');
});
