// CSV layout: values only, RFC 4180 quoting, absent distinct from empty, every kind and timestamp format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDataset } from '@sluice/schemas';
import { createCsvRenderer } from '../../src/render/csv-renderer.js';
import type { TimestampFormat } from '../../src/render/value-encoders.js';
import { parseCsv } from './rfc4180-parser.js';

const dataset = getDataset('http_requests');

test('renders the published Logpush CSV example byte for byte', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['ClientIP', 'EdgeStartTimestamp', 'RayID'], timestampFormat: 'unixnano' });
  const line = render({ ClientIP: '89.163.242.206', EdgeStartTimestamp: 1506702504433000200n, RayID: '3a6050bcbe121a87' });
  assert.equal(line, '"89.163.242.206",1506702504433000200,"3a6050bcbe121a87"\n');
});

test('an inner quote is doubled; commas, newlines, tabs and any Unicode stay as they are inside the quotes', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['ClientRequestURI', 'ClientRequestUserAgent', 'ClientCity'], timestampFormat: 'unixnano' });
  const uri = '/a?q="x",y';
  const agent = 'line1\nline2\r\ntab\there';
  const city = 'Zürich 😀\u2028東京';
  const line = render({ ClientRequestURI: uri, ClientRequestUserAgent: agent, ClientCity: city });
  assert.equal(line, `"/a?q=""x"",y","${agent}","${city}"\n`);
  assert.deepEqual(parseCsv(line), [[{ text: uri, quoted: true }, { text: agent, quoted: true }, { text: city, quoted: true }]]);
});

test('a lone quote and a string of quotes survive a round trip through a CSV parser', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['ClientIP', 'RayID'], timestampFormat: 'unixnano' });
  const line = render({ ClientIP: '"', RayID: '""' });
  assert.equal(line, '"""",""""""\n');
  assert.deepEqual(parseCsv(line)[0]?.map((field) => field.text), ['"', '""']);
});

test('an absent value is an empty field, distinct from an empty string', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['ClientIP', 'RayID', 'ClientCountry', 'EdgeResponseStatus'], timestampFormat: 'unixnano' });
  const line = render({ ClientIP: '', RayID: null, EdgeResponseStatus: 200 });
  assert.equal(line, '"",,,200\n');
  assert.deepEqual(parseCsv(line), [[{ text: '', quoted: true }, { text: '', quoted: false }, { text: '', quoted: false }, { text: '200', quoted: false }]]);
});

test('ints, floats and bools are bare; ints beyond 2^53 are exact; a float JSON cannot carry is empty', () => {
  const render = createCsvRenderer(dataset, {
    fieldNames: ['EdgeResponseStatus', 'CacheResponseBytes', 'EdgeResponseCompressionRatio', 'WorkerSubrequest'],
    timestampFormat: 'unixnano',
  });
  assert.equal(render({ EdgeResponseStatus: 200, CacheResponseBytes: 9223372036854775807n, EdgeResponseCompressionRatio: 0.5, WorkerSubrequest: true }), '200,9223372036854775807,0.5,true\n');
  assert.equal(render({ EdgeResponseCompressionRatio: Infinity, WorkerSubrequest: false }), ',,,false\n');
});

test('maps and arrays are their JSON text as a quoted CSV string, inner quotes doubled', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['RequestHeaders', 'SecuritySources', 'BotDetectionIDs', 'JA4Signals'], timestampFormat: 'unixnano' });
  const headers = { 'x-a': 'say "hi", twice', 'x-b': 'new\nline' };
  const line = render({ RequestHeaders: headers, SecuritySources: ['waf', 'rateLimit'], BotDetectionIDs: [1, 9007199254740993n], JA4Signals: { h2h3_ratio_1h: 0.25 } });
  assert.equal(
    line,
    '"{""x-a"":""say \\""hi\\"", twice"",""x-b"":""new\\nline""}","[""waf"",""rateLimit""]","[1,9007199254740993]","{""h2h3_ratio_1h"":0.25}"\n',
  );
  const [fields] = parseCsv(line);
  assert.deepEqual(JSON.parse(fields?.[0]?.text ?? ''), headers);
  assert.deepEqual(JSON.parse(fields?.[1]?.text ?? ''), ['waf', 'rateLimit']);
});

test('every timestamp format renders in CSV: bare integers for unixnano and unix, quoted strings for rfc3339*', () => {
  const line = (timestampFormat: TimestampFormat): string =>
    createCsvRenderer(dataset, { fieldNames: ['EdgeStartTimestamp', 'RayID'], timestampFormat })({ EdgeStartTimestamp: 1506702504433000200n, RayID: 'r' });
  assert.equal(line('unixnano'), '1506702504433000200,"r"\n');
  assert.equal(line('unix'), '1506702504,"r"\n');
  assert.equal(line('rfc3339'), '"2017-09-29T16:28:24Z","r"\n');
  assert.equal(line('rfc3339ms'), '"2017-09-29T16:28:24.433Z","r"\n');
  assert.equal(line('rfc3339ns'), '"2017-09-29T16:28:24.433000200Z","r"\n');
});

test('a tab field delimiter gives TSV, with tabs inside strings still quoted', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['ClientIP', 'EdgeResponseStatus', 'ClientRequestUserAgent'], timestampFormat: 'unixnano', fieldDelimiter: '\t' });
  const line = render({ ClientIP: '89.163.242.206', EdgeResponseStatus: 200, ClientRequestUserAgent: 'a\tb' });
  assert.equal(line, '"89.163.242.206"\t200\t"a\tb"\n');
  assert.deepEqual(parseCsv(line, '\t')[0]?.map((field) => field.text), ['89.163.242.206', '200', 'a\tb']);
});

test('the record prefix and suffix wrap the values', () => {
  const render = createCsvRenderer(dataset, { fieldNames: ['RayID', 'EdgeResponseStatus'], timestampFormat: 'unixnano', recordPrefix: '> ', recordSuffix: ';\r\n' });
  assert.equal(render({ RayID: 'r', EdgeResponseStatus: 1 }), '> "r",1;\r\n');
});

test('a field the dataset does not have is a programming error at compile time', () => {
  assert.throws(() => createCsvRenderer(dataset, { fieldNames: ['Nope'], timestampFormat: 'unixnano' }), /Nope is not a field of http_requests/);
});
