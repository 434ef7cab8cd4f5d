// Open batches meet the destination's wire encoding once per job: a batch for Elasticsearch is built as its bulk requests, one for S3 as one body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createElasticsearchDestination, parseElasticsearchConf } from '@sluice/destinations';
import type { HttpClient } from '@sluice/destinations';
import { createOpenBatches } from '../../src/record-path/open-batches.js';

const framing = { batchPrefix: '[', batchSuffix: ']', recordDelimiter: ',', escapeJndi: true };

test('with a wire encoding, the batch is the destination’s requests: its framing, not the job’s, ids from job, partition and offset, JNDI escaped', async () => {
  const parsed = parseElasticsearchConf('elasticsearch://es.example.com:9200/logs?tls=false');
  assert.ok(parsed.ok);
  const bodies: Buffer[] = [];
  const transport: HttpClient = {
    send: (request) => {
      bodies.push(request.body);
      return Promise.resolve({ ok: true, reply: { status: 200, statusText: '', header: () => null, body: JSON.stringify({ errors: false, items: [{ create: { status: 201 } }, { create: { status: 201 } }] }) } });
    },
    close: () => Promise.resolve(),
  };
  const destination = createElasticsearchDestination(parsed.config, { transport });
  const open = createOpenBatches(framing, { jobId: 9, wireEncoding: destination.wireEncoding });
  const batch = open.open(4, 0);
  batch.add('{"a":"${jndi:x}"}\n', 70, 0);
  batch.add('{"a":2}\n', 71, 0);
  const sealed = await batch.seal();

  const expected = '{"create":{"_id":"9-4-70"}}\n{"a":"x{jndi:x}"}\n{"create":{"_id":"9-4-71"}}\n{"a":2}\n';
  assert.equal(gunzipSync(sealed.body).toString('utf8'), expected);
  assert.equal(sealed.encoding, destination.wireEncoding?.name);
  const result = await destination.deliver({ ...sealed, suffix: 'job9-p4-o70', origin: { jobId: 9, partition: 4, offsets: sealed.offsets } }, new AbortController().signal);
  assert.equal(result.status, 'delivered');
  assert.deepEqual(bodies, [sealed.body], 'the one part went out byte for byte as built');
});

test('without a wire encoding (S3, generic HTTP), the batch is the job’s framing in one body', async () => {
  const open = createOpenBatches(framing, { jobId: 9 });
  const batch = open.open(0, 0);
  batch.add('{"a":1}', 1, 0);
  batch.add('{"a":2}', 2, 0);
  const sealed = await batch.seal();
  assert.equal(gunzipSync(sealed.body).toString('utf8'), '[{"a":1},{"a":2}]');
  assert.equal(sealed.parts.length, 1);
  assert.equal(sealed.encoding, undefined);
});
