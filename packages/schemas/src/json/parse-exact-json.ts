// JSON.parse for configuration text whose integers may exceed 2^53 (filter values, for one).
import { markBigIntegers, markedDigits } from './big-integers.js';

export type ExactJsonResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses JSON text; integer literals of 16 or more digits become exact bigints, all else as JSON.parse. */
export function parseExactJson(text: string): ExactJsonResult {
  const marked = markBigIntegers(text);
  try {
    return { ok: true, value: marked === text ? JSON.parse(text) : JSON.parse(marked, reviveBigInteger) };
  } catch {
    // Report the error against the text the person wrote, not the marked one.
    try {
      JSON.parse(text);
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    return { ok: false, message: 'unparseable JSON' };
  }
}

function reviveBigInteger(_key: string, value: unknown): unknown {
  const digits = markedDigits(value);
  return digits === undefined ? value : BigInt(digits);
}
