import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadPlan, KIND } from '../../src/avro/read-plan.js';
import type { AvroRecordSchema } from '../../src/avro/schema.js';
import { SchemaError } from '../../src/index.js';
import type { FieldKind } from '../../src/index.js';

const writer: AvroRecordSchema = {
  type: 'record',
  name: 'demo_v1',
  namespace: 'sluice',
  fields: [
    { name: '_zone_id', type: ['null', 'string'], default: null },
    { name: 'At', type: ['null', { type: 'long', logicalType: 'timestamp-nanos' }], default: null },
    { name: 'Count', type: ['null', 'long'], default: null },
    { name: 'Headers', type: ['null', { type: 'map', values: 'string' }], default: null },
  ],
};

test('the plan keeps the wanted fields, knows every writer field kind, and stops after the last wanted one', () => {
  const plan = createReadPlan(writer, new Map<string, FieldKind>([['_zone_id', 'string'], ['Count', 'int']]));
  assert.equal(plan.schemaName, 'sluice.demo_v1');
  assert.deepEqual([...plan.keep], [1, 0, 1, 0]);
  assert.deepEqual([...plan.kinds], [KIND.string, KIND.timestamp, KIND.long, KIND.stringMap]);
  assert.equal(plan.stopAfter, 2);
  assert.equal(plan.readsAll, false);
});

test('a plan wanting the last writer field reads to the end, and wanted fields the writer lacks are ignored', () => {
  const plan = createReadPlan(writer, new Map<string, FieldKind>([['Headers', 'map'], ['Missing', 'string']]));
  assert.equal(plan.stopAfter, 3);
  assert.equal(plan.readsAll, true);
});

test('a wanted field whose kind changed between versions is refused', () => {
  assert.throws(
    () => createReadPlan(writer, new Map<string, FieldKind>([['Count', 'string']])),
    (error: unknown) =>
      error instanceof SchemaError && error.code === 'SCHEMAS_UNSUPPORTED_SCHEMA' && /Count is int but readers expect string/.test(error.message),
  );
});

test('a writer field that is not a nullable union of a supported type is refused', () => {
  const odd = { ...writer, fields: [{ name: 'X', type: ['null', 'bytes'], default: null }] } as unknown as AvroRecordSchema;
  assert.throws(() => createReadPlan(odd, new Map()), (error: unknown) => error instanceof SchemaError && /field X/.test(error.message));
});
