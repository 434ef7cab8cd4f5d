// Tests for reading a gzip batch line by line, a block at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { gunzipLines } from '../../src/gzip/gunzip-lines.js';

async function collect(body: Buffer): Promise<string[]> {
  const lines: string[] = [];
  for await (const block of gunzipLines(body)) lines.push(...block);
  return lines;
}

test('every line comes out without its line break, blank ones included; a last line without a break counts', async () => {
  assert.deepEqual(await collect(gzipSync('a\n\nb\r\nc')), ['a', '', 'b\r', 'c']);
  assert.deepEqual(await collect(gzipSync('a\n')), ['a']);
  assert.deepEqual(await collect(gzipSync('')), []);
});

test('multi-byte characters and lines that span many inflated chunks come out whole', async () => {
  const lines = Array.from({ length: 5_000 }, (_, i) => `{"n":${i},"t":"ünïcødé ${'é'.repeat(i % 50)}"}`);
  lines.push('x'.repeat(300_000));
  assert.deepEqual(await collect(gzipSync(`${lines.join('\n')}\n`)), lines);
});

test('a large body comes out in several blocks, none holding the whole text', async () => {
  const lines = Array.from({ length: 50_000 }, (_, i) => `{"n":${i}}`);
  const sizes: number[] = [];
  for await (const block of gunzipLines(gzipSync(`${lines.join('\n')}\n`))) sizes.push(block.length);
  assert.ok(sizes.length > 5 && Math.max(...sizes) < lines.length / 2, sizes.join(','));
  assert.equal(sizes.reduce((a, b) => a + b, 0), lines.length);
});

test('a body that is not gzip rejects while it is read', async () => {
  await assert.rejects(collect(Buffer.from('not gzip at all')));
});
