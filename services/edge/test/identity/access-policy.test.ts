import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAccessPolicy } from '../../src/identity/access-policy.js';
import type { AccessPolicy } from '../../src/identity/access-policy.js';
import type { VerifiedIdentity } from '../../src/identity/verified-identity.js';

function user(email: string, groups: string[] = []): VerifiedIdentity {
  return { email, userId: 'u', tokenId: 't', groups, connection: 'okta', country: 'GB', expiresAtMs: 0 };
}

function policy(overrides: Partial<AccessPolicy>): AccessPolicy {
  return { emails: [], emailDomains: [], groups: [], ...overrides };
}

test('listed emails are allowed whatever their case', () => {
  const allows = compileAccessPolicy(policy({ emails: ['Alice@Example.com'] }));
  assert.equal(allows(user('alice@example.COM')), true);
  assert.equal(allows(user('bob@example.com')), false);
});

test('an email domain allows exactly that domain, not its subdomains nor look-alikes', () => {
  const allows = compileAccessPolicy(policy({ emailDomains: ['Example.com'] }));
  assert.equal(allows(user('carol@EXAMPLE.com')), true);
  assert.equal(allows(user('alice@sub.example.com')), false);
  assert.equal(allows(user('mallory@evilexample.com')), false);
  assert.equal(allows(user('mallory@example.com.evil.net')), false);
});

test('groups match exactly, case included', () => {
  const allows = compileAccessPolicy(policy({ groups: ['sre'] }));
  assert.equal(allows(user('dave@example.com', ['dev', 'sre'])), true);
  assert.equal(allows(user('dave@example.com', ['SRE'])), false);
  assert.equal(allows(user('dave@example.com')), false);
});

test('any one rule is enough', () => {
  const allows = compileAccessPolicy(policy({ emails: ['alice@example.com'], emailDomains: ['corp.example'], groups: ['sre'] }));
  assert.equal(allows(user('alice@example.com')), true);
  assert.equal(allows(user('erin@corp.example')), true);
  assert.equal(allows(user('frank@other.example', ['sre'])), true);
  assert.equal(allows(user('frank@other.example', ['dev'])), false);
});

test('an empty policy allows nobody; everyone allows any verified user', () => {
  assert.equal(compileAccessPolicy(policy({}))(user('alice@example.com', ['sre'])), false);
  assert.equal(compileAccessPolicy(policy({ everyone: true }))(user('anyone@anywhere.example')), true);
  assert.equal(compileAccessPolicy(policy({ everyone: false }))(user('anyone@anywhere.example')), false);
});
