// Strict JSON token scanning over a string: finds where a value ends, checking its syntax, without building it.

/** Returned by every scan when the text is not strict JSON there (the caller then lets JSON.parse decide). */
export const NOT_STRICT = -1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const COMMA = 0x2c;
const COLON = 0x3a;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** The first index at or after `at` that is not JSON whitespace (space, tab, LF, CR). */
export function skipSpace(text: string, at: number): number {
  for (let code = text.charCodeAt(at); code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09; code = text.charCodeAt(++at));
  return at;
}

/**
 * What the last scan saw beyond where its token ends (one shared object: the scans allocate nothing).
 * `escape`: the string held an escape, so its value needs JSON.parse (else it is the text between the
 * quotes). `integerDigits`/`integer`: the number's integer-part digits, and whether no fraction or
 * exponent followed.
 */
export const scanned = { escape: false, integerDigits: 0, integer: true };

/** A control character or a backslash: text without any has no escape and no invalid character in its strings. */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters: finding them is the point.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\\]/;

/**
 * Whether strings may be scanned by looking for their closing quote alone (a native search, not a
 * loop in JavaScript): true while the text being scanned holds neither a control character nor a
 * backslash, as compact JSON from producers almost always does. Set per text by `beginText`.
 */
let plainStrings = false;

/** Prepares the scans for one text (before any scan of it). */
export function beginText(text: string): void {
  plainStrings = !CONTROL_OR_BACKSLASH.test(text);
}

/** End (past the closing quote) of the string whose opening quote is at `at`, or NOT_STRICT. */
export function scanString(text: string, at: number): number {
  scanned.escape = false;
  if (plainStrings) {
    const close = text.indexOf('"', at + 1);
    return close === -1 ? NOT_STRICT : close + 1;
  }
  const length = text.length;
  for (let i = at + 1; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i + 1;
    if (code === BACKSLASH) {
      scanned.escape = true;
      const next = text.charCodeAt(i + 1);
      if (next === 0x75) {
        // \uXXXX: four hex digits, any code unit (lone surrogates are valid JSON).
        if (!(isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3)) && isHex(text.charCodeAt(i + 4)) && isHex(text.charCodeAt(i + 5)))) return NOT_STRICT;
        i += 5;
      } else if (next === QUOTE || next === BACKSLASH || next === 0x2f || next === 0x62 || next === 0x66 || next === 0x6e || next === 0x72 || next === 0x74) {
        i += 1;
      } else {
        return NOT_STRICT;
      }
    } else if (code < 0x20) {
      return NOT_STRICT;
    }
  }
  return NOT_STRICT;
}

/** End of the number token at `at` (strict grammar: no leading zeros, digits after `.` and `e`), or NOT_STRICT. */
export function scanNumber(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === MINUS) i++;
  const digitsStart = i;
  const first = text.charCodeAt(i);
  if (first === ZERO) i++;
  else if (isDigit(first)) while (isDigit(text.charCodeAt(i))) i++;
  else return NOT_STRICT;
  scanned.integerDigits = i - digitsStart;
  scanned.integer = true;
  if (text.charCodeAt(i) === DOT) {
    scanned.integer = false;
    i++;
    if (!isDigit(text.charCodeAt(i))) return NOT_STRICT;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const exponent = text.charCodeAt(i);
  if (exponent === 0x65 || exponent === 0x45) {
    scanned.integer = false;
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    if (!isDigit(text.charCodeAt(i))) return NOT_STRICT;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  // A number glued to a digit (a leading zero: 012) is not strict JSON.
  if (isDigit(text.charCodeAt(i))) return NOT_STRICT;
  return i;
}

function scanLiteral(text: string, at: number, literal: string): number {
  return text.startsWith(literal, at) ? at + literal.length : NOT_STRICT;
}

/** End of the JSON value starting at `at` (no leading whitespace), or NOT_STRICT. Nesting recurses. */
export function scanValue(text: string, at: number): number {
  switch (text.charCodeAt(at)) {
    case QUOTE:
      return scanString(text, at);
    case 0x7b:
      return scanObject(text, at);
    case 0x5b:
      return scanArray(text, at);
    case 0x74:
      return scanLiteral(text, at, 'true');
    case 0x66:
      return scanLiteral(text, at, 'false');
    case 0x6e:
      return scanLiteral(text, at, 'null');
    default:
      return scanNumber(text, at);
  }
}

function scanObject(text: string, at: number): number {
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === 0x7d) return i + 1;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return NOT_STRICT;
    i = scanString(text, i);
    if (i === NOT_STRICT) return NOT_STRICT;
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== COLON) return NOT_STRICT;
    i = scanValue(text, skipSpace(text, i + 1));
    if (i === NOT_STRICT) return NOT_STRICT;
    i = skipSpace(text, i);
    const code = text.charCodeAt(i);
    if (code === 0x7d) return i + 1;
    if (code !== COMMA) return NOT_STRICT;
    i = skipSpace(text, i + 1);
  }
}

function scanArray(text: string, at: number): number {
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === 0x5d) return i + 1;
  for (;;) {
    i = scanValue(text, i);
    if (i === NOT_STRICT) return NOT_STRICT;
    i = skipSpace(text, i);
    const code = text.charCodeAt(i);
    if (code === 0x5d) return i + 1;
    if (code !== COMMA) return NOT_STRICT;
    i = skipSpace(text, i + 1);
  }
}
