// Property tests: random http_requests records rendered as NDJSON and CSV read back to exactly what went in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDataset } from '@sluice/schemas';
import type { DatasetRecord, FieldKind } from '@sluice/schemas';
import { createRecordRenderer } from '../../src/render/create-renderer.js';
import { resolveOutputFormat } from '../../src/render/output-format.js';
import type { TimestampFormat } from '../../src/render/value-encoders.js';
import { parseCsv } from './rfc4180-parser.js';
import type { CsvField } from './rfc4180-parser.js';

const dataset = getDataset('http_requests');
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const TIMESTAMP_FORMATS: readonly TimestampFormat[] = ['unixnano', 'unix', 'rfc3339', 'rfc3339ms', 'rfc3339ns'];

// Any Unicode text, plus text made of the characters that break naive CSV and JSON writers.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ unit: fc.constantFrom('"', '\n', '\r', ',', '\t', ';', '|', '\\', ' ', 'a', 'é', '😀', '\u2028', '$', '{'), maxLength: 12 }),
);
// Ints come as numbers or bigints (decoders narrow safe ones to numbers; a bigint in safe range must work too).
const int = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.bigInt({ min: -MAX_SAFE, max: MAX_SAFE }),
  fc.bigInt({ min: MAX_SAFE - 3n, max: MAX_SAFE + 3n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value));
// From 1970 to 2100: the range a log record's time can have.
const timestamp = fc.bigInt({ min: 0n, max: 4_102_444_800_000_000_000n });

function valueFor(kind: FieldKind): fc.Arbitrary<unknown> {
  const dictionary = { maxKeys: 3, noNullPrototype: true };
  switch (kind) {
    case 'string':
      return text;
    case 'int':
      return int;
    case 'float':
      return double;
    case 'bool':
      return fc.boolean();
    case 'timestamp':
      return timestamp;
    case 'map':
      return fc.dictionary(text, text, dictionary);
    case 'float-map':
      return fc.dictionary(text, double, dictionary);
    case 'string[]':
      return fc.array(text, { maxLength: 3 });
    case 'int[]':
      return fc.array(int, { maxLength: 3 });
  }
}

function kindOf(name: string): FieldKind {
  const spec = dataset.field(name);
  if (!spec) throw new Error(`no field ${name}`);
  return spec.kind;
}

interface Job {
  fieldNames: string[];
  records: DatasetRecord[];
}

/** Random field_names (any subset, any order) and records with any of those fields missing, null or set, plus fields not selected. */
const job: fc.Arbitrary<Job> = fc.shuffledSubarray([...dataset.fieldNames], { minLength: 1, maxLength: 15 }).chain((fieldNames) => {
  const value = (name: string): fc.Arbitrary<unknown> => fc.oneof({ weight: 1, arbitrary: fc.constantFrom(undefined, null) }, { weight: 4, arbitrary: valueFor(kindOf(name)) });
  const unselected = dataset.fieldNames.filter((name) => !fieldNames.includes(name)).slice(0, 3);
  const record = fc.tuple(fc.tuple(...fieldNames.map(value)), fc.tuple(...unselected.map((name) => valueFor(kindOf(name))))).map(([values, extras]) => {
    const built: DatasetRecord = {};
    fieldNames.forEach((name, i) => {
      if (values[i] !== undefined) built[name] = values[i];
    });
    unselected.forEach((name, i) => (built[name] = extras[i]));
    return built;
  });
  return fc.record({ fieldNames: fc.constant(fieldNames), records: fc.array(record, { minLength: 1, maxLength: 4 }) });
});

function rfc3339(nanos: bigint, format: TimestampFormat): string {
  const iso = new Date(Number(nanos / NS_PER_MS)).toISOString();
  if (format === 'rfc3339') return `${iso.slice(0, 19)}Z`;
  if (format === 'rfc3339ms') return iso;
  return `${iso.slice(0, 19)}.${(nanos % NS_PER_S).toString().padStart(9, '0')}Z`;
}

/** The exact integer text a timestamp must have, or the string it must be. */
function timestampText(nanos: bigint, format: TimestampFormat): { integer: string } | { string: string } {
  if (format === 'unixnano') return { integer: nanos.toString() };
  if (format === 'unix') return { integer: (nanos / NS_PER_S).toString() };
  return { string: rfc3339(nanos, format) };
}

