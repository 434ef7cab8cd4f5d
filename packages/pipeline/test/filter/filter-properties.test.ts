import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DatasetRecord, FieldKind } from '@sluice/schemas';
import { compileFilter } from '../../src/filter/compile-filter.js';
import { FILTER_LIMITS } from '../../src/filter/filter-limits.js';
import type { FilterOperator } from '../../src/filter/filter-node.js';
import { parseFilter } from '../../src/filter/parse-filter.js';
import { ALLOWED, filterText, http, refusedOperators } from './filter-fixtures.js';

// Generated trees can exceed 1,000 bytes; the size limit has its own tests.
const ROOMY = { ...FILTER_LIMITS, maxBytes: 1_000_000, maxConditions: 1_000 };
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MAX = 2n ** 63n - 1n;
const MAP_FIELDS = http.fields.filter((field) => field.kind === 'map' || field.kind === 'float-map').map((field) => field.name);
const FILTERABLE = http.fields.filter((field) => ALLOWED[field.kind].length > 0);

interface Condition {
  key: string;
  operator: FilterOperator;
  value: unknown;
}
type Node = { and: Node[] } | { or: Node[] } | Condition;

// Small pools shared by filter values and record values, so that conditions often match.
const text = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é'), maxLength: 4 });
const exactInt: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.bigInt({ min: MAX_SAFE - 2n, max: MAX_SAFE + 3n }),
  fc.bigInt({ min: -INT64_MAX - 1n, max: INT64_MAX }),
);
const double = fc.oneof(fc.constantFrom(-1, 0, 0.5, 1.5, 2, 2 ** 60), fc.double({ noNaN: true, noDefaultInfinity: true }));
const nanos = fc.oneof(
  fc.bigInt({ min: 0n, max: 3n }),
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => BigInt(date.getTime()) * 1_000_000n),
);

/** How a person might write a value of each kind in a filter (numbers as numbers or strings, ...). */
function writtenScalar(kind: FieldKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'string':
    case 'string[]':
      return text;
    case 'int':
    case 'int[]':
      return fc.oneof(exactInt.map(writeExactly), exactInt.map(String));
    case 'float':
      return fc.oneof(double, double.map(String));
    case 'bool':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 'false'));
    case 'timestamp':
      return fc.oneof(nanos, nanos.map(String), nanos.map((ns) => new Date(Number(ns / 1_000_000n)).toISOString()));
    default:
      return fc.constant(null);
  }
}

/** A bigint that is safe is written as a plain JSON number, as a person would. */
function writeExactly(value: number | bigint): number | bigint {
  return typeof value === 'bigint' && value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

const conditionArb: fc.Arbitrary<Condition> = fc.constantFrom(...FILTERABLE).chain((field) =>
  fc.constantFrom(...ALLOWED[field.kind]).chain((operator) => {
    const scalar = writtenScalar(field.kind);
    const value = operator === 'in' || operator === '!in' ? fc.array(scalar, { minLength: 1, maxLength: 4 }) : scalar;
    return value.map((written) => ({ key: field.name, operator, value: written }));
  }),
);

const whereArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node; and: Node; or: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 4 }, conditionArb, tie('and'), tie('or')),
  and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((list) => ({ and: list })),
  or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((list) => ({ or: list })),
})).node;

/** Every condition with its JSON pointer. */
function conditionsOf(node: Node, path = '/where'): { condition: Condition; path: string }[] {
  if ('and' in node) return node.and.flatMap((child, i) => conditionsOf(child, `${path}/and/${i}`));
  if ('or' in node) return node.or.flatMap((child, i) => conditionsOf(child, `${path}/or/${i}`));
  return [{ condition: node, path }];
}

