import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_ERRORS, ApiError } from '../src/index.js';
import { displayPath, fieldError, invalidFields } from '../src/api-errors.js';

test('every code is ≥ 1000 but Cloudflare\'s throttling code 971, and every status a 4xx or 5xx; only identifier errors share a code', () => {
  const codes = new Map<number, string[]>();
  for (const [name, { code, status }] of Object.entries(API_ERRORS)) {
    assert.ok(code >= 1000 || (name === 'RATE_LIMITED' && code === 971 && status === 429), name);
    assert.ok(status >= 400 && status < 600, name);
    codes.set(code, [...(codes.get(code) ?? []), name]);
  }
  const shared = [...codes.values()].filter((names) => names.length > 1);
  assert.deepEqual(shared, [['NO_ROUTE', 'INVALID_IDENTIFIER']]);
  assert.equal(API_ERRORS.NO_ROUTE.code, 7003);
});

test('JSON pointers read as field paths', () => {
  assert.equal(displayPath(''), 'body');
  assert.equal(displayPath('/output_options/field_names/2'), 'output_options.field_names[2]');
  assert.equal(displayPath('/rules/0/action_parameters/request_fields/10/name'), 'rules[0].action_parameters.request_fields[10].name');
  assert.equal(displayPath('/a~1b/c~0d'), 'a/b.c~d');
  assert.equal(displayPath('/CVE-2021-44228'), 'CVE-2021-44228');
});

test('a field error names the field first and points at it', () => {
  assert.deepEqual(fieldError('INVALID_FIELD', '/max_upload_bytes', '3 is not allowed'), { code: 1001, message: 'max_upload_bytes: 3 is not allowed', source: { pointer: '/max_upload_bytes' } });
  const error = invalidFields([{ path: '/a', message: 'x' }, { path: '/b', message: 'y' }]);
  assert.equal(error.status, 400);
  assert.equal(error.items.length, 2);
  assert.equal(error.message, 'a: x; b: y');
});

test('an ApiError from a message has one item with its code', () => {
  const error = new ApiError('FORBIDDEN', 'no', { 'x-test': '1' });
  assert.deepEqual(error.items, [{ code: 10000, message: 'no' }]);
  assert.equal(error.status, 403);
  assert.deepEqual(error.headers, { 'x-test': '1' });
});
