import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDataset } from '@sluice/schemas';
import type { DatasetRecord, FieldKind } from '@sluice/schemas';
import { parseJob } from '../../src/job/parse-job.js';
import { compileJob } from '../../src/compile/compile-job.js';
import { createGzipBatch } from '../../src/batch/gzip-batch.js';

const dataset = getDataset('http_requests');
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const FILTERS = [
  undefined,
  '',
  JSON.stringify({ where: { key: 'ClientRequestHost', operator: 'eq', value: 'example.com' } }),
  JSON.stringify({ where: { and: [{ key: 'EdgeResponseStatus', operator: 'geq', value: '400' }, { or: [{ key: 'ClientCountry', operator: 'in', value: ['de', 'fr'] }, { key: 'SecuritySources', operator: 'contains', value: 'waf' }] }] } }),
];

/** Jobs that follow every rule of the reference, with most options varied. */
const validJob = fc.record(
  {
    id: fc.integer({ min: 1, max: 2 ** 31 }),
    name: fc.stringMatching(/^[a-zA-Z0-9.-]{0,40}$/),
    dataset: fc.constant('http_requests'),
    zone_id: hex32,
    destination_conf: fc.constant('s3://bucket/logs/{DATE}?region=us-east-1'),
    enabled: fc.boolean(),
    kind: fc.constantFrom('', 'edge'),
    filter: fc.constantFrom(...FILTERS),
    output_options: fc.record(
      {
        field_names: fc.uniqueArray(fc.constantFrom(...dataset.fieldNames), { minLength: 1, maxLength: 12 }),
        output_type: fc.constantFrom('ndjson', 'csv', null),
        timestamp_format: fc.constantFrom('unixnano', 'unix', 'rfc3339', 'rfc3339ms', 'rfc3339ns'),
        sample_rate: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
        record_delimiter: fc.constantFrom('', ',', '\n'),
        batch_prefix: fc.constantFrom('', '[', 'ClientIP,RayID\n'),
        'CVE-2021-44228': fc.boolean(),
      },
      { requiredKeys: ['field_names'] },
    ),
    max_upload_bytes: fc.oneof(fc.constant(0), fc.integer({ min: 5_000_000, max: 1_000_000_000 })),
    max_upload_records: fc.oneof(fc.constant(0), fc.integer({ min: 1_000, max: 1_000_000 })),
    max_upload_interval_seconds: fc.oneof(fc.constant(0), fc.integer({ min: 30, max: 300 })),
  },
  { requiredKeys: ['id', 'dataset', 'zone_id', 'destination_conf', 'output_options'] },
);

/** One way to break a job, and the field path the refusal must name. */
interface Mutation {
  path: string;
  apply: (job: Record<string, unknown>) => void;
}

function set(path: string, value: unknown): Mutation {
  const keys = path.split('/').slice(1);
  return {
    path,
    apply(job) {
      let target = job;
      for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
      target[keys.at(-1) ?? ''] = value;
    },
  };
}

const MUTATIONS: Mutation[] = [
  set('/id', 0),
  set('/id', 1.5),
  set('/id', '7'),
  set('/name', 'has space'),
  set('/name', 'x'.repeat(513)),
  set('/dataset', 'dns_logs'),
  set('/destination_conf', ''),
  set('/destination_conf', `s3://${'x'.repeat(4097)}`),
  set('/enabled', 'yes'),
  set('/kind', 'instant'),
  set('/zone_id', 'ZONE'),
  set('/max_upload_bytes', 4_999_999),
  set('/max_upload_bytes', 1_000_000_001),
  set('/max_upload_records', 999),
  set('/max_upload_records', 1_000_001),
  set('/max_upload_interval_seconds', 29),
  set('/max_upload_interval_seconds', 301),
  set('/frequency', 'daily'),
  set('/start_from', 'yesterday'),
  set('/filter', '{'),
  set('/filter', '{"where":{}}'),
  set('/filter', '{"where":{"key":"NoSuchField","operator":"eq","value":1}}'),
  set('/filter', '{"where":{"key":"EdgeResponseStatus","operator":"startsWith","value":"2"}}'),
  set('/filter', '{"where":{"key":"ClientCountry","operator":"eq","value":1}}'),
  set('/filter', 42),
  set('/output_options/field_names', []),
  set('/output_options/field_names', ['NoSuchField']),
  set('/output_options/field_names', 'RayID'),
  set('/output_options/output_type', 'json'),
  set('/output_options/timestamp_format', 'iso8601'),
  set('/output_options/sample_rate', 0),
  set('/output_options/sample_rate', 1.01),
  set('/output_options/sample_rate', '0.5'),
  set('/output_options/record_template', '{{ .NoSuchField }}'),
  set('/output_options/record_template', '{{ if .RayID }}x{{ end }}'),
  set('/output_options/record_prefix', 7),
  set('/output_options/CVE-2021-44228', 'yes'),
  set('/output_options/fieldnames', ['RayID']),
  set('/output_option', {}),
];

/** Values as the decoder produces them for each field kind (wrong types cannot come out of it). */
function decodedValue(kind: FieldKind): fc.Arbitrary<unknown> {
  const int = fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => (Number.isSafeInteger(Number(v)) ? Number(v) : v)));
  switch (kind) {
    case 'string':
      return fc.string({ unit: 'binary' });
    case 'int':
      return int;
    case 'float':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'bool':
      return fc.boolean();
    case 'timestamp':
      return fc.bigInt({ min: 0n, max: 2n ** 62n });
    case 'map':
      return fc.dictionary(fc.string(), fc.string({ unit: 'binary' }));
    case 'float-map':
      return fc.dictionary(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'string[]':
      return fc.array(fc.string({ unit: 'binary' }));
    case 'int[]':
      return fc.array(int);
  }
}

const decodedRecord = fc.record(Object.fromEntries(dataset.fieldNames.map((name) => [name, decodedValue(dataset.field(name)?.kind ?? 'string')])), { requiredKeys: [] });

test('random valid jobs are accepted, compile, and filter, project and render random decoded records without throwing', () => {
  fc.assert(
    fc.property(validJob, decodedRecord, (document, record: DatasetRecord) => {
      const result = parseJob(document);
      assert.ok(result.ok, JSON.stringify(result));
      const compiled = compileJob(result.job, { customFields: { requestHeaders: ['cf-access-user'], responseHeaders: [], cookies: [] } });
      const kept = compiled.filter?.(record) ?? true;
      assert.equal(typeof kept, 'boolean');
      compiled.project?.(record);
      const text = compiled.render(record);
      assert.ok(text.startsWith(result.job.output.recordPrefix) && text.endsWith(result.job.output.recordSuffix), text);
      const batch = createGzipBatch(compiled.framing, 0);
      batch.add(text, 0, 0);
      batch.abandon();
    }),
    { numRuns: 300 },
  );
});

test('random invalid jobs are always refused, with an issue naming the broken field', () => {
  fc.assert(
    fc.property(validJob, fc.constantFrom(...MUTATIONS), (document, mutation) => {
      const broken = structuredClone(document) as Record<string, unknown>;
      mutation.apply(broken);
      const result = parseJob(broken);
      assert.ok(!result.ok, `${mutation.path} was accepted`);
      const named = result.issues.some((issue) => issue.path === mutation.path || issue.path.startsWith(`${mutation.path}/`));
      assert.ok(named, `${mutation.path}: issues ${JSON.stringify(result.issues)}`);
    }),
    { numRuns: 400 },
  );
});
