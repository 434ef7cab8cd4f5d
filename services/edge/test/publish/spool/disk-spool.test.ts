import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDiskSpool } from '../../../src/publish/spool/disk-spool.js';
import type { DiskSpool, DiskSpoolOptions, SpoolBatch } from '../../../src/publish/spool/disk-spool.js';
import { encodeEntry } from '../../../src/publish/spool/entry-format.js';
import { capturingLogger, message, tempSpoolDir } from '../publish-fixtures.js';

function spoolOptions(dir: string, extra: Partial<DiskSpoolOptions> = {}): DiskSpoolOptions {
  return { dir, maxBytes: 1024 * 1024, segmentMaxBytes: 1024 * 1024, syncIntervalMs: 100, logger: capturingLogger().logger, now: Date.now, ...extra };
}

const values = (batch: SpoolBatch): string[] => batch.entries.map((e) => e.message.value.toString());
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `r${from + i}`);
const segmentFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();

async function readAll(spool: DiskSpool): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const batch = await spool.readBatch(1000);
    if (batch.entries.length === 0) return out;
    out.push(...values(batch));
    await spool.acknowledge(batch, batch.entries);
  }
}

test('entries come back in append order with every field intact', async (t) => {
  const spool = await openDiskSpool(spoolOptions(tempSpoolDir(t)));
  const original = { topic: 'access_requests', value: Buffer.from([0, 1, 2, 255]), key: 'ray-ü', headers: { a: '1', 'b-ß': 'two' }, timestampMs: 1_700_000_000_123 };
  spool.append(original);
  spool.append({ topic: 't', value: Buffer.alloc(0), headers: {}, timestampMs: 0 });
  const batch = await spool.readBatch(10);
  assert.deepEqual(batch.entries[0]?.message, original);
  assert.deepEqual(batch.entries[1]?.message, { topic: 't', value: Buffer.alloc(0), headers: {}, timestampMs: 0 });
  await spool.close();
});

test('segments roll over at segmentMaxBytes and are deleted once replayed', async (t) => {
  const dir = tempSpoolDir(t);
  const entryBytes = encodeEntry(message(10)).length;
  const spool = await openDiskSpool(spoolOptions(dir, { segmentMaxBytes: entryBytes * 10 }));
  for (let n = 10; n < 60; n++) spool.append(message(n));
  await spool.flush();
  const before = segmentFiles(dir);
  assert.equal(before.length, 5, `segments: ${before.join(' ')}`);
  for (const file of before) assert.ok(statSync(join(dir, file)).size <= entryBytes * 10);
  assert.equal(spool.stats().bytes, entryBytes * 50);

  // 25 entries: the first two segments are done, the third half.
  const batch = await spool.readBatch(25);
  assert.deepEqual(values(batch), range(10, 34));
  await spool.acknowledge(batch, batch.entries);
  assert.deepEqual(segmentFiles(dir), before.slice(2));
  assert.equal(spool.stats().records, 25);
  assert.equal(spool.stats().bytes, entryBytes * 30);

  assert.deepEqual(await readAll(spool), range(35, 59));
  assert.deepEqual(segmentFiles(dir), [], 'an empty spool keeps no segment');
  assert.equal(spool.stats().bytes, 0);
  assert.equal(spool.isEmpty(), true);
  await spool.close();
});

test('the head file keeps acknowledged entries from coming back after reopening', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 1; n <= 10; n++) spool.append(message(n));
  const batch = await spool.readBatch(4);
  await spool.acknowledge(batch, batch.entries);
  // Read but not acknowledged: these must come back.
  await spool.readBatch(3);
  await spool.close();

  const reopened = await openDiskSpool(spoolOptions(dir));
  assert.equal(reopened.stats().records, 6);
  assert.deepEqual(await readAll(reopened), range(5, 10));
  await reopened.close();
});

