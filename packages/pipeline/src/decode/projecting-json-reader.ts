// A JSON record reader compiled once per job: scans the top-level keys, checks and skips unwanted values unbuilt, builds only wanted ones.
import { coerceJsonValue, INVALID, markBigIntegers } from '@sluice/schemas';
import type { DatasetRecord, JsonFieldKind } from '@sluice/schemas';
import { beginText, NOT_STRICT, scanned, scanNumber, scanString, scanValue, skipSpace } from './json-scan.js';

/** Which keys of a map field are worth building: the job's projector drops every other one anyway. */
export type MapKeyFilter = (key: string) => boolean;

/**
 * The record, or undefined when the text is off the fast path (not strict JSON, a wanted key twice,
 * a wanted value that does not convert, anything unusual): the caller then decodes it with the
 * whole-object decoder, whose outcome (and error message) is the reference.
 */
export type ProjectingJsonReader = (text: string) => DatasetRecord | undefined;

interface WantedField {
  readonly name: string;
  /** Its last character, compared first. */
  readonly last: number;
  readonly kind: JsonFieldKind;
  /** Position in the per-record "seen" stamps, to spot a wanted key written twice. */
  readonly index: number;
  /** For a map field the projector trims: the keys worth building. */
  readonly keys: MapKeyFilter | undefined;
}

/** Integer literals of this many digits are marked, as `markBigIntegers` marks them for JSON.parse. */
const MIN_BIG_DIGITS = 16;
const BIG_MARK = '\ud800';
const OFF_PATH: unique symbol = Symbol('off-path');

/** As `markedDigits` sees a string: a lone high surrogate U+D800, then an integer's sign and digits. */
const MARK = /^\ud800-?\d+$/;

function looksMarked(value: string): boolean {
  return value.charCodeAt(0) === 0xd800 && MARK.test(value);
}

/**
 * `wanted`: field name → kind (scope fields as `scope-id`). `mapKeys`: map fields whose values may be
 * built partly (only keys the filter accepts, every value still checked to be a string): use it
 * only for fields nothing but the custom-field projector reads.
 */
