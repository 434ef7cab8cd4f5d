import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultThreadCount, MAX_PUSHER_THREADS, parseThreadCount, parseThreadHeapMb } from '../../src/threads/thread-count.js';

void test('a thread count from 1 to 64 is taken as given', () => {
  assert.deepEqual(parseThreadCount('1', '--threads'), { ok: true, threads: 1 });
  assert.deepEqual(parseThreadCount('8', '--threads'), { ok: true, threads: 8 });
  assert.deepEqual(parseThreadCount(String(MAX_PUSHER_THREADS), '--threads'), { ok: true, threads: 64 });
});

void test('no thread count means one thread per core, within the bounds', () => {
  assert.deepEqual(parseThreadCount(undefined, '--threads', () => 6), { ok: true, threads: 6 });
  assert.deepEqual(parseThreadCount('', 'SLUICE_BENCH_PUSHER_THREADS', () => 2), { ok: true, threads: 2 });
  assert.equal(defaultThreadCount(() => 256), 64);
  assert.equal(defaultThreadCount(() => 0), 1);
});

void test('a bad thread count is refused with its code, naming the flag and the value', () => {
  for (const bad of ['0', '65', '-2', '1.5', 'two', '3x', '1e1', '0x4']) {
    const result = parseThreadCount(bad, '--threads');
    assert.equal(result.ok, false, bad);
    if (result.ok) continue;
    assert.equal(result.code, 'PUSHER_THREADS_INVALID');
    assert.equal(result.message, `--threads must be an integer from 1 to 64 (e.g. 4), got "${bad}"`);
  }
  const env = parseThreadCount('lots', 'SLUICE_BENCH_PUSHER_THREADS');
  assert.ok(!env.ok && env.message.startsWith('SLUICE_BENCH_PUSHER_THREADS must be'));
});

void test('a thread heap cap is a whole number of MB from 128 to 65536, absent means the default, and a bad one names its source and value', () => {
  assert.deepEqual(parseThreadHeapMb(undefined, '--thread-heap-mb'), { ok: true, heapMb: undefined });
  assert.deepEqual(parseThreadHeapMb('1536', '--thread-heap-mb'), { ok: true, heapMb: 1536 });
  for (const bad of ['127', '65537', '512.5', 'lots', '', ' 512']) {
    assert.deepEqual(parseThreadHeapMb(bad, 'SLUICE_BENCH_THREAD_HEAP_MB'), { ok: false, code: 'PUSHER_THREAD_HEAP_INVALID', message: `SLUICE_BENCH_THREAD_HEAP_MB must be a whole number of MB from 128 to 65536, got "${bad}"` }, bad);
  }
});
