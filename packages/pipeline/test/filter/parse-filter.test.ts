import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldKind } from '@sluice/schemas';
import { parseFilter } from '../../src/filter/parse-filter.js';
import { FILTER_LIMITS } from '../../src/filter/filter-limits.js';
import { ALLOWED, condition, filterText, http, refusedOperators, SAMPLE_FIELD, sampleValue } from './filter-fixtures.js';

const KINDS = Object.keys(SAMPLE_FIELD) as FieldKind[];
const UNLIMITED_BYTES = { ...FILTER_LIMITS, maxBytes: 1_000_000 };

/** Every issue as `path: message`; [] when the filter is accepted. */
function issues(text: string, limits = FILTER_LIMITS): string[] {
  const result = parseFilter(text, http, limits);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

function issuesFor(where: unknown): string[] {
  return issues(filterText(where));
}

function accepted(text: string, limits = FILTER_LIMITS) {
  const result = parseFilter(text, http, limits);
  if (!result.ok) assert.fail(`expected ${text} to be accepted, got ${result.issues.map((issue) => issue.message).join('; ')}`);
  assert.ok(result.filter !== undefined);
  return result.filter;
}

test('absent, empty and blank filter text means no filter', () => {
  for (const text of [null, undefined, '', '   \n\t']) {
    assert.deepEqual(parseFilter(text, http), { ok: true, filter: undefined });
  }
});

test("the documentation's examples are accepted", () => {
  const docs = [
    '{"where":{"and":[{"key":"ClientRequestPath","operator":"contains","value":"/static"},{"key":"ClientRequestHost","operator":"eq","value":"example.com"}]}}',
    '{"where":{"key":"EdgeResponseStatus","operator":"in","value":[200,201]}}',
    '{"where":{"key":"BotScore","operator":"lt","value":"30"}}',
  ];
  for (const text of docs) accepted(text);
  assert.deepEqual(accepted(docs[0] ?? '').fieldNames, ['ClientRequestPath', 'ClientRequestHost']);
});

test('the checked filter keeps the tree as written and lists each field once, in first-seen order', () => {
  const where = { or: [condition('ClientCountry', 'eq', 'us'), { and: [condition('BotScore', 'lt', 30), condition('ClientCountry', '!eq', 'fr')] }] };
  const filter = accepted(filterText(where));
  assert.deepEqual(filter.where, where);
  assert.deepEqual(filter.fieldNames, ['ClientCountry', 'BotScore']);
});

test('text that is not JSON, or not an object, is refused as a whole', () => {
  assert.match(issues('{"where":')[0] ?? '', /^: is not valid JSON \(.+\); expected \{"where"/);
  assert.deepEqual(issues('[1]'), [': a filter must be a JSON object {"where": ...}, got [1]']);
});

test('the top level has exactly the key "where"', () => {
  assert.deepEqual(issues('{"wher":{"key":"BotScore","operator":"lt","value":1}}'), [
    '/wher: "wher" is not allowed in a filter (did you mean "where"?); the only key is "where"',
    '/where: is required: a filter is {"where": {"and": [...]}, {"or": [...]} or a condition {"key", "operator", "value"}}',
  ]);
  assert.deepEqual(issues(`{"where":${JSON.stringify(condition('BotScore', 'lt', 1))},"limit":5}`), [
    '/limit: "limit" is not allowed in a filter; the only key is "where"',
  ]);
});

test('a node with "and" or "or" may not carry anything else, and its list may not be empty', () => {
  assert.deepEqual(issuesFor({ and: [condition('BotScore', 'lt', 1)], key: 'BotScore', operator: 'lt' }), [
    '/where: a node with "and" cannot also have "key", "operator"; put the condition inside the list',
  ]);
  assert.deepEqual(issuesFor({ and: [condition('BotScore', 'lt', 1)], or: [condition('BotScore', 'gt', 9)] }), [
    '/where: a node cannot have both "and" and "or"; nest one inside the other',
  ]);
  assert.deepEqual(issuesFor({ or: [] }), ['/where/or: "or" must be a non-empty array of nodes, got []']);
  assert.deepEqual(issuesFor({ and: condition('BotScore', 'lt', 1) }), [
    '/where/and: "and" must be a non-empty array of nodes, got {"key":"BotScore","operator":"lt","value":1}',
  ]);
  assert.deepEqual(issuesFor({ and: [5] }), [
    '/where/and/0: a filter node must be {"and": [...]}, {"or": [...]} or a condition {"key", "operator", "value"}, got 5',
  ]);
  assert.deepEqual(issuesFor({}), ['/where: an empty node; expected {"and": [...]}, {"or": [...]} or a condition {"key", "operator", "value"}']);
});

test('a condition needs key, operator and value, each reported at its own path', () => {
  assert.deepEqual(issuesFor({ key: 'BotScore', operator: 'lt' }), ['/where/value: is required: the condition on BotScore has no "value"']);
  assert.deepEqual(issuesFor({ operator: 'lt', value: 1 }), ['/where/key: is required: a condition has "key" (a field name), "operator" and "value"']);
  assert.match(issuesFor({ key: 'BotScore', value: 1 })[0] ?? '', /^\/where\/operator: is required: the condition for BotScore needs one of eq, !eq, lt,/);
});

test('an unknown node key is refused with a suggestion, its path escaped as a JSON pointer', () => {
  assert.deepEqual(issuesFor({ key: 'BotScore', operator: 'lt', valeu: 1, value: 1 }), [
    '/where/valeu: "valeu" is not a filter node key (did you mean "value"?); a node has "and", "or", or "key", "operator" and "value"',
  ]);
  assert.match(issuesFor({ and: [{ ...condition('BotScore', 'lt', 1), 'a/b~': 1 }] })[0] ?? '', /^\/where\/and\/0\/a~1b~0: "a\/b~" is not a filter node key;/);
});

test('the key must be a field of the dataset, with the closest field suggested', () => {
  assert.deepEqual(issuesFor(condition('ClientCountri', 'eq', 'us')), ['/where/key: "ClientCountri" is not a field of http_requests (did you mean "ClientCountry"?)']);
  assert.deepEqual(issuesFor(condition(7, 'eq', 'us')), ['/where/key: 7 is not a field name; expected the name of a http_requests field as a string']);
});

test('the operator must be a known one, with the closest operator suggested', () => {
  assert.deepEqual(issuesFor(condition('ClientRequestPath', 'startswith', '/a')), [
    '/where/operator: "startswith" is not an operator for ClientRequestPath (did you mean "startsWith"?); expected one of eq, !eq, lt, leq, gt, geq, startsWith, endsWith, !startsWith, !endsWith, contains, !contains, in, !in',
  ]);
  assert.match(issuesFor(condition('BotScore', 'gte', 1))[0] ?? '', /"gte" is not an operator for BotScore \(did you mean "gt"\?\)/);
});

test('each field kind accepts exactly the operators of the reference table', () => {
  for (const kind of KINDS) {
    const key = SAMPLE_FIELD[kind];
    for (const operator of ALLOWED[kind]) {
      assert.deepEqual(issuesFor(condition(key, operator, sampleValue(kind, operator))), [], `${key} ${operator}`);
    }
    if (kind === 'map' || kind === 'float-map') continue;
    for (const operator of refusedOperators(kind)) {
      const [issue = ''] = issuesFor(condition(key, operator, sampleValue(kind, operator)));
      assert.ok(issue.startsWith(`/where/operator: "${operator}" cannot be used on ${key} (`), issue);
      assert.ok(issue.includes(`allowed: ${ALLOWED[kind].join(', ')}`), issue);
    }
  }
});

test('object fields cannot be filtered with any operator', () => {
  assert.deepEqual(issuesFor(condition('RequestHeaders', 'eq', 'x')), ['/where/key: RequestHeaders is an object field; object fields cannot be filtered']);
  assert.deepEqual(issuesFor(condition('JA4Signals', 'gt', 1)), ['/where/key: JA4Signals is an object field; object fields cannot be filtered']);
});

test('a string field refuses a number, naming the field, the value and the expected type', () => {
  assert.deepEqual(issuesFor(condition('ClientCountry', 'eq', 1)), [
    '/where/value: 1 is not a valid value for ClientCountry (a string field) with "eq"; expected a string',
  ]);
});

test('each kind refuses values of the wrong type, with the field named', () => {
  const refused: [string, string, unknown][] = [
    ['EdgeResponseStatus', 'eq', 'two hundred'],
    ['EdgeResponseStatus', 'eq', 200.5],
    ['EdgeResponseStatus', 'gt', '200.5'],
    ['EdgeResponseStatus', 'eq', true],
    ['EdgeResponseStatus', 'eq', null],
    ['EdgeResponseBytes', 'lt', '9223372036854775808'],
    ['BotScore', 'lt', 'thirty'],
    ['EdgeResponseCompressionRatio', 'gt', 'half'],
    ['CacheTieredFill', 'eq', 'yes'],
    ['CacheTieredFill', 'eq', 1],
    ['EdgeStartTimestamp', 'gt', 'yesterday'],
    ['EdgeStartTimestamp', 'gt', '2024-02-30T00:00:00Z'],
    ['EdgeStartTimestamp', 'gt', 1.5],
    ['ClientRequestPath', 'startsWith', ['/a']],
    ['ClientRequestPath', 'contains', 5],
    ['BotTags', 'contains', 5],
    ['BotDetectionIDs', 'contains', 'x'],
    ['ClientCountry', 'in', 'us'],
    ['ClientCountry', 'in', []],
  ];
  for (const [key, operator, value] of refused) {
    const found = issuesFor(condition(key, operator, value));
    assert.equal(found.length, 1, `${key} ${operator} ${String(value)}: ${found.join('; ')}`);
    assert.ok(found[0]?.startsWith(`/where/value: `), found[0]);
    assert.ok(found[0]?.includes(`for ${key} (`), found[0]);
    assert.ok(found[0]?.includes('expected '), found[0]);
  }
});

test('numbers that a double cannot hold are refused rather than rounded', () => {
  // Raw text: these literals cannot be written in JavaScript without losing what was written.
  assert.deepEqual(issues('{"where":{"key":"EdgeResponseStatus","operator":"eq","value":9007199254740993.5}}'), [
    '/where/value: 9007199254740994 is not a valid value for EdgeResponseStatus (an integer field) with "eq"; expected an integer in the 64-bit range, as a JSON number or a numeric string such as "30"',
  ]);
  assert.deepEqual(issues('{"where":{"key":"EdgeResponseCompressionRatio","operator":"gt","value":1e400}}'), [
    '/where/value: Infinity is not a valid value for EdgeResponseCompressionRatio (a number field) with "gt"; expected a number, as a JSON number or a numeric string such as "0.5"',
  ]);
});

test('each bad element of an "in" list is reported at its index', () => {
  assert.deepEqual(issuesFor(condition('EdgeResponseStatus', 'in', [200, 'ok', 201, 2.5])), [
    '/where/value/1: "ok" is not a valid element for EdgeResponseStatus (an integer field) with "in"; expected an integer in the 64-bit range, as a JSON number or a numeric string such as "30"',
    '/where/value/3: 2.5 is not a valid element for EdgeResponseStatus (an integer field) with "in"; expected an integer in the 64-bit range, as a JSON number or a numeric string such as "30"',
  ]);
});

test('numeric fields accept numeric strings, and booleans accept "true" and "false"', () => {
  accepted(filterText(condition('BotScore', 'lt', '30')));
  accepted(filterText(condition('EdgeResponseStatus', 'in', ['200', 201])));
  accepted(filterText(condition('EdgeResponseCompressionRatio', 'geq', '0.25')));
  accepted(filterText(condition('CacheTieredFill', 'eq', 'false')));
  accepted(filterText(condition('EdgeStartTimestamp', 'lt', '1714521600000000000')));
  accepted(filterText(condition('EdgeStartTimestamp', 'lt', '2024-05-01T00:00:00.123456789+02:00')));
});

test('integer literals beyond 2^53 are kept exact in the checked filter', () => {
  const filter = accepted('{"where":{"key":"EdgeResponseBytes","operator":"eq","value":9007199254740993}}');
  assert.deepEqual(filter.where, { key: 'EdgeResponseBytes', operator: 'eq', value: 9007199254740993n });
});

test('every problem in a filter is reported, each at its own path', () => {
  const where = { and: [condition('ClientCountri', 'eq', 'us'), condition('ClientCountry', 'lt', 'us'), condition('BotScore', 'lt', 'x'), { or: [{ key: 'BotScore' }] }] };
  assert.deepEqual(
    issuesFor(where).map((issue) => issue.slice(0, issue.indexOf(':'))),
    ['/where/and/0/key', '/where/and/1/operator', '/where/and/2/value', '/where/and/3/or/0/operator', '/where/and/3/or/0/value'],
  );
});

test('the text may be 1,000 bytes of UTF-8 but not 1,001', () => {
  const base = filterText(condition('ClientRequestPath', 'contains', ''));
  const padded = (bytes: number) => `${base.slice(0, -1)}${' '.repeat(bytes - base.length)}}`;
  assert.equal(Buffer.byteLength(padded(1000)), 1000);
  accepted(padded(1000));
  assert.deepEqual(issues(padded(1001)), [': the filter is 1001 bytes long; at most 1000 bytes (UTF-8) are allowed']);
  // Counted in bytes, not characters: 'é' is two bytes.
  const spare = 1001 - base.length;
  const accented = filterText(condition('ClientRequestPath', 'contains', 'é'.repeat(Math.floor(spare / 2)) + 'a'.repeat(spare % 2)));
  assert.ok(accented.length <= 1000 && Buffer.byteLength(accented) === 1001);
  assert.deepEqual(issues(accented), [': the filter is 1001 bytes long; at most 1000 bytes (UTF-8) are allowed']);
});

test('at most 30 conditions are allowed, counted across every level', () => {
  const conditions = (count: number) => Array.from({ length: count }, (_, i) => condition('BotScore', 'gt', i));
  const nested = (count: number) => ({ or: [...conditions(count - 10), { and: [...conditions(5), { or: conditions(5) }] }] });
  // 30 conditions cannot fit in 1,000 bytes (each takes ~40), so the byte limit is lifted here.
  accepted(filterText(nested(30)), UNLIMITED_BYTES);
  assert.deepEqual(issues(filterText(nested(31)), UNLIMITED_BYTES), ['/where: the filter has 31 conditions; at most 30 conditions are allowed']);
  // With both limits in force both are reported.
  const both = issues(filterText(nested(31)));
  assert.equal(both.length, 2);
  assert.match(both[0] ?? '', /^: the filter is \d+ bytes long; at most 1000 bytes/);
  assert.equal(both[1], '/where: the filter has 31 conditions; at most 30 conditions are allowed');
});

test('nesting deeper than 64 levels is an issue, not a stack overflow', () => {
  const nest = (depth: number): unknown => (depth === 1 ? condition('BotScore', 'lt', 1) : { and: [nest(depth - 1)] });
  accepted(filterText(nest(64)), UNLIMITED_BYTES);
  const tooDeep = issues(filterText(nest(65)), UNLIMITED_BYTES);
  assert.equal(tooDeep.length, 1);
  assert.match(tooDeep[0] ?? '', /^(\/where)(\/and\/0){64}: "and"\/"or" nesting is deeper than the limit of 64 levels$/);
  const pathological = `{"where":${'{"and":['.repeat(100_000)}${']}'.repeat(100_000)}}`;
  const found = issues(pathological);
  assert.equal(found.length, 2);
  assert.match(found[1] ?? '', /nesting is deeper than the limit of 64 levels$/);
});
