import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCustomFields } from '../../src/custom-fields/parse-custom-fields.js';

function issues(document: unknown): string[] {
  const result = parseCustomFields(document);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

test('request and transformed request headers both feed RequestHeaders; raw and transformed response headers feed ResponseHeaders', () => {
  const result = parseCustomFields({
    request_fields: [{ name: 'content-type' }, { name: 'x-forwarded-for' }],
    transformed_request_fields: [{ name: 'host' }],
    response_fields: [{ name: 'server' }, { name: 'content-type' }],
    raw_response_fields: [{ name: 'allow' }],
    cookie_fields: [{ name: '__ga' }, { name: 'accountNumber' }, { name: '__cfruid' }],
  });
  assert.deepEqual(result, {
    ok: true,
    fields: {
      requestHeaders: ['content-type', 'x-forwarded-for', 'host'],
      responseHeaders: ['server', 'content-type', 'allow'],
      cookies: ['__ga', 'accountNumber', '__cfruid'],
    },
  });
});

test('at least one list is required', () => {
  assert.deepEqual(issues({}), [': must have at least one of request_fields, transformed_request_fields, response_fields, raw_response_fields, cookie_fields']);
});

test('more than 100 names in one list is refused with the count', () => {
  const many = Array.from({ length: 101 }, (_, i) => ({ name: `x-h${i}` }));
  assert.deepEqual(issues({ request_fields: many }), ['/request_fields: holds 101 names; Logpush allows at most 100 per list']);
  assert.deepEqual(issues({ request_fields: many.slice(0, 100) }), []);
});

test('unknown lists and keys are refused with a suggestion', () => {
  assert.deepEqual(issues({ request_field: [{ name: 'a' }] }), ['/request_field: "request_field" is not allowed here (did you mean "request_fields"?)']);
  assert.deepEqual(issues({ request_fields: [{ nam: 'a' }] }), [
    '/request_fields/0/name: is required: the header or cookie name',
    '/request_fields/0/nam: "nam" is not allowed here (did you mean "name"?)',
  ]);
  assert.deepEqual(issues({ request_fields: [{ name: 7 }] }), ['/request_fields/0/name: 7 is not allowed; expected {"name": "<name>"} with a string name']);
});

test('header names must be lower-case tokens; cookie names keep their case', () => {
  assert.deepEqual(issues({ request_fields: [{ name: 'has space' }], cookie_fields: [{ name: 'Session-ID' }] }), [
    '/request_fields/0/name: "has space" is not a valid header name',
  ]);
});

test('a name listed twice in one list is refused', () => {
  assert.deepEqual(issues({ cookie_fields: [{ name: 'a' }, { name: 'a' }] }), ['/cookie_fields/1/name: "a" is listed twice in cookie_fields']);
});
