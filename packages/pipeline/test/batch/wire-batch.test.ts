// The batch built in a destination's wire encoding: parts that are whole requests within the bounds, compressed once, escaped per record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createGzipBatch, PLAIN_FRAMING } from '../../src/batch/gzip-batch.js';
import type { WireFraming } from '../../src/batch/wire-framing.js';

const ARRAY: WireFraming = {
  name: 'test-array',
  encodeRecord: (record, offset, source) => (record.includes('huge') ? { refused: { code: 'TOO_LARGE', reason: 'over the limit' } } : `{"id":"${source}-${offset}","r":${record.trim()}}`),
  requestPrefix: '[',
  requestSuffix: ']',
  recordDelimiter: ',',
  maxRequestBytes: 200,
  maxRequestRecords: 4,
};

/** The gzip members of a body, each inflated on its own. */
function members(parts: readonly { body: Buffer }[]): string[] {
  return parts.map((part) => gunzipSync(part.body).toString('utf8'));
}

test('a wire batch is a run of parts, each one whole request within the byte and record bounds, in record order', async () => {
  const batch = createGzipBatch(PLAIN_FRAMING, 0, { wire: { wire: ARRAY, source: '7-2' } });
  for (let i = 0; i < 30; i++) batch.add(`{"n":${i},"pad":"${'x'.repeat(i % 5 === 0 ? 60 : 5)}"}\n`, 100 + i, 0);
  const sealed = await batch.seal();

  assert.equal(sealed.encoding, 'test-array');
  const texts = members(sealed.parts);
  assert.ok(texts.length > 30 / 4, `${texts.length} parts: the byte bound cut some before the record bound`);
  for (const [i, text] of texts.entries()) {
    assert.ok(Buffer.byteLength(text) <= ARRAY.maxRequestBytes, `part ${i}: ${Buffer.byteLength(text)} bytes`);
    const entries = JSON.parse(text) as Array<{ id: string; r: { n: number } }>;
    assert.ok(entries.length <= 4);
    assert.equal(entries.length, sealed.parts[i]?.records);
    assert.equal(Buffer.byteLength(text), sealed.parts[i]?.uncompressedBytes);
  }
  const all = texts.flatMap((text) => JSON.parse(text) as Array<{ id: string; r: { n: number } }>);
  assert.deepEqual(all.map((entry) => entry.r.n), Array.from({ length: 30 }, (_, i) => i));
  assert.deepEqual(all.slice(0, 2).map((entry) => entry.id), ['7-2-100', '7-2-101']);
  // The body is the parts one after another, and the parts are views into it: the bytes were produced once.
  assert.equal(Buffer.concat(sealed.parts.map((part) => part.body)).equals(sealed.body), true);
  assert.ok(sealed.parts.every((part) => part.body.buffer === sealed.body.buffer), 'each part is a view into the body, not a copy');
  assert.equal(gunzipSync(sealed.body).toString('utf8'), texts.join(''), 'the body is still one valid (multi-member) gzip file');
});

test('the job’s JNDI escaping applies to each rendered record before the destination wraps it', async () => {
  const seen: string[] = [];
  const wire: WireFraming = { ...ARRAY, encodeRecord: (record) => (seen.push(record), `"${record.trim()}"`) };
  const batch = createGzipBatch({ ...PLAIN_FRAMING, escapeJndi: true }, 0, { wire: { wire, source: 's' } });
  batch.add('${jndi:ldap://x}\n', 0, 0);
  batch.add('a$', 1, 0);
  const sealed = await batch.seal();
  assert.deepEqual(seen, ['x{jndi:ldap://x}\n', 'a$']);
  assert.equal(members(sealed.parts).join(''), '["x{jndi:ldap://x}","a$"]');
});

test('records the encoding refuses are kept out of the parts, and a record it cannot express marks the batch unfit', async () => {
  const batch = createGzipBatch(PLAIN_FRAMING, 0, { wire: { wire: ARRAY, source: 's' } });
  batch.add('{"a":1}', 5, 0);
  batch.add('"huge"', 6, 0);
  batch.add('{"a":3}', 7, 0);
  const sealed = await batch.seal();
  assert.deepEqual(sealed.keptOut, [{ offset: 6, code: 'TOO_LARGE', reason: 'over the limit', document: '"huge"' }]);
  assert.deepEqual(sealed.parts.map((part) => part.records), [2]);
  assert.equal(sealed.records, 3);

  const unfitWire: WireFraming = { ...ARRAY, encodeRecord: (record) => (record.startsWith('{') ? record : { unfit: { code: 'NOT_JSON', message: 'not JSON' } }) };
  const csv = createGzipBatch(PLAIN_FRAMING, 0, { wire: { wire: unfitWire, source: 's' } });
  csv.add('a,b', 0, 0);
  assert.deepEqual((await csv.seal()).unfit, { code: 'NOT_JSON', message: 'not JSON' });
});

test('without a wire encoding the batch is one part, the job’s framing around it, as before', async () => {
  const batch = createGzipBatch({ batchPrefix: '[', batchSuffix: ']', recordDelimiter: ',', escapeJndi: false }, 0);
  batch.add('1', 0, 0);
  batch.add('2', 1, 0);
  const sealed = await batch.seal();
  assert.equal(sealed.encoding, undefined);
  assert.equal(sealed.parts.length, 1);
  assert.ok(sealed.parts[0]?.body.equals(sealed.body), 'the one part is the whole body');
  assert.equal(gunzipSync(sealed.body).toString(), '[1,2]');
  assert.equal(sealed.parts[0]?.records, 2);
});
