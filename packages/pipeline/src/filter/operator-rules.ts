// Which operators apply to which kinds of field, and how to name a kind in an error message.
import type { FieldKind } from '@sluice/schemas';
import type { FilterOperator } from './filter-node.js';

/** The operators that are not a negation; every `!op` is exactly `not op`. */
export type PositiveOperator = 'eq' | 'lt' | 'leq' | 'gt' | 'geq' | 'startsWith' | 'endsWith' | 'contains' | 'in';

const EQUALITY: readonly FilterOperator[] = ['eq', '!eq'];
const ORDER: readonly FilterOperator[] = ['lt', 'leq', 'gt', 'geq'];
const AFFIX: readonly FilterOperator[] = ['startsWith', 'endsWith', '!startsWith', '!endsWith'];
const CONTAINS: readonly FilterOperator[] = ['contains', '!contains'];
const MEMBERSHIP: readonly FilterOperator[] = ['in', '!in'];

/**
 * Logpush's table (reference §5) widened where the meaning is obvious: floats and timestamps
 * compare and match `in` like integers. Object fields (maps) cannot be filtered at all.
 */
export const OPERATORS_BY_KIND: Readonly<Record<FieldKind, readonly FilterOperator[]>> = {
  string: [...EQUALITY, ...AFFIX, ...CONTAINS, ...MEMBERSHIP],
  int: [...EQUALITY, ...ORDER, ...MEMBERSHIP],
  float: [...EQUALITY, ...ORDER, ...MEMBERSHIP],
  timestamp: [...EQUALITY, ...ORDER, ...MEMBERSHIP],
  bool: EQUALITY,
  'string[]': CONTAINS,
  'int[]': CONTAINS,
  map: [],
  'float-map': [],
};

/** A field kind as a person reads it: "ClientCountry (a string field)". */
export const KIND_TEXT: Readonly<Record<FieldKind, string>> = {
  string: 'a string field',
  int: 'an integer field',
  float: 'a number field',
  timestamp: 'a timestamp field',
  bool: 'a boolean field',
  'string[]': 'an array-of-strings field',
  'int[]': 'an array-of-integers field',
  map: 'an object field',
  'float-map': 'an object field',
};

export function isObjectKind(kind: FieldKind): boolean {
  return kind === 'map' || kind === 'float-map';
}

export function isNegated(operator: FilterOperator): boolean {
  return operator.startsWith('!');
}

export function positiveOf(operator: FilterOperator): PositiveOperator {
  return (isNegated(operator) ? operator.slice(1) : operator) as PositiveOperator;
}