test('a batch put ahead of the head replays first, also after reopening', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 3; n <= 5; n++) spool.append(message(n));
  await spool.prepend([message(1), message(2)]);
  for (let n = 6; n <= 7; n++) spool.append(message(n));
  await spool.close();

  const reopened = await openDiskSpool(spoolOptions(dir));
  assert.deepEqual(await readAll(reopened), range(1, 7));
  await reopened.close();
});

test('a prepend interrupted before its rename is completed on open', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 3; n <= 5; n++) spool.append(message(n));
  await spool.close();
  // What a stop between the write and the rename of a prepend leaves behind: the free id below the first segment.
  const [firstSegment] = segmentFiles(dir);
  const below = String(Number(firstSegment?.slice(0, 16)) - 1).padStart(16, '0');
  writeFileSync(join(dir, `${below}.seg.tmp`), Buffer.concat([encodeEntry(message(1)), encodeEntry(message(2))]));

  const reopened = await openDiskSpool(spoolOptions(dir));
  assert.deepEqual(await readAll(reopened), range(1, 5));
  await reopened.close();
});

test('the size cap refuses an entry that would exceed it, except for records admitted beyond it', async (t) => {
  const entryBytes = encodeEntry(message(10)).length;
  const spool = await openDiskSpool(spoolOptions(tempSpoolDir(t), { maxBytes: entryBytes * 3 + 1, segmentMaxBytes: entryBytes }));
  assert.deepEqual([10, 11, 12, 13].map((n) => spool.append(message(n))), ['spooled', 'spooled', 'spooled', 'full']);
  assert.equal(spool.append(message(14), true), 'spooled');
  assert.equal(spool.stats().records, 4);
  await spool.close();
});

test('a torn final entry is truncated on open, logged with segment and offset, and the entries before it survive', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 1; n <= 3; n++) spool.append(message(n));
  await spool.close();
  const [segment] = segmentFiles(dir);
  const path = join(dir, segment);
  const intactBytes = statSync(path).size;
  appendFileSync(path, encodeEntry(message(4)).subarray(0, 20));

  const { logger, lines } = capturingLogger();
  const reopened = await openDiskSpool(spoolOptions(dir, { logger }));
  assert.equal(statSync(path).size, intactBytes);
  assert.equal(reopened.stats().truncatedBytes, 20);
  const warning = lines.find((l) => l.level === 'warn' && l.msg.includes('truncated'));
  assert.equal(warning?.['segment'], segment);
  assert.equal(warning?.['offset'], intactBytes);
  assert.deepEqual(await readAll(reopened), range(1, 3));
  await reopened.close();
});

test('a torn header and a zero-filled tail are both truncated', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  spool.append(message(1));
  await spool.close();
  const path = join(dir, segmentFiles(dir)[0]);
  const intactBytes = statSync(path).size;
  appendFileSync(path, encodeEntry(message(2)).subarray(0, 5));
  let reopened = await openDiskSpool(spoolOptions(dir));
  await reopened.close();
  assert.equal(statSync(path).size, intactBytes);

  appendFileSync(path, Buffer.alloc(4096));
  reopened = await openDiskSpool(spoolOptions(dir));
  assert.equal(statSync(path).size, intactBytes);
  assert.equal(reopened.stats().corruptRegions, 0);
  assert.deepEqual(await readAll(reopened), ['r1']);
  await reopened.close();
});

test('an entry whose checksum fails is skipped when intact entries follow, and counted and logged with segment and offset', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 1; n <= 5; n++) spool.append(message(n));
  await spool.close();
  const segment = segmentFiles(dir)[0];
  const path = join(dir, segment);
  const entryBytes = encodeEntry(message(1)).length;
  const bytes = readFileSync(path);
  bytes[entryBytes * 2 + 20] = (bytes[entryBytes * 2 + 20]) ^ 0xff; // inside the third entry's payload
  writeFileSync(path, bytes);

  const { logger, lines } = capturingLogger();
  const reopened = await openDiskSpool(spoolOptions(dir, { logger }));
  assert.equal(reopened.stats().corruptRegions, 1);
  assert.equal(reopened.stats().corruptBytes, entryBytes);
  assert.equal(reopened.stats().records, 4);
  const error = lines.find((l) => l.level === 'error' && l.msg.includes('skipped damaged bytes'));
  assert.equal(error?.['segment'], segment);
  assert.equal(error?.['offset'], entryBytes * 2);
  assert.deepEqual(await readAll(reopened), ['r1', 'r2', 'r4', 'r5']);
  await reopened.close();
});

