// One condition's positive operator as a closure over its converted value: the per-record hot path.
import type { FieldKind } from '@sluice/schemas';
import { canonicalNumber, isNumeric, operandKind, toNumericOperand, toOperand } from './filter-operand.js';
import type { OperandKind } from './filter-operand.js';
import type { PositiveOperator } from './operator-rules.js';

/**
 * True when a record's value satisfies the condition. Absent values (undefined, null) and values of
 * an unexpected type fail every test; negated operators invert the result, so they pass.
 */
export type ValueTest = (value: unknown) => boolean;

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** Equality across number and bigint: both sides canonical (see canonicalNumber). */
function sameNumber(target: number | bigint): ValueTest {
  return (value) => isNumeric(value) && canonicalNumber(value) === target;
}

/**
 * The test for `operator` on a field of `kind` against the written `value`, or undefined when the
 * value does not convert (parseFilter has already refused such filters). Conversion happens here,
 * once per job: numeric strings, RFC 3339 text and `in` arrays become numbers, bigints and Sets.
 */
export function compileValueTest(kind: FieldKind, operator: PositiveOperator, value: unknown): ValueTest | undefined {
  const elementKind = operandKind(kind);
  if (elementKind === undefined) return undefined;
  switch (operator) {
    case 'eq': {
      const target = toOperand(elementKind, value);
      if (target === undefined) return undefined;
      return isNumeric(target) ? sameNumber(target) : (actual) => actual === target;
    }
    case 'lt':
    case 'leq':
    case 'gt':
    case 'geq': {
      if (elementKind !== 'int' && elementKind !== 'float' && elementKind !== 'timestamp') return undefined;
      const target = toNumericOperand(elementKind, value);
      if (target === undefined) return undefined;
      // `<` and friends compare number with bigint by exact value (unlike `===`); NaN fails all.
      if (operator === 'lt') return (actual) => isNumeric(actual) && actual < target;
      if (operator === 'leq') return (actual) => isNumeric(actual) && actual <= target;
      if (operator === 'gt') return (actual) => isNumeric(actual) && actual > target;
      return (actual) => isNumeric(actual) && actual >= target;
    }
    case 'startsWith':
    case 'endsWith': {
      if (kind !== 'string' || typeof value !== 'string') return undefined;
      return operator === 'startsWith'
        ? (actual) => typeof actual === 'string' && actual.startsWith(value)
        : (actual) => typeof actual === 'string' && actual.endsWith(value);
    }
    case 'contains':
      return containsTest(kind, value);
    case 'in':
      return inTest(elementKind, value);
  }
}

function containsTest(kind: FieldKind, value: unknown): ValueTest | undefined {
  if (kind === 'string' && typeof value === 'string') {
    return (actual) => typeof actual === 'string' && actual.includes(value);
  }
  if (kind === 'string[]' && typeof value === 'string') {
    return (actual) => isList(actual) && actual.includes(value);
  }
  if (kind === 'int[]') {
    const target = toNumericOperand('int', value);
    if (target === undefined) return undefined;
    const matches = sameNumber(target);
    return (actual) => isList(actual) && actual.some(matches);
  }
  return undefined;
}

function inTest(kind: OperandKind, value: unknown): ValueTest | undefined {
  if (kind === 'bool' || !isList(value) || value.length === 0) return undefined;
  const members = value.map((element) => toOperand(kind, element));
  if (members.some((member) => member === undefined)) return undefined;
  const set = new Set(members);
  if (kind === 'string') return (actual) => typeof actual === 'string' && set.has(actual);
  // Members are canonical, so Set's SameValueZero finds 5 for a record's 5n and vice versa.
  return (actual) => isNumeric(actual) && set.has(canonicalNumber(actual));
}