const exactIntArray = (values: readonly unknown[]): string => `[${values.map(String).join(',')}]`;

test('property: default NDJSON lines parse with JSON.parse to the field_names keys and the original values', () => {
  fc.assert(
    fc.property(job, fc.constantFrom(...TIMESTAMP_FORMATS), ({ fieldNames, records }, timestampFormat) => {
      const render = createRecordRenderer(dataset, { fieldNames, format: resolveOutputFormat({ timestamp_format: timestampFormat }) });
      const lines = records.map(render);
      assert.deepEqual(lines.join('').split('\n'), [...lines.map((line) => line.slice(0, -1)), ''], 'one line per record');
      records.forEach((record, r) => {
        const line = lines[r] ?? '';
        const parsed = JSON.parse(line) as Record<string, unknown>;
        assert.deepEqual(Object.keys(parsed), fieldNames);
        for (const name of fieldNames) {
          const value = record[name];
          const got = parsed[name];
          // The value's exact JSON text, ended by the next delimiter or the record suffix.
          const hasExactly = (json: string): boolean => line.includes(`${JSON.stringify(name)}:${json},`) || line.endsWith(`${JSON.stringify(name)}:${json}}\n`);
          if (value === undefined || value === null) {
            assert.equal(got, null);
            continue;
          }
          switch (kindOf(name)) {
            case 'int':
              assert.equal(got, Number(value));
              assert.ok(hasExactly((value as number | bigint).toString()), `${name} exact in ${line}`);
              break;
            case 'timestamp': {
              const expected = timestampText(value as bigint, timestampFormat);
              if ('string' in expected) assert.equal(got, expected.string);
              else assert.ok(hasExactly(expected.integer), `${name} exact in ${line}`);
              break;
            }
            case 'int[]':
              assert.deepEqual(got, (value as unknown[]).map(Number));
              assert.ok(hasExactly(exactIntArray(value as unknown[])), `${name} exact in ${line}`);
              break;
            default:
              assert.deepEqual(got, value);
          }
        }
      });
    }),
    { numRuns: 300 },
  );
});

function assertCsvField(field: CsvField | undefined, kind: FieldKind, value: unknown, timestampFormat: TimestampFormat): void {
  if (value === undefined || value === null) return assert.deepEqual(field, { text: '', quoted: false }, 'absent is an empty unquoted field');
  switch (kind) {
    case 'string':
      return assert.deepEqual(field, { text: value, quoted: true });
    case 'int':
      return assert.deepEqual(field, { text: (value as number | bigint).toString(), quoted: false });
    case 'float':
      assert.equal(field?.quoted, false);
      return assert.equal(Number(field?.text), value);
    case 'bool':
      return assert.deepEqual(field, { text: (value as boolean).toString(), quoted: false });
    case 'timestamp': {
      const expected = timestampText(value as bigint, timestampFormat);
      return assert.deepEqual(field, 'string' in expected ? { text: expected.string, quoted: true } : { text: expected.integer, quoted: false });
    }
    case 'int[]':
      return assert.deepEqual(field, { text: exactIntArray(value as unknown[]), quoted: true });
    case 'map':
    case 'float-map':
    case 'string[]':
      assert.equal(field?.quoted, true);
      return assert.deepEqual(JSON.parse(field?.text ?? ''), value);
  }
}

test('property: CSV read back by an RFC 4180 parser has one row per record, every column, and the original values', () => {
  fc.assert(
    fc.property(job, fc.constantFrom(...TIMESTAMP_FORMATS), fc.constantFrom(',', '\t', ';', '|'), ({ fieldNames, records }, timestampFormat, delimiter) => {
      const format = resolveOutputFormat({ output_type: 'csv', timestamp_format: timestampFormat, field_delimiter: delimiter });
      const render = createRecordRenderer(dataset, { fieldNames, format });
      const rows = parseCsv(records.map(render).join(''), delimiter);
      assert.equal(rows.length, records.length);
      records.forEach((record, r) => {
        const row = rows[r] ?? [];
        assert.equal(row.length, fieldNames.length);
        fieldNames.forEach((name, i) => assertCsvField(row[i], kindOf(name), record[name], timestampFormat));
      });
    }),
    { numRuns: 300 },
  );
});
