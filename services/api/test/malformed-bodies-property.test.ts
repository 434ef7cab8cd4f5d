import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JobSchema, parseFilter } from '@sluice/pipeline';
import { getDataset } from '@sluice/schemas';
import { displayPath } from '../src/api-errors.js';
import { failureOf, httpJob, testApi, zonePath } from './support/api-fixture.js';
import type { Reply, TestApi } from './support/api-fixture.js';

const HTTP = getDataset('http_requests');
const RUNS = { numRuns: 250 };

/** What a JSON body can hold once sent: the value as the server will read it. */
function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

const isInt = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && ((v >= min && v <= max) || v === 0);
const oneOf = (...allowed: unknown[]) => (v: unknown) => v === null || allowed.includes(v);

interface FieldCase {
  /** JSON pointer of the field in the job body. */
  pointer: string;
  bad: fc.Arbitrary<unknown>;
  /** Whether a value is acceptable after all (null unsets optional fields); such draws are skipped. */
  valid: (value: unknown) => boolean;
}

const anyJson = fc.jsonValue({ maxDepth: 2 });
const FIELD_CASES: FieldCase[] = [
  { pointer: '/name', bad: fc.oneof(anyJson, fc.string({ minLength: 1, maxLength: 8 }).map((s) => `${s} !`), fc.constant('a'.repeat(513))), valid: (v) => v === null || (typeof v === 'string' && /^[a-zA-Z0-9.-]{0,512}$/.test(v)) },
  { pointer: '/dataset', bad: fc.oneof(anyJson, fc.constant('access_requests'), fc.constant('firewall_events')), valid: (v) => v === 'http_requests' },
  { pointer: '/destination_conf', bad: fc.oneof(anyJson, fc.constant(''), fc.constant('ftp://x/y'), fc.constant('s3://x'), fc.constant('https://')), valid: () => false },
  { pointer: '/enabled', bad: anyJson, valid: (v) => v === null || typeof v === 'boolean' },
  { pointer: '/kind', bad: anyJson, valid: oneOf('', 'edge') },
  { pointer: '/filter', bad: fc.oneof(anyJson, fc.constant('{"where":{"key":"Nope","operator":"eq","value":1}}'), fc.constant('{"where":{}}')), valid: (v) => v === null || (typeof v === 'string' && parseFilter(v, HTTP).ok) },
  { pointer: '/output_options', bad: fc.oneof(anyJson, fc.constant({}), fc.constant(null)), valid: () => false },
  { pointer: '/output_options/field_names', bad: fc.oneof(anyJson, fc.constant([]), fc.constant(['ClientIP', 'Nope'])), valid: () => false },
  { pointer: '/output_options/output_type', bad: anyJson, valid: oneOf('ndjson', 'csv') },
  { pointer: '/output_options/timestamp_format', bad: anyJson, valid: oneOf('unixnano', 'unix', 'rfc3339', 'rfc3339ms', 'rfc3339ns') },
  { pointer: '/output_options/sample_rate', bad: fc.oneof(anyJson, fc.double({ noNaN: true, noDefaultInfinity: true })), valid: (v) => v === null || (typeof v === 'number' && v > 0 && v <= 1) },
  { pointer: '/max_upload_bytes', bad: fc.oneof(anyJson, fc.integer()), valid: (v) => v === null || isInt(v, 5_000_000, 1_000_000_000) },
  { pointer: '/max_upload_records', bad: fc.oneof(anyJson, fc.integer({ min: -10, max: 2_000_000 })), valid: (v) => v === null || isInt(v, 1_000, 1_000_000) },
  { pointer: '/max_upload_interval_seconds', bad: fc.oneof(anyJson, fc.integer({ min: -5, max: 400 })), valid: (v) => v === null || isInt(v, 30, 300) },
  { pointer: '/frequency', bad: anyJson, valid: oneOf('high', 'low') },
  { pointer: '/logpull_options', bad: anyJson, valid: (v) => v === null || (typeof v === 'string' && v.length <= 4096) },
  { pointer: '/ownership_challenge', bad: fc.oneof(anyJson, fc.constant('has space')), valid: (v) => v === null || (typeof v === 'string' && /^[a-zA-Z0-9/+.\-_]{0,4096}$/.test(v)) },
  { pointer: '/start_from', bad: fc.oneof(anyJson, fc.constant('yesterday'), fc.constant('2026-13-01T00:00:00Z')), valid: (v) => v === null || v === 'earliest' || (typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /T/.test(v)) },
];

const READ_ONLY_OR_SCOPE = new Set(['id', 'last_complete', 'last_error', 'error_message', 'zone_id', 'account_id', '__proto__']);

