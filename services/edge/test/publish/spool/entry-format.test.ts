import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkEntryAt, decodeEntry, encodeEntry, ENTRY_HEADER_BYTES } from '../../../src/publish/spool/entry-format.js';
import type { PublishedMessage } from '../../../src/publish/published-message.js';

const messages: fc.Arbitrary<PublishedMessage> = fc
  .record({
    topic: fc.string({ unit: 'grapheme', maxLength: 40 }),
    value: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    key: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
    // Spread into a plain object: the decoder builds plain objects, fast-check's have no prototype.
    headers: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 40 }), { maxKeys: 5 }).map((h) => ({ ...h })),
    timestampMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  })
  .map(({ key, ...rest }) => (key === undefined ? rest : { ...rest, key }));

test('an encoded message decodes to the same message', () => {
  fc.assert(
    fc.property(messages, (original) => {
      const entry = encodeEntry(original);
      const check = checkEntryAt(entry, 0);
      assert.deepEqual(check, { kind: 'entry', size: entry.length });
      assert.deepEqual(decodeEntry(entry, 0, entry.length), original);
    }),
  );
});

test('a header named __proto__ stays a header', () => {
  const headers = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
  const entry = encodeEntry({ topic: 't', value: Buffer.from('v'), headers, timestampMs: 1 });
  const decoded = decodeEntry(entry, 0, entry.length);
  assert.deepEqual(Object.entries(decoded?.headers ?? {}), [['__proto__', 'x'], ['a', 'b']]);
});

test('any changed byte makes the entry fail its check', () => {
  fc.assert(
    fc.property(messages, fc.nat(), fc.integer({ min: 1, max: 255 }), (original, where, flip) => {
      const entry = encodeEntry(original);
      const at = where % entry.length;
      entry[at] = (entry[at]) ^ flip;
      assert.notEqual(checkEntryAt(entry, 0).kind, 'entry');
    }),
  );
});

test('an entry cut short is reported as short, not as damage', () => {
  const entry = encodeEntry({ topic: 't', value: Buffer.alloc(100, 7), headers: {}, timestampMs: 1 });
  for (const cut of [1, 4, ENTRY_HEADER_BYTES - 1, ENTRY_HEADER_BYTES, entry.length - 1]) {
    assert.equal(checkEntryAt(entry.subarray(0, cut), 0).kind, 'short', `cut at ${cut}`);
  }
});
