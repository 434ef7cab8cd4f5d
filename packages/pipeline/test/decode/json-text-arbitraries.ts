// fast-check arbitraries for JSON record texts as producers write them, and as they get broken: for decoder equivalence properties.
import fc from 'fast-check';

export const ZONE = '0123456789abcdef0123456789abcdef';

/** Field names the jobs under test read, fields they do not, and keys that are no field at all. */
const KEYS = [
  'RayID', 'ClientIP', 'EdgeStartTimestamp', 'EdgeEndTimestamp', 'EdgeResponseStatus', 'EdgeResponseCompressionRatio',
  'RequestHeaders', 'ResponseHeaders', 'Cookies', 'SecurityActions', 'BotDetectionIDs', 'WorkerSubrequest', 'JA4Signals',
  '_zone_id', '_account_id', 'ClientCountry', 'ZoneName', 'Unknown', '__proto__', 'constructor', '0', '',
];

const HEADER_KEYS = ['cf-access-user', 'CF-Access-User', 'Cf-Access-User', 'user-agent', 'accept', '__proto__', 'x', '1', 'İ'];

/** A JSON string literal, sometimes with every character (or some) written as \u escapes. */
function stringLiteral(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.nat(3)).map(([value, style]) => {
    if (style === 0) return `"${[...value].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
    if (style === 1) return JSON.stringify(value).replace(/\//g, '\\/');
    return JSON.stringify(value);
  });
}

/** A key as JSON text, its first character written as a \u escape when `escaped`. */
function keyLiteral(key: string, escaped: boolean): string {
  if (!escaped || key.length === 0) return JSON.stringify(key);
  return `"\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(key.slice(1)).slice(1)}`;
}

const plainText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(ZONE, 'FEDCBA9876543210FEDCBA9876543210', '2023-11-14T22:13:20.016478500Z', '1700000000016478500', '-12', '\ud8001234', '\ud800-5', '\u2028', 'a\\"b'),
);

const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }).map(String),
  fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('-0', '0', '1e400', '1E2', '1e-7', '0.5', '12345678901234567890.5', '1234567890123456e1', '-9223372036854775808', '9223372036854775808', '0000000000000000012', '-00000000000000000001'),
);

const scalarText = fc.oneof(
  { weight: 3, arbitrary: stringLiteral(plainText) },
  { weight: 3, arbitrary: numberText },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
);

/** Any JSON value, nested a little; objects often keyed like headers. */
const valueText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...HEADER_KEYS), fc.string({ maxLength: 4 })), fc.boolean(), fc.oneof({ weight: 3, arbitrary: stringLiteral(plainText) }, { weight: 1, arbitrary: tie('value') })), { maxLength: 5 })
      .map((entries) => `{${entries.map(([key, escaped, value]) => `${keyLiteral(key, escaped)}:${value}`).join(',')}}`),
  ),
})).value;

const space = fc.constantFrom('', '', '', ' ', '\n', '\t ', '\r\n');

/** A record as a JSON object text: known and unknown keys, keys repeated or escaped, values of every kind. */
export const recordText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), fc.boolean(), valueText, space, space), { maxLength: 14 })
  .map((entries) => {
    const body = entries.map(([key, escaped, value, before, after]) => {
      return `${before}${keyLiteral(key, escaped)}${after}:${after}${value}${before}`;
    });
    return `{${body.join(',')}}`;
  });

/** One edit of a text: a character removed, one inserted (often a JSON one), or the text cut short. */
type Mutation = { kind: 'delete' | 'insert' | 'cut'; at: number; char: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'cut'),
  at: fc.nat(),
  char: fc.oneof(fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', '0', '1', '-', '.', 'e', ' ', '\u0000', '\n', 'n', 't', 'u'), fc.string({ minLength: 1, maxLength: 1 })),
});

function mutate(text: string, edits: readonly Mutation[]): string {
  let out = text;
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    if (edit.kind === 'delete') out = out.slice(0, at) + out.slice(at + 1);
    else if (edit.kind === 'insert') out = out.slice(0, at) + edit.char + out.slice(at);
    else out = out.slice(0, at);
  }
  return out;
}

/** Bytes of a record text: as written, mutated, prefixed with a BOM or whitespace, or with invalid UTF-8 spliced in. */
export const recordBytes: fc.Arbitrary<Buffer> = fc
  .tuple(recordText, fc.array(mutation, { maxLength: 3 }), fc.constantFrom('', '', '\ufeff', ' \n'), fc.option(fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xc3], [0xe2, 0x80], [0xed, 0xa0, 0x80]))))
  .map(([text, edits, prefix, bad]) => {
    const bytes = Buffer.from(prefix + mutate(text, edits), 'utf8');
    if (!bad) return bytes;
    const at = bad[0] % (bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(bad[1]), bytes.subarray(at)]);
  });
