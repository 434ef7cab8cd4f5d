import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AvroBodyReader } from '../../src/avro/body-reader.js';
import { createAvscType } from '../../src/avro/exact-long.js';
import { createReadPlan } from '../../src/avro/read-plan.js';
import type { AvroRecordSchema } from '../../src/avro/schema.js';
import { avroSchemaFor, datasetNames, getDataset } from '../../src/index.js';
import type { DatasetName, DatasetRecord, DecodeResult, FieldKind } from '../../src/index.js';
import { pick, recordArbitrary } from '../fixtures/arbitraries.js';
import { sampleHttpRequest } from '../fixtures/sample-records.js';

function wantedOf(dataset: DatasetName, names?: readonly string[]): Map<string, FieldKind> {
  const spec = getDataset(dataset);
  const wanted = new Map<string, FieldKind>([['_zone_id', 'string'], ['_account_id', 'string']]);
  for (const name of names ?? spec.fieldNames) wanted.set(name, spec.field(name)?.kind ?? 'string');
  return wanted;
}

function readerFor(dataset: DatasetName, names?: readonly string[]): AvroBodyReader {
  return new AvroBodyReader(createReadPlan(avroSchemaFor(dataset), wantedOf(dataset, names)));
}

function ok(result: DecodeResult): DatasetRecord {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.record;
}

function failure(result: DecodeResult): string {
  assert.ok(!result.ok, 'expected a failure');
  assert.equal(result.code, 'DECODE_BAD_AVRO');
  return result.message;
}

for (const dataset of datasetNames) {
  const type = createAvscType(avroSchemaFor(dataset));
  const full = readerFor(dataset);

  test(`any valid ${dataset} record survives an avsc encode and our decode exactly`, () => {
    fc.assert(
      fc.property(recordArbitrary(dataset), (record) => {
        assert.deepStrictEqual(ok(full.read(type.toBuffer(record), 0)), record);
      }),
      { numRuns: 150 },
    );
  });

  test(`a projected ${dataset} decode equals the full record restricted to those fields`, () => {
    const names = getDataset(dataset).fieldNames;
    const arbitrary = fc.tuple(recordArbitrary(dataset), fc.subarray([...names], { maxLength: 6 }));
    fc.assert(
      fc.property(arbitrary, ([record, fields]) => {
        const projected = readerFor(dataset, fields).read(type.toBuffer(record), 0);
        assert.deepStrictEqual(ok(projected), pick(record, ['_zone_id', '_account_id', ...fields]));
      }),
      { numRuns: 100 },
    );
  });
}

const demo: AvroRecordSchema = {
  type: 'record',
  name: 'demo_v1',
  namespace: 'sluice',
  fields: [
    { name: '_zone_id', type: ['null', 'string'], default: null },
    { name: 'M', type: ['null', { type: 'map', values: 'string' }], default: null },
    { name: 'N', type: ['null', 'long'], default: null },
  ],
};
const demoReader = (names: [string, FieldKind][]) => new AvroBodyReader(createReadPlan(demo, new Map(names)));
// _zone_id null; M as one block with a negative count and a byte size ({a: "b"}); N = 3.
const SIZED_BLOCKS = Buffer.from([0x00, 0x02, 0x01, 0x08, 0x02, 0x61, 0x02, 0x62, 0x00, 0x02, 0x06]);

test('blocks written with a negative count and a byte size are read, and skipped by size', () => {
  assert.deepStrictEqual(ok(demoReader([['M', 'map'], ['N', 'int']]).read(SIZED_BLOCKS, 0)), { M: { a: 'b' }, N: 3 });
  assert.deepStrictEqual(ok(demoReader([['N', 'int']]).read(SIZED_BLOCKS, 0)), { N: 3 });
});

test('a map key "__proto__" stays an ordinary key', () => {
  const bytes = createAvscType(demo).toBuffer({ M: JSON.parse('{"__proto__":"x","b":"y"}') as unknown });
  const map = ok(demoReader([['M', 'map']]).read(bytes, 0)).M as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(map), Object.prototype);
  assert.deepEqual(Object.keys(map), ['__proto__', 'b']);
  assert.equal(Object.getOwnPropertyDescriptor(map, '__proto__')?.value, 'x');
});

test('an older writer version decodes: missing fields are absent and retired fields dropped', () => {
  const current = avroSchemaFor('access_requests');
  const older: AvroRecordSchema = {
    ...current,
    name: 'access_requests_v0',
    fields: [...current.fields.filter((field) => field.name !== 'Country'), { name: 'Retired', type: ['null', 'string'], default: null }],
  };
  const bytes = createAvscType(older).toBuffer({ Email: 'a@example.com', Country: 'nl', Retired: 'gone', CreatedAt: 1n });
  const record = ok(new AvroBodyReader(createReadPlan(older, wantedOf('access_requests'))).read(bytes, 0));
  assert.deepStrictEqual(record, { Email: 'a@example.com', CreatedAt: 1n });
});

test('every truncation of a full record is reported, naming the field being read', () => {
  const type = createAvscType(avroSchemaFor('http_requests'));
  const bytes = type.toBuffer(sampleHttpRequest());
  const reader = readerFor('http_requests');
  for (let length = 0; length < bytes.length; length++) {
    failure(reader.read(bytes.subarray(0, length), 0));
  }
  assert.match(failure(reader.read(bytes.subarray(0, 60), 0)), /in field \w+ \(at byte \d+ of 60\)/);
});

test('trailing bytes after a full record are reported', () => {
  const bytes = Buffer.concat([createAvscType(demo).toBuffer({ N: 1 }), Buffer.from([0])]);
  assert.match(failure(demoReader([['_zone_id', 'string'], ['N', 'int']]).read(bytes, 0)), /1 trailing bytes/);
});

test('an invalid union branch or boolean byte is reported', () => {
  assert.match(failure(demoReader([['N', 'int']]).read(Buffer.from([0x04]), 0)), /invalid union branch byte 4 in field _zone_id/);
  const flags: AvroRecordSchema = { ...demo, fields: [{ name: 'B', type: ['null', 'boolean'], default: null }] };
  const reader = new AvroBodyReader(createReadPlan(flags, new Map([['B', 'bool']])));
  assert.match(failure(reader.read(Buffer.from([0x02, 0x07]), 0)), /invalid boolean byte 7/);
});

test('a corrupt block count cannot make the reader loop or allocate without bound', () => {
  // M: branch 1, then a count of 2^40 items with no bytes behind it.
  const bytes = Buffer.from([0x00, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
  assert.match(failure(demoReader([['M', 'map']]).read(bytes, 0)), /block count \d+ exceeds the remaining bytes/);
  assert.match(failure(demoReader([['N', 'int']]).read(bytes, 0)), /block count/);
});

test('arbitrary bytes never make the reader throw', () => {
  const reader = readerFor('http_requests');
  const projected = readerFor('http_requests', ['RequestHeaders', 'SecurityActions', 'EdgeStartTimestamp']);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      assert.equal(typeof reader.read(buffer, 0).ok, 'boolean');
      assert.equal(typeof projected.read(buffer, 0).ok, 'boolean');
    }),
    { numRuns: 500 },
  );
});
