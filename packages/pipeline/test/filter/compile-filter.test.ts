import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '@sluice/schemas';
import { compileFilter } from '../../src/filter/compile-filter.js';
import type { RecordPredicate } from '../../src/filter/compile-filter.js';
import type { CheckedFilter } from '../../src/filter/filter-node.js';
import { parseFilter } from '../../src/filter/parse-filter.js';
import { condition, filterText, http } from './filter-fixtures.js';

function checked(where: unknown): CheckedFilter {
  const result = parseFilter(filterText(where), http);
  if (!result.ok) assert.fail(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  assert.ok(result.filter !== undefined);
  return result.filter;
}

function compile(where: unknown): RecordPredicate {
  return compileFilter(checked(where), http);
}

/** Asserts which of `values` of `key` pass the condition and which do not. */
function expectValues(key: string, operator: string, value: unknown, passing: unknown[], failing: unknown[]): void {
  const matches = compile(condition(key, operator, value));
  const label = (actual: unknown) => `${key} ${operator} ${String(value)} on ${typeof actual} ${String(actual)}`;
  for (const actual of passing) assert.equal(matches({ [key]: actual }), true, label(actual));
  for (const actual of failing) assert.equal(matches({ [key]: actual }), false, label(actual));
}

test("the documentation's examples select the records they describe", () => {
  const staticOnExample = compile({ and: [condition('ClientRequestPath', 'contains', '/static'), condition('ClientRequestHost', 'eq', 'example.com')] });
  assert.equal(staticOnExample({ ClientRequestPath: '/static/app.js', ClientRequestHost: 'example.com' }), true);
  assert.equal(staticOnExample({ ClientRequestPath: '/static/app.js', ClientRequestHost: 'www.example.com' }), false);
  assert.equal(staticOnExample({ ClientRequestPath: '/api', ClientRequestHost: 'example.com' }), false);
  expectValues('EdgeResponseStatus', 'in', [200, 201], [200, 201, 201n], [202, 404, '200']);
  expectValues('BotScore', 'lt', '30', [1, 29, -5], [30, 31, 99]);
});

test('eq and !eq compare strings case-sensitively', () => {
  expectValues('ClientCountry', 'eq', 'us', ['us'], ['US', 'us ', '', 'usa']);
  expectValues('ClientCountry', '!eq', 'us', ['US', 'fr'], ['us']);
});

test('eq and !eq on integers, floats, booleans and timestamps', () => {
  expectValues('EdgeResponseStatus', 'eq', 200, [200, 200n], [201, 200.5, '200']);
  expectValues('EdgeResponseStatus', 'eq', '200', [200, 200n], [201]);
  expectValues('EdgeResponseStatus', '!eq', 200, [201, 'x'], [200, 200n]);
  expectValues('EdgeResponseCompressionRatio', 'eq', 0.5, [0.5], [0.25, '0.5']);
  expectValues('EdgeResponseCompressionRatio', 'eq', '0.5', [0.5], [0.50001]);
  expectValues('CacheTieredFill', 'eq', true, [true], [false, 'true', 1]);
  expectValues('CacheTieredFill', 'eq', 'false', [false], [true]);
  expectValues('CacheTieredFill', '!eq', true, [false], [true]);
  expectValues('EdgeStartTimestamp', 'eq', '2024-05-01T00:00:00Z', [1714521600000000000n], [1714521600000000001n]);
  expectValues('EdgeStartTimestamp', 'eq', 1714521600000000000n, [1714521600000000000n], [1714521599999999999n]);
});

test('a float operand means the nearest double, as the field itself holds doubles', () => {
  // 1152921504606847000 is how JavaScript prints 2^60 (1152921504606846976).
  const parsed = parseFilter('{"where":{"key":"EdgeResponseCompressionRatio","operator":"in","value":[1152921504606847000]}}', http);
  assert.ok(parsed.ok && parsed.filter !== undefined);
  const matches = compileFilter(parsed.filter, http);
  assert.equal(matches({ EdgeResponseCompressionRatio: 2 ** 60 }), true);
  assert.equal(matches({ EdgeResponseCompressionRatio: 2 ** 60 + 256 }), false);
  expectValues('EdgeResponseCompressionRatio', 'eq', '1152921504606847000', [2 ** 60], [2 ** 60 - 256]);
});

test('lt, leq, gt and geq order integers, floats and timestamps', () => {
  expectValues('BotScore', 'lt', 30, [29, 29n, -1], [30, 31]);
  expectValues('BotScore', 'leq', 30, [30, 30n, 29], [31]);
  expectValues('BotScore', 'gt', '30', [31, 31n], [30, 29]);
  expectValues('BotScore', 'geq', 30, [30, 99], [29.9, 29]);
  expectValues('EdgeResponseCompressionRatio', 'lt', '0.5', [0.49, 0], [0.5, 2]);
  expectValues('EdgeResponseCompressionRatio', 'geq', 1, [1, 1.01], [0.99]);
  // 2024-05-01T00:00:00.5Z = 1714521600500000000 ns
  expectValues('EdgeStartTimestamp', 'gt', '2024-05-01T00:00:00.5Z', [1714521600500000001n], [1714521600500000000n, 1714521600000000000n]);
  expectValues('EdgeStartTimestamp', 'leq', '1714521600500000000', [1714521600500000000n], [1714521600500000001n]);
  expectValues('EdgeStartTimestamp', 'lt', '2024-05-01T02:00:00+02:00', [1714521599999999999n], [1714521600000000000n]);
  expectValues('EdgeStartTimestamp', 'geq', 1714521600000000000n, [1714521600000000000n, 1714521600000000001n], [1714521599999999999n]);
});

test('startsWith, endsWith and their negations match string affixes case-sensitively', () => {
  expectValues('ClientRequestPath', 'startsWith', '/api/', ['/api/v1', '/api/'], ['/API/v1', '/ap', 'x/api/']);
  expectValues('ClientRequestPath', 'endsWith', '.js', ['/app.js', '.js'], ['/app.JS', '/app.jsx']);
  expectValues('ClientRequestPath', '!startsWith', '/api/', ['/web', '/API/'], ['/api/v1']);
  expectValues('ClientRequestPath', '!endsWith', '.js', ['/app.css'], ['/app.js']);
});

test('contains finds substrings in strings and members in arrays', () => {
  expectValues('ClientRequestPath', 'contains', '/static', ['/a/static/b', '/static'], ['/Static', '/stati']);
  expectValues('ClientRequestPath', '!contains', '/static', ['/api'], ['/static/x']);
  expectValues('BotTags', 'contains', 'api', [['api'], ['x', 'api']], [['API'], ['apis'], [], 'api']);
  expectValues('BotTags', '!contains', 'api', [['x'], []], [['api']]);
  expectValues('BotDetectionIDs', 'contains', 7, [[7], [1, 7n]], [[8], ['7'], []]);
  expectValues('BotDetectionIDs', 'contains', '7', [[7]], [[70]]);
});

test('in and !in test membership of strings, integers, floats and timestamps', () => {
  expectValues('ClientCountry', 'in', ['us', 'fr'], ['us', 'fr'], ['de', 'US']);
  expectValues('ClientCountry', '!in', ['us', 'fr'], ['de'], ['us']);
  expectValues('EdgeResponseStatus', 'in', ['200', 404], [200, 404, 404n], [201, '404']);
  expectValues('EdgeResponseStatus', '!in', [200, 201], [404], [200, 201n]);
  expectValues('EdgeResponseCompressionRatio', 'in', [0.5, '1.5'], [0.5, 1.5], [1]);
  expectValues('EdgeStartTimestamp', 'in', ['2024-05-01T00:00:00Z', 5], [1714521600000000000n, 5n], [6n]);
});

test('integers beyond 2^53 compare exactly, whether records hold numbers or bigints', () => {
  const big = '{"where":{"key":"EdgeResponseBytes","operator":"eq","value":9007199254740993}}';
  const parsed = parseFilter(big, http);
  assert.ok(parsed.ok && parsed.filter !== undefined);
  const eqBig = compileFilter(parsed.filter, http);
  assert.equal(eqBig({ EdgeResponseBytes: 9007199254740993n }), true);
  assert.equal(eqBig({ EdgeResponseBytes: 9007199254740992n }), false);
  assert.equal(eqBig({ EdgeResponseBytes: 9007199254740992 }), false);
  expectValues('EdgeResponseBytes', 'eq', '9007199254740993', [9007199254740993n], [9007199254740992n, 9007199254740994n]);
  // A record may hold a safe value as a bigint, or 2^53 as a (still exact) number.
  expectValues('EdgeResponseBytes', 'eq', 5, [5n, 5], [6n]);
  expectValues('EdgeResponseBytes', 'eq', '9007199254740992', [9007199254740992, 9007199254740992n], [9007199254740993n]);
  expectValues('EdgeResponseBytes', 'gt', '9007199254740992', [9007199254740993n], [9007199254740992n, 9007199254740992, 1]);
  expectValues('EdgeResponseBytes', 'lt', '9223372036854775807', [9223372036854775806n, 0], [9223372036854775807n]);
  expectValues('EdgeResponseBytes', 'in', ['9007199254740993', 1], [9007199254740993n, 1n, 1], [9007199254740992n]);
  expectValues('BotDetectionIDs', 'contains', '9007199254740993', [[9007199254740993n]], [[9007199254740992n], [9007199254740992]]);
  expectValues('EdgeResponseBytes', '!eq', '9007199254740993', [9007199254740992n], [9007199254740993n]);
});

test('an absent value fails positive operators and passes negated ones', () => {
  const pairs: [string, unknown, string, string][] = [
    ['ClientCountry', 'us', 'eq', '!eq'],
    ['ClientRequestPath', '/a', 'startsWith', '!startsWith'],
    ['ClientRequestPath', '/a', 'endsWith', '!endsWith'],
    ['ClientRequestPath', '/a', 'contains', '!contains'],
    ['BotTags', 'api', 'contains', '!contains'],
    ['ClientCountry', ['us'], 'in', '!in'],
    ['EdgeResponseStatus', [200], 'in', '!in'],
  ];
  for (const [key, value, positive, negated] of pairs) {
    for (const record of [{}, { [key]: null }, { [key]: undefined }]) {
      assert.equal(compile(condition(key, positive, value))(record), false, `${key} ${positive}`);
      assert.equal(compile(condition(key, negated, value))(record), true, `${key} ${negated}`);
    }
  }
  for (const operator of ['lt', 'leq', 'gt', 'geq']) assert.equal(compile(condition('BotScore', operator, 30))({}), false);
});

test('a record value of an unexpected type fails the condition and passes its negation, never throwing', () => {
  const odd: unknown[] = [null, 'x', 5, 5n, NaN, true, [], ['x'], {}, { valueOf: () => { throw new Error('no'); } }, Symbol('s'), () => 1];
  // Each positive condition with its negation (ordering operators have none).
  const pairs: [Record<string, unknown>, string | undefined][] = [
    [condition('ClientCountry', 'eq', 'us'), '!eq'],
    [condition('ClientRequestPath', 'startsWith', '/'), '!startsWith'],
    [condition('ClientRequestPath', 'contains', ''), '!contains'],
    [condition('BotScore', 'lt', 1e6), undefined],
    [condition('BotScore', 'in', [5]), '!in'],
    [condition('EdgeStartTimestamp', 'gt', 0), undefined],
    [condition('BotTags', 'contains', 'x'), '!contains'],
    [condition('BotDetectionIDs', 'contains', 5), '!contains'],
    [condition('CacheTieredFill', 'eq', true), '!eq'],
  ];
  for (const [where, negation] of pairs) {
    const positive = compile(where);
    const negated = negation === undefined ? undefined : compile({ ...where, operator: negation });
    for (const value of odd) {
      const record = { [String(where.key)]: value };
      const passes = positive(record);
      assert.equal(typeof passes, 'boolean');
      if (negated !== undefined) assert.equal(negated(record), !passes);
    }
  }
  // The plausible cases are refused, not coerced.
  assert.equal(compile(condition('ClientCountry', 'eq', 'us'))({ ClientCountry: ['us'] }), false);
  assert.equal(compile(condition('BotScore', 'lt', 30))({ BotScore: '5' }), false);
  assert.equal(compile(condition('BotScore', 'lt', 30))({ BotScore: NaN }), false);
  assert.equal(compile(condition('BotScore', '!eq', 30))({ BotScore: NaN }), true);
  // Not even a record: judged as if every field were absent.
  assert.equal(compile(condition('ClientCountry', '!eq', 'us'))(null as unknown as DatasetRecord), true);
});

test('and needs every part, or needs one, nested three levels deep', () => {
  const matches = compile({
    or: [
      { and: [condition('ClientCountry', 'eq', 'us'), { or: [condition('BotScore', 'lt', 30), condition('BotTags', 'contains', 'bad')] }] },
      condition('EdgeResponseStatus', 'geq', 500),
    ],
  });
  assert.equal(matches({ ClientCountry: 'us', BotScore: 10 }), true);
  assert.equal(matches({ ClientCountry: 'us', BotScore: 90, BotTags: ['bad'] }), true);
  assert.equal(matches({ ClientCountry: 'us', BotScore: 90, BotTags: ['good'] }), false);
  assert.equal(matches({ ClientCountry: 'fr', BotScore: 10 }), false);
  assert.equal(matches({ ClientCountry: 'fr', EdgeResponseStatus: 503 }), true);
  assert.equal(matches({}), false);
});

test('and and or stop at the first part that decides', () => {
  const reads: string[] = [];
  const spy = (fields: DatasetRecord) =>
    new Proxy(fields, {
      get: (target, key: string) => {
        reads.push(key);
        return target[key];
      },
    });
  compile({ or: [condition('ClientCountry', 'eq', 'us'), condition('BotScore', 'lt', 30)] })(spy({ ClientCountry: 'us' }));
  assert.deepEqual(reads, ['ClientCountry']);
  reads.length = 0;
  compile({ and: [condition('ClientCountry', 'eq', 'us'), condition('BotScore', 'lt', 30)] })(spy({ ClientCountry: 'fr' }));
  assert.deepEqual(reads, ['ClientCountry']);
});

test('values are converted when compiling: changing the filter afterwards changes nothing', () => {
  const filter = checked(condition('EdgeResponseStatus', 'in', ['200', 201]));
  const matches = compileFilter(filter, http);
  (filter.where as { value: unknown[] }).value.push(404);
  assert.equal(matches({ EdgeResponseStatus: 404 }), false);
  assert.equal(matches({ EdgeResponseStatus: 200 }), true);
});

test('a filter that was not checked for the dataset is refused when compiling', () => {
  const unchecked = (where: unknown): CheckedFilter => ({ where: where as CheckedFilter['where'], fieldNames: [] });
  assert.throws(() => compileFilter(unchecked(condition('NoSuchField', 'eq', 'x')), http), /the condition on "NoSuchField" was not checked for http_requests/);
  assert.throws(() => compileFilter(unchecked(condition('ClientCountry', 'lt', 5)), http), /was not checked/);
  assert.throws(() => compileFilter(unchecked(condition('ClientCountry', 'eq', 5)), http), /was not checked/);
});
