// Tests for cutting a stream of items into bounded requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutRequests } from '../../src/request-cutting/cut-requests.js';
import type { RequestLimits } from '../../src/request-cutting/cut-requests.js';

/** The items in blocks of `size`, counting the blocks pulled. */
async function* from<T>(items: readonly T[], size = 2, pulled: { count: number } = { count: 0 }): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += size) {
    pulled.count++;
    yield await Promise.resolve(items.slice(i, i + size));
  }
}

async function cut(items: readonly string[], limits: RequestLimits): Promise<string[][]> {
  const runs: string[][] = [];
  for await (const run of cutRequests(from(items), (item) => item.length, limits)) runs.push(run);
  return runs;
}

test('runs stay within the byte bound, framing and separators included, and keep the order', async () => {
  assert.deepEqual(await cut(['aaa', 'bbb', 'ccc', 'dd', 'e'], { maxBytes: 6 }), [['aaa', 'bbb'], ['ccc', 'dd', 'e']]);
  // [aaa,bbb] would be 9 bytes, over 8; [bbb,dd] is exactly 8.
  assert.deepEqual(await cut(['aaa', 'bbb', 'dd', 'e'], { maxBytes: 8, framingBytes: 2, separatorBytes: 1 }), [['aaa'], ['bbb', 'dd'], ['e']]);
});

test('runs hold at most maxItems, and an item larger than the bound goes alone', async () => {
  assert.deepEqual(await cut(['a', 'b', 'c', 'd', 'e'], { maxBytes: 100, maxItems: 2 }), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.deepEqual(await cut(['a', 'huge-item', 'b'], { maxBytes: 3 }), [['a'], ['huge-item'], ['b']]);
  assert.deepEqual(await cut([], { maxBytes: 3 }), []);
});

test('blocks are pulled only as far as the run being filled: one block past the run handed out', async () => {
  const pulled = { count: 0 };
  const runs = cutRequests(from(Array.from({ length: 1_000 }, () => 'xx'), 3, pulled), (item) => item.length, { maxBytes: 10 });
  const first = await runs.next();
  assert.equal(first.value?.length, 5);
  assert.equal(pulled.count, 2, 'the 5 items of the first run come from blocks 1 and 2; the sixth item, in block 2, ended the run');
  await runs.return(undefined);
});
