import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJob } from '../../src/job/parse-job.js';

const ZONE = '0123456789abcdef0123456789abcdef';

function job(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 7,
    name: 'audit-to-s3',
    dataset: 'http_requests',
    zone_id: ZONE,
    destination_conf: 's3://logs/http?region=us-east-1',
    output_options: { field_names: ['ClientIP', 'RayID'] },
    ...overrides,
  };
}

function messages(document: unknown, options = {}): string[] {
  const result = parseJob(document, options);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

test('a minimal job gets Logpush defaults: disabled, 100,000 records, 30 s, no byte limit, NDJSON with unixnano, no filter, no sampling', () => {
  const result = parseJob(job());
  assert.ok(result.ok);
  assert.deepEqual(result.job, {
    id: 7,
    name: 'audit-to-s3',
    dataset: 'http_requests',
    destinationConf: 's3://logs/http?region=us-east-1',
    enabled: false,
    scope: { kind: 'zone', zoneId: ZONE },
    fieldNames: ['ClientIP', 'RayID'],
    filter: undefined,
    sampleRate: 1,
    output: {
      outputType: 'ndjson',
      batchPrefix: '',
      batchSuffix: '',
      recordPrefix: '{',
      recordSuffix: '}\n',
      recordDelimiter: '',
      fieldDelimiter: ',',
      recordTemplate: undefined,
      timestampFormat: 'unixnano',
      escapeJndi: false,
    },
    maxUploadBytes: 0,
    maxUploadRecords: 100_000,
    maxUploadIntervalSeconds: 30,
    startFrom: undefined,
  });
});

test('zero limits mean the defaults', () => {
  const result = parseJob(job({ max_upload_records: 0, max_upload_interval_seconds: 0, max_upload_bytes: 0 }));
  assert.ok(result.ok);
  assert.equal(result.job.maxUploadRecords, 100_000);
  assert.equal(result.job.maxUploadIntervalSeconds, 30);
});

test('an out-of-range limit names the field, the value and what is allowed', () => {
  assert.deepEqual(messages(job({ max_upload_bytes: 1000 })), [
    '/max_upload_bytes: 1000 is not allowed; expected an integer from 5,000,000 to 1,000,000,000 (uncompressed bytes), or 0 for no size limit',
  ]);
  assert.deepEqual(messages(job({ max_upload_records: 999 })), ['/max_upload_records: 999 is not allowed; expected an integer from 1,000 to 1,000,000, or 0 for the default (100,000)']);
});

test('the interval minimum is 30 s unless a development setting lowers it', () => {
  assert.match(messages(job({ max_upload_interval_seconds: 5 }))[0] ?? '', /^\/max_upload_interval_seconds: 5 is not allowed; expected an integer number of seconds from 30 to 300/);
  assert.deepEqual(messages(job({ max_upload_interval_seconds: 5 }), { minUploadIntervalSeconds: 1 }), []);
});

test('a misspelt field name is refused with the closest real one', () => {
  assert.deepEqual(messages(job({ output_options: { field_names: ['ClientIP', 'ClientIp', 'NoSuchThing'] } })), [
    '/output_options/field_names/1: "ClientIp" is not a field of http_requests (did you mean "ClientIP"?)',
    '/output_options/field_names/2: "NoSuchThing" is not a field of http_requests',
  ]);
});

test('an unknown job key is refused with a suggestion', () => {
  assert.deepEqual(messages(job({ max_upload_record: 5000 })), ['/max_upload_record: "max_upload_record" is not a job field (did you mean "max_upload_records"?)']);
});

test('a zone dataset needs a zone id, and ids must be 32 lowercase hex characters', () => {
  const { zone_id: _omitted, ...withoutZone } = job();
  assert.deepEqual(messages(withoutZone), ['/zone_id: is required for the zone dataset "http_requests"']);
  assert.match(messages(job({ zone_id: 'ABC' }))[0] ?? '', /^\/zone_id: "ABC" is not allowed; expected a 32-character lowercase hex id/);
});

test('unknown datasets, bad names and missing destinations are all reported', () => {
  assert.match(messages(job({ dataset: 'dns_logs' }))[0] ?? '', /"dns_logs" is not a known dataset/);
  assert.match(messages(job({ name: 'has space' }))[0] ?? '', /^\/name: "has space" is not allowed; expected up to 512 characters/);
  const { destination_conf: _d, ...withoutDestination } = job();
  assert.match(messages(withoutDestination)[0] ?? '', /^\/destination_conf: is required/);
});

test('the destination check is asked and its answer reported under destination_conf', () => {
  const seen: string[] = [];
  const issues = messages(job(), {
    checkDestination: (conf: string) => {
      seen.push(conf);
      return 'the region parameter is required';
    },
  });
  assert.deepEqual(seen, ['s3://logs/http?region=us-east-1']);
  assert.deepEqual(issues, ['/destination_conf: the region parameter is required']);
});

test('start_from takes "earliest" or an RFC 3339 time', () => {
  const earliest = parseJob(job({ start_from: 'earliest' }));
  assert.ok(earliest.ok && earliest.job.startFrom === 'earliest');
  const timed = parseJob(job({ start_from: '2026-01-31T12:00:00Z' }));
  assert.ok(timed.ok && timed.job.startFrom instanceof Date && timed.job.startFrom.getTime() === Date.UTC(2026, 0, 31, 12));
  assert.match(messages(job({ start_from: 'yesterday' }))[0] ?? '', /^\/start_from: "yesterday" is not allowed/);
});

test('an ownership_challenge token is accepted as written, and one with other characters is refused with what is allowed', () => {
  assert.ok(parseJob(job({ ownership_challenge: 'v1.eyJzY29wZSI6InpvbmVzLzAxMjMifQ.AbC-_09' })).ok);
  assert.match(messages(job({ ownership_challenge: 'v1.abc def' }))[0] ?? '', /^\/ownership_challenge: .*the token from the ownership-challenge-<id>\.txt file/);
  assert.match(messages(job({ ownership_challenge: 'x'.repeat(4097) }))[0] ?? '', /^\/ownership_challenge: .*at most 4096 characters/);
});

test('something that is not an object is refused as a whole', () => {
  assert.deepEqual(messages([1, 2]), [': a job must be a JSON object, got [1,2]']);
});

test('a filter is parsed once and kept with the fields it reads', () => {
  const filter = JSON.stringify({ where: { and: [{ key: 'ClientRequestHost', operator: 'eq', value: 'example.com' }, { key: 'EdgeResponseStatus', operator: 'geq', value: '400' }] } });
  const result = parseJob(job({ filter }));
  assert.ok(result.ok);
  assert.deepEqual(result.job.filter?.fieldNames, ['ClientRequestHost', 'EdgeResponseStatus']);
});

test('an empty or null filter means no filter', () => {
  for (const filter of ['', null]) {
    const result = parseJob(job({ filter }));
    assert.ok(result.ok && result.job.filter === undefined, `filter ${JSON.stringify(filter)}`);
  }
});

test('filter problems are reported under /filter with where inside the filter they are', () => {
  const filter = JSON.stringify({ where: { or: [{ key: 'ClientRequestHots', operator: 'eq', value: 'a' }, { key: 'RequestHeaders', operator: 'eq', value: 'x' }] } });
  const issues = messages(job({ filter }));
  assert.equal(issues.length, 2);
  assert.match(issues[0] ?? '', /^\/filter: at \/where\/or\/0\/key: .*"ClientRequestHots".*did you mean "ClientRequestHost"/);
  assert.match(issues[1] ?? '', /^\/filter: at \/where\/or\/1.*RequestHeaders.*object fields cannot be filtered/);
  assert.match(messages(job({ filter: '{"where":' }))[0] ?? '', /^\/filter: is not valid JSON/);
});

test('output options are resolved with the output type defaults', () => {
  const result = parseJob(job({ output_options: { field_names: ['RayID'], output_type: 'csv', timestamp_format: 'rfc3339', sample_rate: 0.25, 'CVE-2021-4428': true } }));
  assert.ok(result.ok);
  assert.equal(result.job.sampleRate, 0.25);
  assert.deepEqual(result.job.output, {
    outputType: 'csv',
    batchPrefix: '',
    batchSuffix: '',
    recordPrefix: '',
    recordSuffix: '\n',
    recordDelimiter: '',
    fieldDelimiter: ',',
    recordTemplate: undefined,
    timestampFormat: 'rfc3339',
    escapeJndi: true,
  });
});

test('options sent as null, as Logpush returns them, mean their defaults', () => {
  const result = parseJob(job({ output_options: { field_names: ['RayID'], output_type: null, record_prefix: null, sample_rate: null, 'CVE-2021-44228': null } }));
  assert.ok(result.ok);
  assert.equal(result.job.output.recordPrefix, '{');
  assert.equal(result.job.sampleRate, 1);
  assert.equal(result.job.output.escapeJndi, false);
});

test('sample_rate, output_type and timestamp_format outside their ranges are refused with what is allowed', () => {
  assert.deepEqual(messages(job({ output_options: { field_names: ['RayID'], sample_rate: 0 } })), [
    '/output_options/sample_rate: 0 is not allowed; expected a number greater than 0 and at most 1 (1 keeps every record)',
  ]);
  assert.deepEqual(messages(job({ output_options: { field_names: ['RayID'], sample_rate: 1.5 } }))[0], '/output_options/sample_rate: 1.5 is not allowed; expected a number greater than 0 and at most 1 (1 keeps every record)');
  assert.deepEqual(messages(job({ output_options: { field_names: ['RayID'], output_type: 'json' } })), ['/output_options/output_type: "json" is not allowed; expected "ndjson" or "csv"']);
  assert.match(messages(job({ output_options: { field_names: ['RayID'], timestamp_format: 'iso' } }))[0] ?? '', /^\/output_options\/timestamp_format: "iso" is not allowed; expected "unixnano", "unix", "rfc3339"/);
  assert.deepEqual(messages(job({ output_options: { field_names: ['RayID'], sampel_rate: 1 } })), ['/output_options/sampel_rate: "sampel_rate" is not allowed in /output_options (did you mean "sample_rate"?)']);
});

test('a record template is checked: its grammar and the fields it names', () => {
  assert.deepEqual(messages(job({ output_options: { field_names: ['ClientIP'], record_template: '"ip":{{ .ClientIp }}' } })), [
    '/output_options/record_template: {{ .ClientIp }}: "ClientIp" is not a field of http_requests (did you mean "ClientIP"?)',
  ]);
  assert.match(messages(job({ output_options: { field_names: ['ClientIP'], record_template: '{{ if .ClientIP }}x{{ end }}' } }))[0] ?? '', /^\/output_options\/record_template: .*if/);
  // A dataset field that is not in field_names is allowed: Logpush renders it as null.
  assert.deepEqual(messages(job({ output_options: { field_names: ['ClientIP'], record_template: '"ray":{{ .RayID }}' } })), []);
});

test('logpull_options is converted when output_options is absent, and ignored when it is present', () => {
  const legacy = parseJob(job({ output_options: undefined, logpull_options: 'fields=ClientIP,RayID&timestamps=rfc3339&sample=0.5&CVE-2021-44228=true' }));
  assert.ok(legacy.ok);
  assert.deepEqual(legacy.job.fieldNames, ['ClientIP', 'RayID']);
  assert.equal(legacy.job.output.timestampFormat, 'rfc3339');
  assert.equal(legacy.job.sampleRate, 0.5);
  assert.equal(legacy.job.output.escapeJndi, true);
  const both = parseJob(job({ logpull_options: 'fields=EdgeStartTimestamp' }));
  assert.ok(both.ok);
  assert.deepEqual(both.job.fieldNames, ['ClientIP', 'RayID']);
  assert.deepEqual(messages(job({ output_options: null, logpull_options: 'fields=ClientIp' })), ['/logpull_options: "ClientIp" is not a field of http_requests (did you mean "ClientIP"?)']);
});

test('a job with neither output_options nor logpull_options is told to list its fields', () => {
  assert.deepEqual(messages(job({ output_options: undefined })), ['/output_options/field_names: is required: a non-empty list of http_requests fields, e.g. ["ClientIP","EdgeStartTimestamp","RayID"]']);
});
