// Record templates rendered: JSON values for ndjson, CSV values for csv, inside the record prefix and suffix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDataset } from '@sluice/schemas';
import { createRecordRenderer } from '../../src/render/create-renderer.js';
import { resolveOutputFormat } from '../../src/render/output-format.js';
import type { OutputOptionsDocument } from '../../src/job/job-schema.js';
import type { RecordRenderer } from '../../src/render/record-renderer.js';

const dataset = getDataset('http_requests');
const PUBLISHED = { ClientIP: '89.163.242.206', EdgeStartTimestamp: 1506702504433000200n, RayID: '3a6050bcbe121a87' };

function renderer(options: OutputOptionsDocument & { field_names: string[] }): RecordRenderer {
  return createRecordRenderer(dataset, { fieldNames: options.field_names, format: resolveOutputFormat(options) });
}

test('renders the published template example byte for byte, inside the default { and }\\n', () => {
  const render = renderer({
    field_names: ['ClientIP', 'EdgeStartTimestamp', 'RayID'],
    record_template: '"client-ip":{{.ClientIP}},"timestamp":{{.EdgeStartTimestamp}},"ray-id":{{.RayID}}',
  });
  assert.equal(render(PUBLISHED), '{"client-ip":"89.163.242.206","timestamp":1506702504433000200,"ray-id":"3a6050bcbe121a87"}\n');
});

test('template values are the NDJSON encodings: escaped strings, maps, arrays, bools, absent as null', () => {
  const render = renderer({
    field_names: ['ClientRequestURI', 'RequestHeaders', 'SecuritySources', 'WorkerSubrequest', 'RayID'],
    record_template: '"u":{{.ClientRequestURI}},"h":{{.RequestHeaders}},"s":{{.SecuritySources}},"w":{{.WorkerSubrequest}},"r":{{.RayID}}',
  });
  const line = render({ ClientRequestURI: '/"x"\n', RequestHeaders: { a: 'b' }, SecuritySources: ['waf'], WorkerSubrequest: true });
  assert.equal(line, '{"u":"/\\"x\\"\\n","h":{"a":"b"},"s":["waf"],"w":true,"r":null}\n');
  assert.deepEqual(JSON.parse(line), { u: '/"x"\n', h: { a: 'b' }, s: ['waf'], w: true, r: null });
});

test('a template field that is not in field_names renders null even when the record has it', () => {
  const render = renderer({ field_names: ['RayID'], record_template: '"ip":{{.ClientIP}},"ray":{{.RayID}}' });
  assert.equal(render({ ClientIP: '1.2.3.4', RayID: 'r' }), '{"ip":null,"ray":"r"}\n');
});

test('the field delimiter is ignored and the record prefix and suffix still wrap the template', () => {
  const render = renderer({
    field_names: ['ClientIP', 'RayID'],
    field_delimiter: '|',
    record_prefix: '[',
    record_suffix: ']\n',
    record_template: '{{.ClientIP}}, {{.RayID}}',
  });
  assert.equal(render({ ClientIP: 'a', RayID: 'b' }), '["a", "b"]\n');
});

test('string constants, raw strings, comments and trim markers shape the output', () => {
  const render = renderer({
    field_names: ['RayID'],
    record_prefix: '',
    record_suffix: '\n',
    record_template: '{{/* Logpush-style braces: */}}{{`{{`}} ray={{- " " -}}   {{ .RayID }} {{"\\u263A"}}{{`}}`}}',
  });
  assert.equal(render({ RayID: 'r' }), '{{ ray= "r" ☺}}\n');
});

test('with output_type csv a template uses CSV values: quoted strings, bare numbers, empty when absent', () => {
  const render = renderer({
    output_type: 'csv',
    field_names: ['ClientIP', 'EdgeStartTimestamp', 'EdgeResponseStatus', 'RayID'],
    timestamp_format: 'rfc3339',
    record_template: '{{.ClientIP}};{{.EdgeStartTimestamp}};{{.EdgeResponseStatus}};{{.RayID}};{{.ClientCountry}}',
  });
  assert.equal(render({ ClientIP: 'say "hi"', EdgeStartTimestamp: 1506702504433000200n, EdgeResponseStatus: 200 }), '"say ""hi""";"2017-09-29T16:28:24Z";200;;\n');
});

test('a template that was not validated is a programming error at compile time', () => {
  assert.throws(() => renderer({ field_names: ['RayID'], record_template: '{{ .RayID | upper }}' }), /record_template was not validated: .*pipelines/);
});
