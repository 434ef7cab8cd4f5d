import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeEntry } from '../../../src/publish/spool/entry-format.js';
import { scanSegment } from '../../../src/publish/spool/segment-scan.js';

/** A segment of `count` entries of varied sizes, with each entry's offset. */
function segmentOf(sizes: readonly number[]): { bytes: Buffer; offsets: number[] } {
  const entries = sizes.map((size, n) => encodeEntry({ topic: 'http_requests', value: Buffer.alloc(size, n), key: `k${n}`, headers: {}, timestampMs: n }));
  const offsets: number[] = [];
  let at = 0;
  for (const entry of entries) {
    offsets.push(at);
    at += entry.length;
  }
  return { bytes: Buffer.concat(entries), offsets };
}

const sizes = fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 20 });

test('a clean segment scans to every entry and a clean end', () => {
  fc.assert(
    fc.property(sizes, (list) => {
      const { bytes, offsets } = segmentOf(list);
      const scan = scanSegment(bytes);
      assert.deepEqual(scan.entries.map((e) => e.offset), offsets);
      assert.deepEqual(scan.end, { kind: 'clean' });
    }),
  );
});

test('a segment cut anywhere keeps every whole entry before the cut and is torn at the next', () => {
  fc.assert(
    fc.property(sizes, fc.nat(), (list, where) => {
      const { bytes, offsets } = segmentOf(list);
      const cut = where % bytes.length;
      const scan = scanSegment(bytes.subarray(0, cut));
      const whole = offsets.filter((_, i) => (offsets[i + 1] ?? bytes.length) <= cut);
      assert.deepEqual(scan.entries.map((e) => e.offset), whole);
      if (offsets.includes(cut)) assert.deepEqual(scan.end, { kind: 'clean' });
      else assert.deepEqual(scan.end, { kind: 'torn', offset: offsets.filter((o) => o < cut).at(-1) });
      assert.deepEqual(scan.skipped, []);
    }),
  );
});

test('one damaged byte costs only the entry it is in', () => {
  fc.assert(
    fc.property(sizes, fc.nat(), fc.integer({ min: 1, max: 255 }), (list, where, flip) => {
      const { bytes, offsets } = segmentOf(list);
      const at = where % bytes.length;
      bytes[at] = (bytes[at]) ^ flip;
      const hit = offsets.filter((o) => o <= at).at(-1) as number;
      const scan = scanSegment(bytes);
      assert.deepEqual(scan.entries.map((e) => e.offset), offsets.filter((o) => o !== hit));
      const isLast = hit === offsets.at(-1);
      if (isLast) {
        // Nothing intact follows: the rest is torn (a length now pointing past the end) or unreadable.
        assert.notEqual(scan.end.kind, 'clean');
        assert.equal((scan.end as { offset: number }).offset, hit);
      } else {
        assert.deepEqual(scan.skipped, [{ offset: hit, bytes: (offsets[offsets.indexOf(hit) + 1]) - hit }]);
        assert.deepEqual(scan.end, { kind: 'clean' });
      }
    }),
  );
});
