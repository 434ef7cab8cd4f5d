import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog, parseCatalog } from '../../src/datasets/catalog-loader.js';
import { SchemaError } from '../../src/index.js';

const field = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ name, type, description: 'd', ...extra });

function rejects(raw: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseCatalog('test.json', raw),
    (error: unknown) => error instanceof SchemaError && error.code === 'SCHEMAS_BAD_CATALOG' && pattern.test(error.message),
  );
}

test('a well-formed catalog parses into fields with kinds, defaulting deprecated to false', () => {
  const catalog = parseCatalog('test.json', {
    dataset: 'demo',
    scope: 'zone',
    fields: [field('A', 'int'), field('B', 'object', { deprecated: true }), field('C', 'string', { schema_version: 2 })],
  });
  assert.deepEqual(catalog.fields, [
    { name: 'A', kind: 'int', type: 'int', description: 'd', deprecated: false, schemaVersion: 1 },
    { name: 'B', kind: 'map', type: 'object', description: 'd', deprecated: true, schemaVersion: 1 },
    { name: 'C', kind: 'string', type: 'string', description: 'd', deprecated: false, schemaVersion: 2 },
  ]);
});

test('a schema_version that is not a whole number from 1 is refused, naming the field and the value', () => {
  rejects({ dataset: 'demo', scope: 'zone', fields: [field('A', 'int', { schema_version: 0 })] }, /field A has "schema_version" 0/);
  rejects({ dataset: 'demo', scope: 'zone', fields: [field('A', 'int', { schema_version: '2' })] }, /field A has "schema_version" "2"/);
});

test('an unsupported type text is refused with the field named', () => {
  rejects({ dataset: 'demo', scope: 'zone', fields: [field('Nested', 'array[object]')] }, /Nested.*array\[object\]/);
});

test('duplicate, underscore-prefixed and malformed field names are refused', () => {
  rejects({ dataset: 'demo', scope: 'zone', fields: [field('A', 'int'), field('A', 'string')] }, /A appears twice/);
  rejects({ dataset: 'demo', scope: 'zone', fields: [field('_zone_id', 'string')] }, /"_zone_id" is not a valid field name/);
  rejects({ dataset: 'demo', scope: 'zone', fields: [field('has-dash', 'string')] }, /has-dash/);
});

test('a scope other than zone or account is refused', () => {
  rejects({ dataset: 'demo', scope: 'user', fields: [field('A', 'int')] }, /scope "user"/);
});

test('a missing catalog file is reported as SCHEMAS_BAD_CATALOG', () => {
  assert.throws(
    () => loadCatalog('no_such_dataset'),
    (error: unknown) => error instanceof SchemaError && error.code === 'SCHEMAS_BAD_CATALOG' && /no_such_dataset\.json/.test(error.message),
  );
});
