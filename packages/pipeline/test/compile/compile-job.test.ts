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
