// NDJSON layout: `"Name":<json>` pairs in field_names order, framed by the record prefix, delimiter and suffix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDataset } from '@sluice/schemas';
import { createNdjsonRenderer } from '../../src/render/ndjson-renderer.js';
import type { TimestampFormat } from '../../src/render/value-encoders.js';

const dataset = getDataset('http_requests');

test('renders the published Logpush NDJSON example byte for byte', () => {
  const render = createNdjsonRenderer(dataset, { fieldNames: ['ClientIP', 'EdgeStartTimestamp', 'RayID'], timestampFormat: 'unixnano' });
  const line = render({ ClientIP: '89.163.242.206', EdgeStartTimestamp: 1506702504433000200n, RayID: '3a6050bcbe121a87', ClientASN: 1 });
  assert.equal(line, '{"ClientIP":"89.163.242.206","EdgeStartTimestamp":1506702504433000200,"RayID":"3a6050bcbe121a87"}\n');
});

test('fields come out in field_names order, with dataset types: ints, bools, maps, arrays', () => {
  const render = createNdjsonRenderer(dataset, {
    fieldNames: ['EdgeResponseStatus', 'WorkerSubrequest', 'RequestHeaders', 'SecuritySources', 'ClientRequestURI'],
    timestampFormat: 'unixnano',
  });
  const line = render({
    ClientRequestURI: '/a?b="c"\n',
    RequestHeaders: { 'cf-access-user': 'srhea' },
    SecuritySources: ['waf', 'rateLimit'],
    WorkerSubrequest: false,
    EdgeResponseStatus: 200,
  });
  assert.equal(line, '{"EdgeResponseStatus":200,"WorkerSubrequest":false,"RequestHeaders":{"cf-access-user":"srhea"},"SecuritySources":["waf","rateLimit"],"ClientRequestURI":"/a?b=\\"c\\"\\n"}\n');
  assert.deepEqual(Object.keys(JSON.parse(line) as object), ['EdgeResponseStatus', 'WorkerSubrequest', 'RequestHeaders', 'SecuritySources', 'ClientRequestURI']);
});

test('absent values render as null so every line has the same keys', () => {
  const render = createNdjsonRenderer(dataset, { fieldNames: ['ClientIP', 'RayID'], timestampFormat: 'unixnano' });
  assert.equal(render({ RayID: 'x' }), '{"ClientIP":null,"RayID":"x"}\n');
});

test('a field the dataset does not have is a programming error at compile time', () => {
  assert.throws(() => createNdjsonRenderer(dataset, { fieldNames: ['Nope'], timestampFormat: 'unixnano' }), /Nope is not a field of http_requests/);
});

test('the record prefix, suffix and field delimiter replace the defaults, keys and values unchanged', () => {
  const render = createNdjsonRenderer(dataset, {
    fieldNames: ['ClientIP', 'EdgeResponseStatus'],
    timestampFormat: 'unixnano',
    recordPrefix: '\n  {"info":{',
    recordSuffix: '}}',
    fieldDelimiter: ', ',
  });
  assert.equal(render({ ClientIP: '1.2.3.4', EdgeResponseStatus: 404 }), '\n  {"info":{"ClientIP":"1.2.3.4", "EdgeResponseStatus":404}}');
});

test('a single field has the prefix and the suffix and no delimiter', () => {
  const render = createNdjsonRenderer(dataset, { fieldNames: ['RayID'], timestampFormat: 'unixnano', fieldDelimiter: '|' });
  assert.equal(render({ RayID: 'r' }), '{"RayID":"r"}\n');
});

test('every timestamp format renders in NDJSON: integers for unixnano and unix, strings for rfc3339* (truncated, not rounded)', () => {
  const record = { EdgeStartTimestamp: 1506702504433000200n, EdgeEndTimestamp: 1506702504999999999n };
  const line = (timestampFormat: TimestampFormat): string =>
    createNdjsonRenderer(dataset, { fieldNames: ['EdgeStartTimestamp', 'EdgeEndTimestamp'], timestampFormat })(record);
  assert.equal(line('unixnano'), '{"EdgeStartTimestamp":1506702504433000200,"EdgeEndTimestamp":1506702504999999999}\n');
  assert.equal(line('unix'), '{"EdgeStartTimestamp":1506702504,"EdgeEndTimestamp":1506702504}\n');
  assert.equal(line('rfc3339'), '{"EdgeStartTimestamp":"2017-09-29T16:28:24Z","EdgeEndTimestamp":"2017-09-29T16:28:24Z"}\n');
  assert.equal(line('rfc3339ms'), '{"EdgeStartTimestamp":"2017-09-29T16:28:24.433Z","EdgeEndTimestamp":"2017-09-29T16:28:24.999Z"}\n');
  assert.equal(line('rfc3339ns'), '{"EdgeStartTimestamp":"2017-09-29T16:28:24.433000200Z","EdgeEndTimestamp":"2017-09-29T16:28:24.999999999Z"}\n');
});

test('ints beyond 2^53 and floats keep their exact text; a float JSON cannot carry is null', () => {
  const render = createNdjsonRenderer(dataset, { fieldNames: ['CacheResponseBytes', 'EdgeResponseCompressionRatio', 'BotDetectionIDs'], timestampFormat: 'unixnano' });
  assert.equal(
    render({ CacheResponseBytes: 9007199254740993n, EdgeResponseCompressionRatio: 0.25, BotDetectionIDs: [9223372036854775807n] }),
    '{"CacheResponseBytes":9007199254740993,"EdgeResponseCompressionRatio":0.25,"BotDetectionIDs":[9223372036854775807]}\n',
  );
  assert.equal(render({ EdgeResponseCompressionRatio: NaN }), '{"CacheResponseBytes":null,"EdgeResponseCompressionRatio":null,"BotDetectionIDs":null}\n');
});