// Record values: absent, null, a well-typed value from the pools, or something of the wrong type.
const ABSENT = Symbol('absent');
function recordValue(kind: FieldKind): fc.Arbitrary<unknown> {
  const good: Partial<Record<FieldKind, fc.Arbitrary<unknown>>> = {
    string: text,
    int: exactInt.map(writeExactly),
    float: double,
    bool: fc.boolean(),
    timestamp: nanos,
    'string[]': fc.array(text, { maxLength: 3 }),
    'int[]': fc.array(exactInt, { maxLength: 3 }),
  };
  const wrong = fc.oneof(fc.anything(), fc.constantFrom(NaN, -0, Infinity, 5n, '5', ['a'], [5]));
  return fc.oneof(fc.constant(ABSENT), fc.constant(null), { arbitrary: good[kind] ?? fc.constant(null), weight: 4 }, wrong);
}

function recordArb(keys: readonly string[]): fc.Arbitrary<DatasetRecord> {
  const values = keys.map((key) => recordValue(http.field(key)?.kind ?? 'string'));
  return fc.tuple(...values).map((drawn) => {
    const record: DatasetRecord = {};
    drawn.forEach((value, i) => {
      if (value !== ABSENT) record[keys[i] ?? ''] = value;
    });
    return record;
  });
}

// ---- The reference evaluator: a direct, slow reading of the rules, independent of src. ----

type Exact = number | bigint;

