import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRecordDecoder, createRecordEncoder } from '@sluice/schemas';
import { createJobDecoder } from '../../src/decode/create-job-decoder.js';
import { createProjectingJsonReader } from '../../src/decode/projecting-json-reader.js';
import { compileJob } from '../../src/compile/compile-job.js';
import { parseJob } from '../../src/job/parse-job.js';
import { createRecordStage } from '../../src/stage/record-stage.js';
import { recordBytes, recordText, ZONE } from './json-text-arbitraries.js';

const FIELDS = ['RayID', 'ClientIP', 'EdgeStartTimestamp', 'EdgeResponseStatus', 'EdgeResponseCompressionRatio', 'RequestHeaders', 'Cookies', 'SecurityActions', 'BotDetectionIDs', 'WorkerSubrequest', 'JA4Signals'];
const RUNS = Number(process.env['SLUICE_PROPERTY_RUNS'] ?? '3000');

const reference = createRecordDecoder('http_requests', { fields: FIELDS });
const decoder = createJobDecoder('http_requests', { fields: FIELDS });

test('the job decoder gives the reference decoder\'s outcome for every generated JSON record', () => {
  fc.assert(
    fc.property(recordText, (text) => {
      const bytes = Buffer.from(text);
      assert.deepStrictEqual(decoder(bytes), reference(bytes));
    }),
    { numRuns: RUNS },
  );
});

test('the job decoder gives the reference decoder\'s outcome, code and message for broken, cut and mis-encoded records', () => {
  fc.assert(
    fc.property(recordBytes, (bytes) => {
      assert.deepStrictEqual(decoder(bytes), reference(bytes));
    }),
    { numRuns: RUNS },
  );
});

function stagesFor(fieldNames: readonly string[], customFields: { requestHeaders: string[]; responseHeaders: string[]; cookies: string[] }) {
  const parsed = parseJob({ id: 4, dataset: 'http_requests', zone_id: ZONE, destination_conf: 's3://b?region=r', output_options: { field_names: fieldNames } });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const compiled = compileJob(parsed.job, { customFields });
  const referenceDecode = createRecordDecoder('http_requests', { fields: fieldNames });
  return { stage: createRecordStage(compiled), referenceStage: createRecordStage({ ...compiled, decode: referenceDecode }) };
}

test('a job whose custom fields trim the header maps renders every generated record as it did with whole maps', () => {
  const { stage, referenceStage } = stagesFor(['RayID', 'RequestHeaders', 'ResponseHeaders', 'Cookies', 'EdgeStartTimestamp'], {
    requestHeaders: ['cf-access-user', 'İ'],
    responseHeaders: [],
    cookies: ['x', '__proto__'],
  });
  fc.assert(
    fc.property(recordBytes, fc.nat(5), fc.nat(1000), (bytes, partition, offset) => {
      assert.deepStrictEqual(stage({ value: bytes }, partition, offset), referenceStage({ value: bytes }, partition, offset));
    }),
    { numRuns: RUNS },
  );
});

test('integers beyond 2^53 stay exact through decoding and rendering', () => {
  const { stage } = stagesFor(['RayID', 'EdgeStartTimestamp', 'EdgeResponseBytes'], { requestHeaders: [], responseHeaders: [], cookies: [] });
  const text = `{"RayID":"r","EdgeStartTimestamp":1700000000016478501,"EdgeResponseBytes":9007199254740993,"_zone_id":"${ZONE}"}`;
  assert.deepStrictEqual(stage({ value: Buffer.from(text) }, 0, 0), { kind: 'line', line: '{"RayID":"r","EdgeStartTimestamp":1700000000016478501,"EdgeResponseBytes":9007199254740993}\n' });
});

test('only the listed header is built from a record\'s RequestHeaders, in any case the producer wrote it', () => {
  const read = createProjectingJsonReader(new Map([['RequestHeaders', 'map']]), new Map([['RequestHeaders', (key: string) => key.toLowerCase() === 'cf-access-user']]));
  assert.deepStrictEqual(read('{"RequestHeaders":{"accept":"*/*","CF-Access-User":"lchen","x":"y"}}'), { RequestHeaders: { 'CF-Access-User': 'lchen' } });
});

test('the projecting reader leaves repeated wanted keys, malformed text and invalid values to the reference decoder', () => {
  const read = createProjectingJsonReader(new Map([['RayID', 'string'], ['EdgeResponseStatus', 'int']]));
  assert.deepStrictEqual(read('{"RayID":"a","Other":[1,{"b":null}],"EdgeResponseStatus":200}'), { RayID: 'a', EdgeResponseStatus: 200 });
  assert.equal(read('{"RayID":"a","RayID":"b"}'), undefined);
  assert.equal(read('{"RayID":"a","Other":[1,]}'), undefined);
  assert.equal(read('{"RayID":"a","Other":"tab\there"}'), undefined);
  assert.equal(read('{"EdgeResponseStatus":"200"}'), undefined);
});

test('a repeated key keeps its last value and malformed JSON is dead-lettered with the reference message', () => {
  const repeated = Buffer.from(`{"RayID":"first","RayID":"last","_zone_id":"${ZONE}"}`);
  assert.deepStrictEqual(decoder(repeated), { ok: true, record: { RayID: 'last', _zone_id: ZONE } });
  const broken = Buffer.from('{"RayID":"a",}');
  const outcome = decoder(broken);
  assert.equal(outcome.ok, false);
  assert.deepStrictEqual(outcome, reference(broken));
});

test('unicode escapes in keys and values decode as JSON.parse decodes them', () => {
  const bytes = Buffer.from('{"\\u0052ayID":"caf\\u00e9 \\ud83d\\ude00","ClientIP":"\\u0031.2.3.4"}');
  assert.deepStrictEqual(decoder(bytes), { ok: true, record: { RayID: 'café 😀', ClientIP: '1.2.3.4' } });
});

test('Avro records are decoded exactly as before', () => {
  const bytes = createRecordEncoder('http_requests')({ RayID: 'r1', EdgeStartTimestamp: 1700000000016478500n, RequestHeaders: { a: 'b' }, _zone_id: ZONE });
  assert.deepStrictEqual(decoder(bytes), reference(bytes));
});
