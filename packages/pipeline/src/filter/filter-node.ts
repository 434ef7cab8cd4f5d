// The shape of a Logpush filter once its JSON string is parsed: `{"where": Node}`.

export const FILTER_OPERATORS = [
  'eq',
  '!eq',
  'lt',
  'leq',
  'gt',
  'geq',
  'startsWith',
  'endsWith',
  '!startsWith',
  '!endsWith',
  'contains',
  '!contains',
  'in',
  '!in',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
  key: string;
  operator: FilterOperator;
  value: unknown;
}

export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | FilterCondition;

/** A filter that passed validation against its dataset: safe to compile. */
export interface CheckedFilter {
  readonly where: FilterNode;
  /** Every field the filter reads, so the decoder can include them. */
  readonly fieldNames: readonly string[];
}
