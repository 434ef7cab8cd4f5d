import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { rabinFingerprint64, schemaFingerprint64 } from '../../src/avro/rabin.js';
import { parsingCanonicalForm, singleObjectHeader } from '../../src/avro/single-object.js';

// From the Avro project's share/test/data/schema-tests.txt: input, Parsing Canonical Form, and
// the CRC-64-AVRO fingerprint as a signed 64-bit integer (Java's long).
const SPEC_CASES: readonly (readonly [string, string, bigint])[] = [
  ['"null"', '"null"', 7195948357588979594n],
  ['{"type":"null"}', '"null"', 7195948357588979594n],
  ['"boolean"', '"boolean"', -6970731678124411036n],
  ['"int"', '"int"', 8247732601305521295n],
  ['"long"', '"long"', -3434872931120570953n],
  ['"float"', '"float"', 5583340709985441680n],
  ['"double"', '"double"', -8181574048448539266n],
  ['"bytes"', '"bytes"', 5746618253357095269n],
  ['"string"', '"string"', -8142146995180207161n],
  ['[ "int"  ]', '["int"]', -5232228896498058493n],
  ['[ "int" , {"type":"boolean"} ]', '["int","boolean"]', 5392556393470105090n],
  ['{"fields":[], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[]}', -4824392279771201922n],
  ['{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}', '{"name":"x.y.foo","type":"record","fields":[]}', 5916914534497305771n],
  ['{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}', '{"name":"a.b.foo","type":"record","fields":[]}', -4616218487480524110n],
  ['{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}', '{"name":"foo","type":"record","fields":[]}', -4824392279771201922n],
  ['{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}', 7843277075252814651n],
  [
    // The spec writes the default as "true" (a string), which avsc rightly refuses.
    '{"fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true},{"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    -4860222112080293046n,
  ],
  ['{"type":"enum", "name":"foo", "symbols":["A1"]}', '{"name":"foo","type":"enum","symbols":["A1"]}', -6342190197741309591n],
  ['{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}', '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}', -4448647247586288245n],
  ['{"name":"foo","type":"fixed","size":15}', '{"name":"foo","type":"fixed","size":15}', 1756455273707447556n],
  ['{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}', '{"name":"x.y.z.foo","type":"fixed","size":32}', -3064184465700546786n],
  ['{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}', -589620603366471059n],
  ['{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}', -8732877298790414990n],
  [
    '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    -1759257747318642341n,
  ],
];

test('the fingerprints of the Avro spec test schemas match the published values', () => {
  for (const [, canonical, expected] of SPEC_CASES) {
    assert.equal(BigInt.asIntN(64, schemaFingerprint64(canonical)), expected, canonical);
  }
  // The empty union: avsc cannot build it, but its canonical text has a published fingerprint.
  assert.equal(BigInt.asIntN(64, schemaFingerprint64('[]')), -1241056759729112623n);
});

test('the fingerprint of no bytes is the spec EMPTY constant', () => {
  assert.equal(rabinFingerprint64(new Uint8Array(0)), 0xc15d213aa4d7a795n);
});

test('avsc exports the Parsing Canonical Form for every spec test schema', () => {
  for (const [input, canonical] of SPEC_CASES) {
    const type = avro.Type.forSchema(JSON.parse(input) as Parameters<typeof avro.Type.forSchema>[0]);
    assert.equal(parsingCanonicalForm(type), canonical, input);
  }
});

test('the single-object header of "int" is C3 01 then its fingerprint little-endian', () => {
  const header = singleObjectHeader(avro.Type.forSchema('int'));
  assert.equal(header.toString('hex'), 'c3018f5c393f1ad57572');
});
