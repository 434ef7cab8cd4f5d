import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { FilterSchema } from '../../src/filter/filter-schema.js';

test("the schema describes the documentation's filters", () => {
  const docs = [
    { where: { and: [{ key: 'ClientRequestPath', operator: 'contains', value: '/static' }, { key: 'ClientRequestHost', operator: 'eq', value: 'example.com' }] } },
    { where: { key: 'EdgeResponseStatus', operator: 'in', value: [200, 201] } },
    { where: { or: [{ and: [{ key: 'BotScore', operator: 'lt', value: '30' }] }] } },
  ];
  for (const filter of docs) assert.equal(Value.Check(FilterSchema, filter), true, JSON.stringify(filter));
});

test('the schema refuses mixed nodes, empty lists, unknown operators and extra keys', () => {
  const refused = [
    { where: { and: [{ key: 'BotScore', operator: 'lt', value: 1 }], key: 'BotScore' } },
    { where: { or: [] } },
    { where: { key: 'BotScore', operator: 'lessThan', value: 1 } },
    { where: { key: 'BotScore', operator: 'lt' } },
    { where: { key: 'BotScore', operator: 'lt', value: 1 }, limit: 1 },
    {},
  ];
  for (const filter of refused) assert.equal(Value.Check(FilterSchema, filter), false, JSON.stringify(filter));
});
