import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindForCatalogType } from '../../src/datasets/field-kind.js';

test('each published type text maps to its kind', () => {
  assert.equal(kindForCatalogType('string', undefined), 'string');
  assert.equal(kindForCatalogType('int', undefined), 'int');
  assert.equal(kindForCatalogType('float', undefined), 'float');
  assert.equal(kindForCatalogType('bool', undefined), 'bool');
  assert.equal(kindForCatalogType('array[string]', undefined), 'string[]');
  assert.equal(kindForCatalogType('array[int]', undefined), 'int[]');
  assert.equal(kindForCatalogType('int or string', undefined), 'timestamp');
});

test('object fields are string maps unless the catalog says their values are floats', () => {
  assert.equal(kindForCatalogType('object', undefined), 'map');
  assert.equal(kindForCatalogType('object', 'string'), 'map');
  assert.equal(kindForCatalogType('object', 'float'), 'float-map');
  assert.equal(kindForCatalogType('object', 'bool'), undefined);
  assert.equal(kindForCatalogType('int', 'float'), undefined);
  assert.equal(kindForCatalogType('array[object]', undefined), undefined);
});