test('damage with nothing intact after it is moved aside as <segment>.corrupt, never deleted, and the next open is clean', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 1; n <= 4; n++) spool.append(message(n));
  await spool.close();
  const segment = segmentFiles(dir)[0];
  const path = join(dir, segment);
  const entryBytes = encodeEntry(message(1)).length;
  const bytes = readFileSync(path);
  bytes.fill(0x41, entryBytes * 2 + 3); // the third entry's header onwards is garbage
  writeFileSync(path, bytes);

  const { logger, lines } = capturingLogger();
  const reopened = await openDiskSpool(spoolOptions(dir, { logger }));
  assert.deepEqual(readFileSync(join(dir, `${segment}.corrupt`)), bytes.subarray(entryBytes * 2));
  assert.equal(statSync(path).size, entryBytes * 2);
  assert.equal(reopened.stats().corruptRegions, 1);
  assert.equal(reopened.stats().corruptBytes, entryBytes * 2);
  const error = lines.find((l) => l.level === 'error' && l.msg.includes('moved the rest of the segment aside'));
  assert.equal(error?.['segment'], segment);
  assert.equal(error?.['offset'], entryBytes * 2);
  assert.equal(error?.['movedTo'], `${segment}.corrupt`);
  await reopened.close();

  const again = await openDiskSpool(spoolOptions(dir));
  assert.equal(again.stats().corruptRegions, 0);
  assert.deepEqual(await readAll(again), ['r1', 'r2']);
  assert.ok(existsSync(join(dir, `${segment}.corrupt`)), 'the damaged bytes are kept');
  await again.close();
});

test('an unusable head file replays every entry rather than losing any, and is kept aside', async (t) => {
  const dir = tempSpoolDir(t);
  const spool = await openDiskSpool(spoolOptions(dir));
  for (let n = 1; n <= 6; n++) spool.append(message(n));
  const batch = await spool.readBatch(2);
  await spool.acknowledge(batch, batch.entries);
  await spool.close();
  writeFileSync(join(dir, 'head.json'), '{"version":1,"segm');

  const { logger, lines } = capturingLogger();
  const reopened = await openDiskSpool(spoolOptions(dir, { logger }));
  assert.ok(lines.some((l) => l.level === 'error' && l.msg.includes('head file unusable')));
  assert.ok(existsSync(join(dir, 'head.json.corrupt')));
  assert.deepEqual(await readAll(reopened), range(1, 6));
  await reopened.close();
});

test('damage that appears after opening is skipped during replay, counted, and its segment kept aside', async (t) => {
  const dir = tempSpoolDir(t);
  const entryBytes = encodeEntry(message(1)).length;
  const { logger, lines } = capturingLogger();
  const spool = await openDiskSpool(spoolOptions(dir, { logger, segmentMaxBytes: entryBytes * 3 }));
  for (let n = 1; n <= 6; n++) spool.append(message(n));
  await spool.flush();
  const segment = segmentFiles(dir)[0];
  const bytes = readFileSync(join(dir, segment));
  bytes[entryBytes + 30] = (bytes[entryBytes + 30]) ^ 0x01;
  writeFileSync(join(dir, segment), bytes);

  assert.deepEqual(await readAll(spool), ['r1', 'r3', 'r4', 'r5', 'r6']);
  assert.equal(spool.stats().corruptRegions, 1);
  assert.equal(spool.stats().damagedRecords, 1);
  assert.ok(lines.some((l) => l.level === 'error' && l.msg.includes('during replay') && l['segment'] === segment && l['offset'] === entryBytes));
  assert.ok(existsSync(join(dir, `${segment}.corrupt`)));
  await spool.close();
});
