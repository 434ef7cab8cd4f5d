// Tests for keeping configured header values out of every message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerSecrets, scrubSecrets } from '../../src/http/http-secrets.js';

test('a header value and the token after its scheme word are both secrets; Content-Type and tiny values are not', () => {
  const secrets = headerSecrets([
    ['Authorization', 'Basic dXNlcjpwYXNz'],
    ['X-Api-Key', 'k3y-value'],
    ['Content-Type', 'application/json'],
    ['X-Flag', '1'],
  ]);
  assert.deepEqual(secrets, ['Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz', 'k3y-value']);
});

test('echoed secrets are replaced wherever they appear', () => {
  const secrets = headerSecrets([['Authorization', 'Bearer abc.def.ghi'], ['X-Api-Key', 'k3y-value']]);
  const text = scrubSecrets('bad token abc.def.ghi for key k3y-value (Bearer abc.def.ghi)', secrets);
  assert.equal(text, 'bad token REDACTED for key REDACTED (REDACTED)');
});

test('a text cut off in the middle of a secret loses the part that was left', () => {
  const secrets = headerSecrets([['X-Api-Key', 'k3y-value-long']]);
  assert.equal(scrubSecrets('echo: k3y-val', secrets), 'echo: REDACTED');
  // Fewer than four characters of it say nothing about the secret and stay.
  assert.equal(scrubSecrets('echo: k3y', secrets), 'echo: k3y');
});

test('URL credentials and Authorization-style values are redacted even when not configured here', () => {
  assert.equal(scrubSecrets('see https://h/x?token=abc and Authorization: Basic zzz', []), 'see https://h/x?token=REDACTED and Authorization: REDACTED');
});
