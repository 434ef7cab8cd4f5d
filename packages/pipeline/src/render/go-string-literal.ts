// Reads a Go interpreted string literal ("…" with backslash escapes), as text/template's lexer and strconv do.

export type GoStringResult =
  | { ok: true; value: string; /** Offset just past the closing quote. */ end: number }
  | { ok: false; reason: string; /** Offset of the problem (the backslash of a bad escape). */ at: number };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

const HEX_DIGIT = /^[0-9a-fA-F]$/;
const OCTAL_DIGIT = /^[0-7]$/;

/**
 * Decodes the literal whose opening `"` is at `start`. Go's escapes that name a whole character are
 * accepted (`\a \b \f \n \r \t \v \\ \" \uXXXX \UXXXXXXXX`, and `\xXX`/octal below 0x80); `\xXX`
 * or octal from 0x80 up is refused, because in Go it is one raw byte, not valid UTF-8 text on its own.
 */
export function readGoString(text: string, start: number): GoStringResult {
  let value = '';
  let i = start + 1;
  let runStart = i;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === '\n') return { ok: false, reason: 'unterminated string constant', at: start };
    if (c === '"') return { ok: true, value: value + text.slice(runStart, i), end: i + 1 };
    if (c !== '\\') {
      i++;
      continue;
    }
    value += text.slice(runStart, i);
    const escape = readEscape(text, i);
    if (!escape.ok) return escape;
    value += escape.value;
    i = escape.end;
    runStart = i;
  }
}

function readEscape(text: string, at: number): GoStringResult {
  const kind = text[at + 1];
  if (kind === undefined || kind === '\n') return { ok: false, reason: 'unterminated string constant', at };
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return { ok: true, value: simple, end: at + 2 };
  const digits = kind === 'x' ? 2 : kind === 'u' ? 4 : kind === 'U' ? 8 : kind >= '0' && kind <= '7' ? 3 : 0;
  if (digits === 0) return { ok: false, reason: `unknown escape \\${kind} in string constant`, at };
  const octal = digits === 3;
  // An octal escape's first digit is the character right after the backslash.
  const bodyStart = octal ? at + 1 : at + 2;
  const digit = octal ? OCTAL_DIGIT : HEX_DIGIT;
  let good = 0;
  while (good < digits && digit.test(text.charAt(bodyStart + good))) good++;
  const end = bodyStart + good;
  const written = text.slice(at, end);
  if (good < digits) {
    const needs = octal ? '3 octal digits' : `${digits} hex digits`;
    return { ok: false, reason: `malformed escape ${written} in string constant: \\${octal ? 'NNN' : kind} takes ${needs}`, at };
  }
  const body = text.slice(bodyStart, end);
  const code = parseInt(body, octal ? 8 : 16);
  if ((kind === 'x' || octal) && code >= 0x80) {
    return { ok: false, reason: `escape ${written} is a single byte, not a character; write the character or \\u${code.toString(16).padStart(4, '0')}`, at };
  }
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return { ok: false, reason: `escape ${written} is not a valid Unicode character`, at };
  }
  return { ok: true, value: String.fromCodePoint(code), end };
}
