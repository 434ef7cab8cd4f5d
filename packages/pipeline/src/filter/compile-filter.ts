// Turns a checked filter into one record predicate: a tree of closures built once per job.
import type { Dataset, DatasetRecord } from '@sluice/schemas';
import type { CheckedFilter, FilterCondition, FilterNode } from './filter-node.js';
import { isNegated, OPERATORS_BY_KIND, positiveOf } from './operator-rules.js';
import { compileValueTest } from './value-test.js';

/** True when the record passes the filter (the filter is an include gate). Never throws. */
export type RecordPredicate = (record: DatasetRecord) => boolean;

type Predicate = (record: Readonly<Record<string, unknown>>) => boolean;

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Compiles a filter from parseFilter for the same dataset. Throws (a programmer error) when the
 * filter was not checked against this dataset; the returned predicate itself never throws, whatever
 * the record holds.
 */
export function compileFilter(filter: CheckedFilter, dataset: Dataset): RecordPredicate {
  const root = compileNode(filter.where, dataset);
  // A non-object record has no fields: judged as if every field were absent rather than throwing.
  return (record) => root(typeof record === 'object' && record !== null ? record : NO_FIELDS);
}

function compileNode(node: FilterNode, dataset: Dataset): Predicate {
  // Loops rather than every/some: no closure allocated per record; both stop at the first decider.
  if ('and' in node) {
    const parts = node.and.map((child) => compileNode(child, dataset));
    if (parts.length === 1 && parts[0] !== undefined) return parts[0];
    return (record) => {
      for (const part of parts) if (!part(record)) return false;
      return true;
    };
  }
  if ('or' in node) {
    const parts = node.or.map((child) => compileNode(child, dataset));
    if (parts.length === 1 && parts[0] !== undefined) return parts[0];
    return (record) => {
      for (const part of parts) if (part(record)) return true;
      return false;
    };
  }
  return compileCondition(node, dataset);
}

function compileCondition(condition: FilterCondition, dataset: Dataset): Predicate {
  const { key, operator, value } = condition;
  const field = dataset.field(key);
  const test =
    field !== undefined && OPERATORS_BY_KIND[field.kind].includes(operator)
      ? compileValueTest(field.kind, positiveOf(operator), value)
      : undefined;
  if (test === undefined) {
    throw new Error(`compileFilter: the condition on ${JSON.stringify(key)} was not checked for ${dataset.name}; use parseFilter first`);
  }
  // Negations are exactly `not` of the positive operator, so an absent value passes them.
  return isNegated(operator) ? (record) => !test(record[key]) : (record) => test(record[key]);
}
