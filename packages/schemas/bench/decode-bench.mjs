// Decode throughput on the pusher's hot path: records/s for full and 5-field decodes, Avro and JSON.
// Run after a build: node packages/schemas/bench/decode-bench.mjs [--seconds=2]
import { Buffer } from 'node:buffer';
import { createAvscType } from '../dist/src/avro/exact-long.js';
import { avroSchemaFor, createRecordDecoder, createRecordEncoder } from '../dist/src/index.js';
import { sampleHttpRequest, toJsonText } from '../dist/test/fixtures/sample-records.js';

const seconds = Number(process.argv.find((arg) => arg.startsWith('--seconds='))?.slice(10) ?? 2);
const FIVE_FIELDS = ['ClientIP', 'ClientRequestHost', 'EdgeStartTimestamp', 'EdgeResponseStatus', 'RayID'];
const VARIANTS = 1024; // distinct messages, cycled

const encode = createRecordEncoder('http_requests');
const records = Array.from({ length: VARIANTS }, (_, index) => sampleHttpRequest(index));
const avroMessages = records.map((record) => encode(record));
const jsonMessages = records.map((record) => Buffer.from(toJsonText(record)));
const full = createRecordDecoder('http_requests');
const projected = createRecordDecoder('http_requests', { fields: FIVE_FIELDS });

// Reference only: avsc decoding the same bodies (its records keep null fields).
const schema = avroSchemaFor('http_requests');
const avscFull = createAvscType(schema);
const avscFive = createAvscType({ ...schema, fields: schema.fields.filter((f) => f.name.startsWith('_') || FIVE_FIELDS.includes(f.name)) });
const avscResolver = avscFive.createResolver(avscFull);

/** Runs `decode` over the inputs for about `seconds`, after a warm-up; returns records per second. */
function measure(decode, inputs) {
  let decoded = 0;
  for (let i = 0; i < 50_000; i++) decoded += decode(inputs[i % VARIANTS]) ? 1 : 0;
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < 10_000; i++) decoded += decode(inputs[(count + i) % VARIANTS]) ? 1 : 0;
    count += 10_000;
    now = process.hrtime.bigint();
  }
  if (decoded !== count + 50_000) throw new Error('a benchmark message failed to decode');
  return count / (Number(now - started) / 1e9);
}

const rows = [];
function row(format, what, inputs, decode) {
  const perSecond = measure(decode, inputs);
  const bytes = Math.round(inputs.reduce((sum, input) => sum + (input.length ?? 0), 0) / inputs.length);
  rows.push({
    format,
    what,
    'bytes/msg': bytes || '',
    'records/s': Math.round(perSecond).toLocaleString('en-US'),
    'µs/record': (1e6 / perSecond).toFixed(2),
  });
}

row('avro', 'decode, all fields', avroMessages, (message) => full(message).ok);
row('avro', 'decode, 5 fields', avroMessages, (message) => projected(message).ok);
row('json', 'decode, all fields', jsonMessages, (message) => full(message).ok);
row('json', 'decode, 5 fields', jsonMessages, (message) => projected(message).ok);
row('avro', 'ref: avsc fromBuffer, all', avroMessages, (message) => avscFull.fromBuffer(message.subarray(10)) !== null);
row('avro', 'ref: avsc resolver, 5', avroMessages, (message) => avscFive.fromBuffer(message.subarray(10), avscResolver, true) !== null);
row('avro', 'encode', records, (record) => encode(record).length > 0);

console.log(`@sluice/schemas: http_requests, ${VARIANTS} distinct records, ~${seconds}s per row, node ${process.version}`);
console.table(rows);
