import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDataset } from '@sluice/schemas';
import { createNdjsonRenderer } from '../../src/render/ndjson-renderer.js';

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
