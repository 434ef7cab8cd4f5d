// Shared test fixtures: the reference's operator table written out independently of src, sample fields and values.
import { getDataset } from '@sluice/schemas';
import type { FieldKind } from '@sluice/schemas';
import { stringifyExact } from '@sluice/schemas';
import { FILTER_OPERATORS } from '../../src/filter/filter-node.js';
import type { FilterOperator } from '../../src/filter/filter-node.js';

export const http = getDataset('http_requests');

/** Which operators each kind accepts, per reference §5 (plus floats and timestamps like ints). */
export const ALLOWED: Readonly<Record<FieldKind, readonly FilterOperator[]>> = {
  string: ['eq', '!eq', 'startsWith', 'endsWith', '!startsWith', '!endsWith', 'contains', '!contains', 'in', '!in'],
  int: ['eq', '!eq', 'lt', 'leq', 'gt', 'geq', 'in', '!in'],
  float: ['eq', '!eq', 'lt', 'leq', 'gt', 'geq', 'in', '!in'],
  timestamp: ['eq', '!eq', 'lt', 'leq', 'gt', 'geq', 'in', '!in'],
  bool: ['eq', '!eq'],
  'string[]': ['contains', '!contains'],
  'int[]': ['contains', '!contains'],
  map: [],
  'float-map': [],
};

export function refusedOperators(kind: FieldKind): FilterOperator[] {
  return FILTER_OPERATORS.filter((operator) => !ALLOWED[kind].includes(operator));
}

/** One field of each kind in http_requests. */
export const SAMPLE_FIELD: Readonly<Record<FieldKind, string>> = {
  string: 'ClientCountry',
  int: 'EdgeResponseStatus',
  float: 'EdgeResponseCompressionRatio',
  timestamp: 'EdgeStartTimestamp',
  bool: 'CacheTieredFill',
  'string[]': 'BotTags',
  'int[]': 'BotDetectionIDs',
  map: 'RequestHeaders',
  'float-map': 'JA4Signals',
};

/** A type-correct value for a kind and operator (an element for arrays, a list for in). */
export function sampleValue(kind: FieldKind, operator: FilterOperator): unknown {
  const scalar: Record<FieldKind, unknown> = {
    string: 'us',
    int: 200,
    float: 1.5,
    timestamp: '2024-05-01T00:00:00Z',
    bool: true,
    'string[]': 'verified',
    'int[]': 7,
    map: 'x',
    'float-map': 1,
  };
  return operator === 'in' || operator === '!in' ? [scalar[kind]] : scalar[kind];
}

/** Filter text for a `where` node; bigints are written as exact integer literals. */
export function filterText(where: unknown): string {
  return stringifyExact({ where });
}

export function condition(key: unknown, operator: string, value: unknown): Record<string, unknown> {
  return { key, operator, value };
}
