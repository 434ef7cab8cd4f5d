import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecordEncoder } from '@sluice/schemas';
import { compileJob } from '../../src/compile/compile-job.js';
import { parseJob } from '../../src/job/parse-job.js';
import { createRecordStage } from '../../src/stage/record-stage.js';

const ZONE = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';
const encode = createRecordEncoder('http_requests');

function stageFor(document: Record<string, unknown> = {}) {
  const parsed = parseJob({
    id: 9,
    dataset: 'http_requests',
    zone_id: ZONE,
    destination_conf: 's3://b?region=r',
    output_options: { field_names: ['RayID', 'ClientCountry'] },
    ...document,
  });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return createRecordStage(compileJob(parsed.job));
}

test('an in-scope record comes out as its rendered line', () => {
  const stage = stageFor();
  const outcome = stage({ value: encode({ RayID: 'r1', ClientCountry: 'de', _zone_id: ZONE }) }, 0, 0);
  assert.deepEqual(outcome, { kind: 'line', line: '{"RayID":"r1","ClientCountry":"de"}\n' });
});

test('a scope header naming another zone skips the record without decoding it', () => {
  const stage = stageFor();
  const outcome = stage({ value: Buffer.from('not even a record'), headers: { 'sluice-zone-id': Buffer.from(OTHER) } }, 0, 0);
  assert.equal(outcome.kind, 'out-of-scope');
});

test('without a scope header the decoded zone decides', () => {
  const stage = stageFor();
  assert.equal(stage({ value: Buffer.from(JSON.stringify({ RayID: 'x', _zone_id: OTHER })) }, 0, 0).kind, 'out-of-scope');
  assert.equal(stage({ value: Buffer.from(JSON.stringify({ RayID: 'x', _zone_id: ZONE })) }, 0, 0).kind, 'line');
});

test('an undecodable record becomes a dead letter with the decoder’s code and reason', () => {
  const stage = stageFor();
  const outcome = stage({ value: Buffer.from([0xc3, 0x01, 1, 2]), headers: { 'sluice-zone-id': ZONE } }, 0, 0);
  assert.equal(outcome.kind, 'dead-letter');
  assert.ok(outcome.kind === 'dead-letter' && outcome.code.startsWith('DECODE_'), JSON.stringify(outcome));
});

test('the filter and the sampler each name their verdict', () => {
  const filtered = stageFor({ filter: JSON.stringify({ where: { key: 'ClientCountry', operator: 'eq', value: 'de' } }) });
  assert.equal(filtered({ value: encode({ RayID: 'a', ClientCountry: 'us', _zone_id: ZONE }) }, 0, 0).kind, 'filtered');
  const sampled = stageFor({ output_options: { field_names: ['RayID'], sample_rate: 0.5 } });
  const kinds = new Set(Array.from({ length: 64 }, (_, offset) => sampled({ value: encode({ RayID: 'b', _zone_id: ZONE }) }, 0, offset).kind));
  assert.deepEqual([...kinds].sort(), ['line', 'sampled']);
});

test('the same message at the same position always has the same outcome (replays decide alike)', () => {
  const stage = stageFor({ output_options: { field_names: ['RayID'], sample_rate: 0.3 } });
  const message = { value: encode({ RayID: 'c', _zone_id: ZONE }) };
  for (let offset = 0; offset < 32; offset++) assert.deepEqual(stage(message, 2, offset), stage(message, 2, offset));
});
