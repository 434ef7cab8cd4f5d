import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { allowed } from '../../src/body/allowed.js';
import { showValue } from '@sluice/pipeline';
import { checkBody, validated } from '../../src/body/check-body.js';
import { ApiError } from '../../src/api-errors.js';

const Schema = Type.Object(
  {
    name: allowed(Type.String({ maxLength: 3 }), 'up to 3 characters'),
    options: Type.Optional(Type.Union([Type.Object({ rate: allowed(Type.Number({ maximum: 1 }), 'a number up to 1') }, { additionalProperties: false }), Type.Null()])),
  },
  { additionalProperties: false },
);

test('each field is named once, with what is allowed there', () => {
  assert.deepEqual(
    checkBody(Schema, { name: 'toolong', colour: 1 }).sort((a, b) => a.path.localeCompare(b.path)),
    [
      { path: '/colour', message: '"colour" is not allowed here' },
      { path: '/name', message: '"toolong" is not allowed; expected up to 3 characters' },
    ],
  );
  assert.deepEqual(checkBody(Schema, {}), [{ path: '/name', message: 'is required: up to 3 characters' }]);
});

test('a misspelt key gets a suggestion', () => {
  assert.match(checkBody(Schema, { nmae: 'a', name: 'b' })[0]?.message ?? '', /did you mean "name"\?/);
});

test('inside a nullable object the inner field is reported, not the union', () => {
  assert.deepEqual(checkBody(Schema, { name: 'a', options: { rate: 2 } }), [{ path: '/options/rate', message: '2 is not allowed; expected a number up to 1' }]);
});

test('anything but an object is reported against the body', () => {
  for (const body of [undefined, null, [], 'x', 1]) assert.equal(checkBody(Schema, body)[0]?.path, '', showValue(body));
});

test('validated returns the typed body or throws INVALID_FIELD', () => {
  assert.equal(validated(Schema, { name: 'ok' }).name, 'ok');
  assert.throws(() => validated(Schema, { name: 5 }), (error: unknown) => error instanceof ApiError && error.code === 1001 && error.items[0]?.source?.pointer === '/name');
});