export function createProjectingJsonReader(wanted: ReadonlyMap<string, JsonFieldKind>, mapKeys: ReadonlyMap<string, MapKeyFilter> = new Map()): ProjectingJsonReader {
  const fields = new Map<string, WantedField>();
  /** Wanted fields by name length: a key is matched in place, never cut out of the text. */
  const byLength: WantedField[][] = [];
  for (const [name, kind] of wanted) {
    const field = { name, last: name.charCodeAt(name.length - 1), kind, index: fields.size, keys: kind === 'map' ? mapKeys.get(name) : undefined };
    fields.set(name, field);
    (byLength[name.length] ??= []).push(field);
  }
  const seenIn = new Uint32Array(fields.size);
  let readNumber = 0;
  /** Where the value read last ended. */
  let end = 0;

  /** A wanted value as JSON.parse of the marked text would give it, or OFF_PATH (`unknown` includes it); sets `end`. */
  function readValue(text: string, at: number, field: WantedField): unknown {
    const code = text.charCodeAt(at);
    if (code === 0x22) {
      end = scanString(text, at);
      if (end === NOT_STRICT) return OFF_PATH;
      return scanned.escape ? (JSON.parse(text.slice(at, end)) as unknown) : text.slice(at + 1, end - 1);
    }
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      end = scanNumber(text, at);
      if (end === NOT_STRICT) return OFF_PATH;
      const token = text.slice(at, end);
      return scanned.integer && scanned.integerDigits >= MIN_BIG_DIGITS ? BIG_MARK + token : Number(token);
    }
    if (code === 0x7b && field.keys) return readMapPicking(text, at, field.keys);
    end = scanValue(text, at);
    if (end === NOT_STRICT) return OFF_PATH;
    const slice = text.slice(at, end);
    return slice === 'null' ? null : slice === 'true' ? true : slice === 'false' ? false : (JSON.parse(markBigIntegers(slice)) as unknown);
  }

  /** A map of strings with only the keys worth building; OFF_PATH on any value that is not a string. */
  function readMapPicking(text: string, at: number, keep: MapKeyFilter): unknown {
    const map: Record<string, string> = {};
    let i = skipSpace(text, at + 1);
    if (text.charCodeAt(i) === 0x7d) {
      end = i + 1;
      return map;
    }
    for (;;) {
      if (text.charCodeAt(i) !== 0x22) return OFF_PATH;
      const keyEnd = scanString(text, i);
      if (keyEnd === NOT_STRICT) return OFF_PATH;
      const key = scanned.escape ? (JSON.parse(text.slice(i, keyEnd)) as string) : text.slice(i + 1, keyEnd - 1);
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 0x3a) return OFF_PATH;
      const valueAt = skipSpace(text, i + 1);
      if (text.charCodeAt(valueAt) !== 0x22) return OFF_PATH; // not a string: the map is invalid, let the reference say so
      const valueEnd = scanString(text, valueAt);
      if (valueEnd === NOT_STRICT) return OFF_PATH;
      const value = scanned.escape ? (JSON.parse(text.slice(valueAt, valueEnd)) as string) : text.slice(valueAt + 1, valueEnd - 1);
      // An escaped \ud800 before a digit reads as a big-integer mark, which a map may not hold.
      if (scanned.escape && looksMarked(value)) return OFF_PATH;
      if (keep(key)) {
        if (key === '__proto__') return OFF_PATH; // assignment would set the prototype, JSON.parse makes a property
        map[key] = value;
      }
      i = skipSpace(text, valueEnd);
      const code = text.charCodeAt(i);
      if (code === 0x7d) {
        end = i + 1;
        return map;
      }
      if (code !== 0x2c) return OFF_PATH;
      i = skipSpace(text, i + 1);
    }
  }

  /** The wanted field whose name is the text from `from` to `to`, if any. */
  function fieldAt(text: string, from: number, to: number): WantedField | undefined {
    const candidates = byLength[to - from];
    if (candidates === undefined) return undefined;
    // Names share prefixes (Client…, Edge…): their last character tells most apart before a full compare.
    const last = text.charCodeAt(to - 1);
    for (const field of candidates) if (field.last === last && text.startsWith(field.name, from)) return field;
    return undefined;
  }

  function read(text: string): DatasetRecord | undefined {
    readNumber = (readNumber + 1) >>> 0 || 1;
    const record: DatasetRecord = {};
    let i = skipSpace(text, 1);
    if (text.charCodeAt(i) === 0x7d) return skipSpace(text, i + 1) === text.length ? record : undefined;
    for (;;) {
      if (text.charCodeAt(i) !== 0x22) return undefined;
      const keyEnd = scanString(text, i);
      if (keyEnd === NOT_STRICT) return undefined;
      const field = scanned.escape ? fields.get(JSON.parse(text.slice(i, keyEnd)) as string) : fieldAt(text, i + 1, keyEnd - 1);
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 0x3a) return undefined;
      i = skipSpace(text, i + 1);
      if (field === undefined) {
        i = scanValue(text, i);
        if (i === NOT_STRICT) return undefined;
      } else {
        // JSON.parse keeps a repeated key's last value at its first position: rare enough to leave to it.
        if (seenIn[field.index] === readNumber) return undefined;
        seenIn[field.index] = readNumber;
        const value = readValue(text, i, field);
        if (value === OFF_PATH) return undefined;
        i = end;
        if (value !== null) {
          const converted = coerceJsonValue(field.kind, value);
          if (converted === INVALID) return undefined;
          record[field.name] = converted;
        }
      }
      i = skipSpace(text, i);
      const code = text.charCodeAt(i);
      if (code === 0x7d) return skipSpace(text, i + 1) === text.length ? record : undefined;
      if (code !== 0x2c) return undefined;
      i = skipSpace(text, i + 1);
    }
  }

  return (text) => {
    try {
      beginText(text);
      return read(text);
    } catch {
      // Nesting deep enough to exhaust the stack, say: the reference decoder decides.
      return undefined;
    }
  };
}
