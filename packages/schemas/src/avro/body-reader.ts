// Reads Avro record bodies written with one of our schemas straight into plain records (the decode hot path).
import type { DatasetRecord, DecodeResult } from '../record.js';
import { readExactLong } from './exact-long.js';
import type { ReadPlan } from './read-plan.js';
import { KIND } from './read-plan.js';

// Buffer#utf8Slice is what Buffer#toString('utf8', ...) calls after its argument checks; it is
// ~20% faster on short strings. Fall back to the public method should it ever disappear.
type Utf8Slicer = (buf: Buffer, start: number, end: number) => string;
const fastSlice = (Buffer.prototype as unknown as { utf8Slice?: (start: number, end: number) => string }).utf8Slice;
const utf8: Utf8Slicer =
  typeof fastSlice === 'function'
    ? (buf, start, end) => fastSlice.call(buf, start, end)
    : (buf, start, end) => buf.toString('utf8', start, end);

const EMPTY = Buffer.alloc(0);

class BodyError extends Error {}

/**
 * A reader for one writer schema and one field selection. Not re-entrant (it keeps its cursor
 * in fields to stay allocation-free), which is fine: decoding is synchronous.
 */
export class AvroBodyReader {
  buf: Buffer = EMPTY;
  pos = 0;
  private readonly plan: ReadPlan;

  constructor(plan: ReadPlan) {
    this.plan = plan;
  }

  /** Reads the body starting at `start`; never throws. */
  read(buf: Buffer, start: number): DecodeResult {
    const { names, kinds, keep, stopAfter, readsAll } = this.plan;
    const out: DatasetRecord = {};
    this.buf = buf;
    this.pos = start;
    let index = 0;
    try {
      for (; index <= stopAfter; index++) {
        const branch = buf[this.pos++];
        if (branch === 0) continue; // null: the field is absent
        if (branch !== 2) throw new BodyError(branch === undefined ? 'truncated' : `invalid union branch byte ${branch}`);
        const kind = kinds[index];
        if (keep[index] === 1) out[names[index]] = this.value(kind);
        else this.skip(kind);
        // Varints and skips may run past the end without noticing; catch it in the right field.
        if (this.pos > buf.length) throw new BodyError('truncated');
      }
      index = -1;
      if (readsAll && this.pos !== buf.length) throw new BodyError(`${buf.length - this.pos} trailing bytes`);
    } catch (error) {
      return { ok: false, code: 'DECODE_BAD_AVRO', message: this.describe(error, index) };
    } finally {
      this.buf = EMPTY;
    }
    return { ok: true, record: out };
  }

  private describe(error: unknown, index: number): string {
    const what = error instanceof Error ? error.message : String(error);
    const where = index >= 0 ? ` in field ${this.plan.names[index]}` : '';
    return `invalid Avro body for ${this.plan.schemaName}: ${what}${where} (at byte ${Math.min(this.pos, this.buf.length)} of ${this.buf.length})`;
  }

  private long(): number | bigint {
    return readExactLong(this);
  }

  private count(): number {
    let count = this.long();
    if (typeof count === 'bigint') throw new BodyError('block count out of range');
    if (count < 0) {
      count = -count;
      this.long(); // block size in bytes, only needed to skip
    }
    // Every item takes at least one byte, so this bounds loops on corrupt input.
    if (count > this.buf.length - this.pos) throw new BodyError(`block count ${count} exceeds the remaining bytes`);
    return count;
  }

  private string(): string {
    const length = this.long();
    const start = this.pos;
    if (typeof length !== 'number' || length < 0) throw new BodyError(`bad string length ${length}`);
    if (start + length > this.buf.length) throw new BodyError(`truncated string of ${length} bytes`);
    this.pos = start + length;
    return utf8(this.buf, start, this.pos);
  }

  private double(): number {
    const start = this.pos;
    if (start + 8 > this.buf.length) throw new BodyError('truncated double');
    this.pos = start + 8;
    return this.buf.readDoubleLE(start);
  }

  private value(kind: number): unknown {
    switch (kind) {
      case KIND.string:
        return this.string();
      case KIND.long:
        return this.long();
      case KIND.timestamp: {
        const value = this.long();
        return typeof value === 'bigint' ? value : BigInt(value);
      }
      case KIND.double:
        return this.double();
      case KIND.boolean: {
        const byte = this.buf[this.pos++];
        if (byte !== 0 && byte !== 1) throw new BodyError(`invalid boolean byte ${byte}`);
        return byte === 1;
      }
      case KIND.stringMap:
      case KIND.doubleMap:
        return this.map(kind === KIND.doubleMap);
      case KIND.stringArray:
      case KIND.longArray:
        return this.array(kind === KIND.longArray);
      default:
        throw new BodyError(`unknown kind ${kind}`);
    }
  }

  private map(doubles: boolean): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let count = this.count(); count !== 0; count = this.count()) {
      for (; count > 0; count--) {
        const key = this.string();
        const value = doubles ? this.double() : this.string();
        // A key "__proto__" must stay data, not replace the map's prototype.
        if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
        else map[key] = value;
      }
    }
    return map;
  }

  private array(longs: boolean): unknown[] {
    const items: unknown[] = [];
    for (let count = this.count(); count !== 0; count = this.count()) {
      for (; count > 0; count--) items.push(longs ? this.long() : this.string());
    }
    return items;
  }

  private skip(kind: number): void {
    const buf = this.buf;
    switch (kind) {
      case KIND.string: {
        const length = this.long();
        if (typeof length !== 'number' || length < 0) throw new BodyError(`bad string length ${length}`);
        this.pos += length;
        return;
      }
      case KIND.long:
      case KIND.timestamp:
        while ((buf[this.pos++] ?? 0) & 0x80);
        return;
      case KIND.double:
        this.pos += 8;
        return;
      case KIND.boolean:
        this.pos += 1;
        return;
      default:
        this.skipBlocks(kind);
    }
  }

  private skipBlocks(kind: number): void {
    const buf = this.buf;
    for (;;) {
      let count = this.long();
      if (typeof count === 'bigint') throw new BodyError('block count out of range');
      if (count === 0) return;
      if (count < 0) {
        const size = this.long();
        if (typeof size !== 'number' || size < 0) throw new BodyError(`bad block size ${size}`);
        this.pos += size;
        continue;
      }
      if (count > buf.length - this.pos) throw new BodyError(`block count ${count} exceeds the remaining bytes`);
      for (; count > 0; count--) {
        if (kind === KIND.stringMap || kind === KIND.doubleMap) this.skip(KIND.string);
        this.skip(kind === KIND.stringArray || kind === KIND.stringMap ? KIND.string : kind === KIND.doubleMap ? KIND.double : KIND.long);
      }
    }
  }
}
