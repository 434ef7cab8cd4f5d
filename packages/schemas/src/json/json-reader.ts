// Reads records published as plain JSON objects (kcat, scripts, other producers).
import type { DatasetRecord, DecodeResult } from '../record.js';
import { describeJsonValue, markBigIntegers } from './big-integers.js';
import { coerceJsonValue, EXPECTED, INVALID } from './coerce.js';
import type { JsonFieldKind } from './coerce.js';

export type JsonReader = (bytes: Buffer, start: number) => DecodeResult;

function badJson(message: string): DecodeResult {
  return { ok: false, code: 'DECODE_BAD_JSON', message };
}

/**
 * A reader for JSON objects starting at `start` (the `{`). Keys in `wanted` are checked and
 * converted; `null` values count as absent; other keys (unknown, or not selected) are ignored
 * without being checked. Integer literals keep their exact value however long they are.
 */
export function createJsonReader(dataset: string, wanted: ReadonlyMap<string, JsonFieldKind>): JsonReader {
  return (bytes, start) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(markBigIntegers(bytes.toString('utf8', start)));
    } catch (error) {
      return badJson(`invalid JSON ${dataset} record: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return badJson(`JSON ${dataset} record is not an object`);
    }
    const source = parsed as Record<string, unknown>;
    const record: DatasetRecord = {};
    for (const key of Object.keys(source)) {
      const kind = wanted.get(key);
      const value = source[key];
      if (kind === undefined || value === null) continue;
      const converted = coerceJsonValue(kind, value);
      if (converted === INVALID) {
        return badJson(`JSON ${dataset} record: field ${key}: ${describeJsonValue(value)} is not ${EXPECTED[kind]}`);
      }
      record[key] = converted;
    }
    return { ok: true, record };
  };
}