/** A job body with one field made wrong, and the pointer of that field. */
const brokenJob = fc.oneof(
  ...FIELD_CASES.map((field) =>
    field.bad
      .map(roundTrip)
      // A `__proto__` key anywhere refuses the whole body before any field is read (json-body.test.ts).
      .filter((value) => value !== undefined && !JSON.stringify(value).includes('"__proto__"') && !field.valid(value))
      .map((value) => ({ pointer: field.pointer, body: withValue(httpJob(), field.pointer, value) })),
  ),
  fc
    .string({ maxLength: 12 })
    .filter((key) => !(key in JobSchema.properties) && !READ_ONLY_OR_SCOPE.has(key))
    .map((key) => ({ pointer: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, body: { ...httpJob(), [key]: 1 } })),
);

function withValue(body: Record<string, unknown>, pointer: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const parts = pointer.split('/').slice(1);
  const last = parts.pop() ?? '';
  let target = copy;
  for (const part of parts) target = target[part] as Record<string, unknown>;
  target[last] = value;
  return copy;
}

/** A failure envelope whose field errors each name their field first. */
function assertWellFormedFailure(reply: Reply<unknown>): void {
  assert.ok(reply.status >= 400 && reply.status < 500, `status ${reply.status}: ${reply.text.slice(0, 300)}`);
  for (const error of failureOf(reply)) {
    assert.ok(Number.isInteger(error.code) && error.code >= 1000, `code ${error.code}`);
    assert.ok(error.message.length > 0);
    if (error.source) assert.ok(error.message.startsWith(`${displayPath(error.source.pointer)}: `), `${error.message} does not name ${error.source.pointer}`);
  }
}

function assertNamesField(reply: Reply<unknown>, pointer: string): void {
  assertWellFormedFailure(reply);
  const errors = failureOf(reply);
  assert.ok(
    errors.some((error) => error.source !== undefined && (error.source.pointer === pointer || error.source.pointer.startsWith(`${pointer}/`))),
    `no error names ${pointer}: ${reply.text.slice(0, 400)}`,
  );
}

async function apiWithJob(): Promise<{ api: TestApi; jobPath: string }> {
  const api = testApi({ maxJobsPerZone: 1_000_000 });
  const created = await api.call<{ id: number }>('POST', zonePath('/logpush/jobs'), { body: httpJob() });
  return { api, jobPath: zonePath(`/logpush/jobs/${created.body.result.id}`) };
}

test('a job body with any one field wrong gets a 4xx envelope naming that field, on create and on update', async () => {
  const { api, jobPath } = await apiWithJob();
  await fc.assert(
    fc.asyncProperty(brokenJob, async ({ pointer, body }) => {
      assertNamesField(await api.call('POST', zonePath('/logpush/jobs'), { body }), pointer);
      assertNamesField(await api.call('PUT', jobPath, { body }), pointer);
    }),
    RUNS,
  );
  assert.equal(api.store.jobs().size, 1, 'nothing malformed was stored');
});

test('any JSON value sent to any body route gets a 4xx envelope (or a success), never a 5xx', async () => {
  const { api, jobPath } = await apiWithJob();
  const routes: [string, string][] = [
    ['POST', zonePath('/logpush/jobs')],
    ['PUT', jobPath],
    ['POST', zonePath('/logpush/ownership')],
    ['POST', zonePath('/logpush/ownership/validate')],
    ['POST', zonePath('/logpush/validate/destination')],
    ['POST', zonePath('/logpush/validate/destination/exists')],
    ['POST', zonePath('/logpush/validate/origin')],
    ['PUT', zonePath('/rulesets/phases/http_log_custom_fields/entrypoint')],
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 4 }), async ([method, path], body) => {
      const reply = await api.call(method, path, { body });
      if (reply.status === 200) assert.equal(reply.body.success, true);
      else assertWellFormedFailure(reply);
    }),
    RUNS,
  );
});

test('any text sent as a JSON body gets a 4xx envelope, never a 5xx', async () => {
  const { api, jobPath } = await apiWithJob();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(zonePath('/logpush/jobs'), jobPath), fc.string({ maxLength: 200, unit: 'binary' }), async (path, raw) => {
      const reply = await api.call(path === jobPath ? 'PUT' : 'POST', path, { raw, headers: { 'content-type': 'application/json' } });
      assertWellFormedFailure(reply);
    }),
    RUNS,
  );
});

test('a custom-fields ruleset with a bad header name gets a 4xx naming the name', async () => {
  const { api } = await apiWithJob();
  // A `__proto__` key anywhere refuses the whole body as malformed JSON (json-body.test.ts), before any field is looked at.
  const badName = fc
    .oneof(fc.jsonValue({ maxDepth: 1 }), fc.string({ maxLength: 10 }))
    .map(roundTrip)
    .filter((v) => v !== undefined && !JSON.stringify(v).includes('"__proto__"') && !(typeof v === 'string' && /^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(v)));
  await fc.assert(
    fc.asyncProperty(badName, async (name) => {
      const body = { rules: [{ action: 'log_custom_field', expression: 'true', action_parameters: { request_fields: [{ name }] } }] };
      assertNamesField(await api.call('PUT', zonePath('/rulesets/phases/http_log_custom_fields/entrypoint'), { body }), '/rules/0/action_parameters/request_fields/0/name');
    }),
    RUNS,
  );
});