function isNum(value: unknown): value is Exact {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Exact comparison of two numbers of either type; undefined when NaN is involved. */
function compare(a: Exact, b: Exact): number | undefined {
  const integral = (x: Exact) => typeof x === 'bigint' || Number.isInteger(x);
  if (integral(a) && integral(b)) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // One side is not an integer, so its magnitude is below 2^53 and rounding the other cannot reorder them.
  const [x, y] = [Number(a), Number(b)];
  if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

function refOperand(kind: FieldKind, written: unknown): unknown {
  if (kind === 'bool') return written === true || written === 'true';
  if (kind === 'string' || kind === 'string[]') return written;
  // Float fields hold doubles: whatever was written means the nearest double.
  if (kind === 'float') return Number(written);
  if (typeof written !== 'string') return written;
  if (/^-?\d+$/.test(written)) return BigInt(written);
  return BigInt(Date.parse(written)) * 1_000_000n;
}

function refEquals(kind: FieldKind, actual: unknown, target: unknown): boolean {
  if (kind === 'string' || kind === 'string[]' || kind === 'bool') return actual === target;
  return isNum(actual) && isNum(target) && compare(actual, target) === 0;
}

function refPositive(kind: FieldKind, operator: string, actual: unknown, written: unknown): boolean {
  const target = refOperand(kind, written);
  switch (operator) {
    case 'eq':
      return refEquals(kind, actual, target);
    case 'lt':
    case 'leq':
    case 'gt':
    case 'geq': {
      const order = isNum(actual) && isNum(target) ? compare(actual, target) : undefined;
      if (order === undefined) return false;
      return operator === 'lt' ? order < 0 : operator === 'leq' ? order <= 0 : operator === 'gt' ? order > 0 : order >= 0;
    }
    case 'startsWith':
      return typeof actual === 'string' && actual.slice(0, String(target).length) === target;
    case 'endsWith':
      return typeof actual === 'string' && actual.length >= String(target).length && actual.slice(actual.length - String(target).length) === target;
    case 'contains':
      if (kind === 'string') return typeof actual === 'string' && actual.indexOf(String(target)) !== -1;
      return Array.isArray(actual) && actual.some((element) => refEquals(kind, element, target));
    case 'in':
      return (written as unknown[]).some((member) => refEquals(kind, actual, refOperand(kind, member)));
    default:
      throw new Error(`reference evaluator: unknown operator ${operator}`);
  }
}

function reference(node: Node, record: DatasetRecord): boolean {
  if ('and' in node) return node.and.every((child) => reference(child, record));
  if ('or' in node) return node.or.some((child) => reference(child, record));
  const kind = http.field(node.key)?.kind ?? 'string';
  const actual = record[node.key] ?? undefined;
  const negated = node.operator.startsWith('!');
  const positive = actual !== undefined && refPositive(kind, negated ? node.operator.slice(1) : node.operator, actual, node.value);
  return negated ? !positive : positive;
}

test('valid filters over http_requests parse, compile, never throw and agree with a reference evaluator', () => {
  const outcomes = { passed: 0, failed: 0 };
  const scenario = whereArb.chain((where) => {
    const keys = [...new Set(conditionsOf(where).map(({ condition }) => condition.key))];
    return fc.tuple(fc.constant(where), fc.array(recordArb(keys), { minLength: 1, maxLength: 8 }));
  });
  fc.assert(
    fc.property(scenario, ([where, records]) => {
      const result = parseFilter(filterText(where), http, ROOMY);
      if (!result.ok) assert.fail(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
      assert.ok(result.filter !== undefined);
      assert.deepEqual(result.filter.fieldNames, [...new Set(conditionsOf(where).map(({ condition }) => condition.key))]);
      const matches = compileFilter(result.filter, http);
      for (const record of records) {
        const passed = matches(record);
        assert.equal(passed, reference(where, record));
        outcomes[passed ? 'passed' : 'failed']++;
      }
    }),
    { numRuns: 500 },
  );
  // Guard against a vacuous property: the pools must make records both pass and fail.
  assert.ok(outcomes.passed > 100 && outcomes.failed > 100, JSON.stringify(outcomes));
});

type Mutation = 'unknown node key' | 'unknown field' | 'operator for another type' | 'value of the wrong type' | 'object field' | 'missing member';

const MUTATIONS: Mutation[] = ['unknown node key', 'unknown field', 'operator for another type', 'value of the wrong type', 'object field', 'missing member'];

function wrongValue(kind: FieldKind, operator: FilterOperator): unknown {
  if (operator === 'in' || operator === '!in') return kind === 'string' ? ['ok', 42] : 'not a list';
  if (kind === 'string' || kind === 'string[]') return 42;
  if (kind === 'bool') return 'maybe';
  return 'not a number';
}

/** Applies the mutation to one condition; returns the word the resulting issue must mention. */
function mutate(condition: Condition, mutation: Mutation, pick: number): string {
  const record = condition as unknown as Record<string, unknown>;
  const kind = http.field(condition.key)?.kind ?? 'string';
  switch (mutation) {
    case 'unknown node key': {
      const extra = ['valeu', 'keys', 'operater', 'not', 'where', 'field'][pick % 6] ?? 'x';
      record[extra] = 1;
      return extra;
    }
    case 'unknown field':
      condition.key = `No${condition.key}`;
      return condition.key;
    case 'operator for another type': {
      const refused = refusedOperators(kind);
      condition.operator = refused[pick % refused.length] ?? 'lt';
      return condition.key;
    }
    case 'value of the wrong type':
      condition.value = wrongValue(kind, condition.operator);
      return condition.key;
    case 'object field':
      condition.key = MAP_FIELDS[pick % MAP_FIELDS.length] ?? 'RequestHeaders';
      return condition.key;
    case 'missing member': {
      const member = (['key', 'operator', 'value'] as const)[pick % 3] ?? 'value';
      delete record[member];
      return member === 'key' ? '"key"' : condition.key;
    }
  }
}

test('a valid filter with one mutation is refused, pointing into the mutated condition and naming the culprit', () => {
  const scenario = fc.record({ where: whereArb, at: fc.nat(), mutation: fc.constantFrom(...MUTATIONS), pick: fc.nat() });
  fc.assert(
    fc.property(scenario, ({ where, at, mutation, pick }) => {
      const mutated = structuredClone(where);
      const targets = conditionsOf(mutated);
      const target = targets[at % targets.length];
      assert.ok(target !== undefined);
      const culprit = mutate(target.condition, mutation, pick);
      const result = parseFilter(filterText(mutated), http, ROOMY);
      assert.equal(result.ok, false, `${mutation} was accepted`);
      if (result.ok) return;
      const found = result.issues.some((issue) => issue.path.startsWith(`${target.path}/`) && issue.message.includes(culprit));
      assert.ok(found, `${mutation} at ${target.path}: ${result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    }),
    { numRuns: 500 },
  );
});
