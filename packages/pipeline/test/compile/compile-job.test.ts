import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecordEncoder } from '@sluice/schemas';
import { compileJob } from '../../src/compile/compile-job.js';
import { parseJob } from '../../src/job/parse-job.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';

function compiled() {
  const parsed = parseJob({
    id: 1,
    dataset: 'http_requests',
    zone_id: ZONE,
    destination_conf: 's3://b?region=r',
    output_options: { field_names: ['RayID', 'EdgeStartTimestamp'] },
  });
  assert.ok(parsed.ok);
  return compileJob(parsed.job);
}

test('a compiled job decodes, scopes and renders an Avro record from Kafka', () => {
  const job = compiled();
  const bytes = createRecordEncoder('http_requests')({ RayID: 'r1', EdgeStartTimestamp: 1700000000016478500n, ClientIP: '1.2.3.4', _zone_id: ZONE });
  const decoded = job.decode(bytes);
  assert.ok(decoded.ok);
  assert.equal(job.inScope(decoded.record), true);
  assert.equal(job.render(decoded.record), '{"RayID":"r1","EdgeStartTimestamp":1700000000016478500}\n');
});

test('records of another zone are out of scope, by header bytes or by decoded field', () => {
  const job = compiled();
  assert.equal(job.scopeHeader, 'sluice-zone-id');
  assert.ok(job.scopeIdBytes.equals(Buffer.from(ZONE)));
  const decoded = job.decode(Buffer.from(JSON.stringify({ RayID: 'r2', _zone_id: OTHER })));
  assert.ok(decoded.ok);
  assert.equal(job.inScope(decoded.record), false);
});

function compiledWith(document: Record<string, unknown>, options = {}) {
  const parsed = parseJob({ id: 3, dataset: 'http_requests', zone_id: ZONE, destination_conf: 's3://b?region=r', ...document });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return compileJob(parsed.job, options);
}

test('the filter reads fields the job does not deliver: the decoder materialises them for it', () => {
  const job = compiledWith({
    filter: JSON.stringify({ where: { key: 'ClientCountry', operator: 'in', value: ['de', 'fr'] } }),
    output_options: { field_names: ['RayID'] },
  });
  const encode = createRecordEncoder('http_requests');
  const keep = job.decode(encode({ RayID: 'k', ClientCountry: 'de', _zone_id: ZONE }));
  const drop = job.decode(encode({ RayID: 'd', ClientCountry: 'us', _zone_id: ZONE }));
  assert.ok(keep.ok && drop.ok);
  assert.equal(job.filter?.(keep.record), true);
  assert.equal(job.filter?.(drop.record), false);
  assert.equal(job.render(keep.record), '{"RayID":"k"}\n');
});

test('a job without filter or sampling has neither stage', () => {
  const job = compiledWith({ output_options: { field_names: ['RayID'] } });
  assert.equal(job.filter, undefined);
  assert.equal(job.sample, undefined);
  assert.equal(job.project, undefined);
});

test('sampling is seeded by the job id unless told otherwise', () => {
  const a = compiledWith({ output_options: { field_names: ['RayID'], sample_rate: 0.5 } });
  const b = compiledWith({ output_options: { field_names: ['RayID'], sample_rate: 0.5 } }, { sampleSeed: 3 });
  const c = compiledWith({ output_options: { field_names: ['RayID'], sample_rate: 0.5 } }, { sampleSeed: 4 });
  const decisions = (job: typeof a) => Array.from({ length: 64 }, (_, offset) => job.sample?.(0, offset));
  assert.deepEqual(decisions(a), decisions(b));
  assert.notDeepEqual(decisions(a), decisions(c));
});

test('project then render: only the zone’s listed header reaches CSV output, with rfc3339 timestamps', () => {
  const job = compiledWith(
    { output_options: { field_names: ['RayID', 'EdgeStartTimestamp', 'RequestHeaders'], output_type: 'csv', timestamp_format: 'rfc3339' } },
    { customFields: { requestHeaders: ['cf-access-user'], responseHeaders: [], cookies: [] } },
  );
  const decoded = job.decode(
    createRecordEncoder('http_requests')({
      RayID: '5y1250bcjd621y99',
      EdgeStartTimestamp: 1573379467000000000n,
      RequestHeaders: { 'cf-access-user': 'srhea', authorization: 'Bearer secret' },
      _zone_id: ZONE,
    }),
  );
  assert.ok(decoded.ok);
  job.project?.(decoded.record);
  assert.equal(job.render(decoded.record), '"5y1250bcjd621y99","2019-11-10T09:51:07Z","{""cf-access-user"":""srhea""}"\n');
  assert.deepEqual(job.framing, { batchPrefix: '', batchSuffix: '', recordDelimiter: '', escapeJndi: false });
});
