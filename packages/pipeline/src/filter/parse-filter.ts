// Validates a job's filter text against its dataset, purely, and reports every problem with its path.
import type { Dataset, FieldSpec } from '@sluice/schemas';
import { closestMatch } from '../job/suggest.js';
import { parseExactJson } from '@sluice/schemas';
import { FILTER_OPERATORS } from './filter-node.js';
import type { CheckedFilter, FilterNode, FilterOperator } from './filter-node.js';
import { pointer, showFilterValue } from './filter-issue.js';
import type { FilterIssue } from './filter-issue.js';
import { FILTER_LIMITS } from './filter-limits.js';
import type { FilterLimits } from './filter-limits.js';
import { EXPECTED, operandKind, toOperand } from './filter-operand.js';
import { isObjectKind, KIND_TEXT, OPERATORS_BY_KIND, positiveOf } from './operator-rules.js';

export type ParseFilterResult = { ok: true; filter: CheckedFilter | undefined } | { ok: false; issues: FilterIssue[] };

const LIST_KEYS = ['and', 'or'] as const;
const CONDITION_KEYS = ['key', 'operator', 'value'] as const;
const NODE_KEYS: readonly string[] = [...LIST_KEYS, ...CONDITION_KEYS];
const NODE_SHAPES = '{"and": [...]}, {"or": [...]} or a condition {"key", "operator", "value"}';

/** State of one validation pass: what was found so far. */
interface Check {
  readonly dataset: Dataset;
  readonly limits: FilterLimits;
  readonly issues: FilterIssue[];
  readonly fieldNames: Set<string>;
  conditions: number;
}

/**
 * Parses Logpush `filter` text (`{"where": Node}`) for `dataset`. Blank or absent text means no
 * filter. Integer literals of any length stay exact (bigints in the returned tree: print it with
 * `stringifyExact`, not JSON.stringify).
 */
export function parseFilter(text: string | null | undefined, dataset: Dataset, limits: FilterLimits = FILTER_LIMITS): ParseFilterResult {
  if (text === null || text === undefined || text.trim() === '') return { ok: true, filter: undefined };
  const check: Check = { dataset, limits, issues: [], fieldNames: new Set(), conditions: 0 };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    check.issues.push({ path: '', message: `the filter is ${bytes} bytes long; at most ${limits.maxBytes} bytes (UTF-8) are allowed` });
  }
  // Validation goes on past the size so that one round trip shows everything to fix.
  const parsed = parseExactJson(text);
  if (!parsed.ok) {
    check.issues.push({ path: '', message: `is not valid JSON (${parsed.message}); expected {"where": ${NODE_SHAPES}}` });
    return { ok: false, issues: check.issues };
  }
  checkTop(check, parsed.value);
  if (check.issues.length > 0) return { ok: false, issues: check.issues };
  const where = (parsed.value as { where: FilterNode }).where;
  return { ok: true, filter: { where, fieldNames: [...check.fieldNames] } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = closestMatch(word, candidates);
  return hint === undefined ? '' : ` (did you mean "${hint}"?)`;
}

function checkTop(check: Check, value: unknown): void {
  if (!isObject(value)) {
    check.issues.push({ path: '', message: `a filter must be a JSON object {"where": ...}, got ${showFilterValue(value)}` });
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === 'where') continue;
    check.issues.push({ path: pointer('', key), message: `"${key}" is not allowed in a filter${didYouMean(key, ['where'])}; the only key is "where"` });
  }
  if (!Object.hasOwn(value, 'where')) {
    check.issues.push({ path: '/where', message: `is required: a filter is {"where": ${NODE_SHAPES}}` });
    return;
  }
  checkNode(check, value.where, '/where', 1);
  if (check.conditions > check.limits.maxConditions) {
    check.issues.push({
      path: '/where',
      message: `the filter has ${check.conditions} conditions; at most ${check.limits.maxConditions} conditions are allowed`,
    });
  }
}

function checkNode(check: Check, node: unknown, path: string, depth: number): void {
  if (depth > check.limits.maxDepth) {
    check.issues.push({ path, message: `"and"/"or" nesting is deeper than the limit of ${check.limits.maxDepth} levels` });
    return;
  }
  if (!isObject(node)) {
    check.issues.push({ path, message: `a filter node must be ${NODE_SHAPES}, got ${showFilterValue(node)}` });
    return;
  }
  const keys = Object.keys(node);
  const unknown = keys.filter((key) => !NODE_KEYS.includes(key));
  for (const key of unknown) {
    check.issues.push({
      path: pointer(path, key),
      message: `"${key}" is not a filter node key${didYouMean(key, NODE_KEYS)}; a node has "and", "or", or "key", "operator" and "value"`,
    });
  }
  const lists = LIST_KEYS.filter((key) => Object.hasOwn(node, key));
  const members = CONDITION_KEYS.filter((key) => Object.hasOwn(node, key));
  if (lists.length === 2) {
    check.issues.push({ path, message: 'a node cannot have both "and" and "or"; nest one inside the other' });
  }
  if (lists.length > 0 && members.length > 0) {
    const extra = members.map((key) => `"${key}"`).join(', ');
    check.issues.push({ path, message: `a node with "${lists[0] ?? ''}" cannot also have ${extra}; put the condition inside the list` });
  }
  for (const list of lists) checkList(check, node[list], pointer(path, list), list, depth);
  if (lists.length === 0 && members.length > 0) checkCondition(check, node, path);
  if (keys.length === 0) check.issues.push({ path, message: `an empty node; expected ${NODE_SHAPES}` });
}

function checkList(check: Check, list: unknown, path: string, name: string, depth: number): void {
  if (!Array.isArray(list) || list.length === 0) {
    check.issues.push({ path, message: `"${name}" must be a non-empty array of nodes, got ${showFilterValue(list)}` });
    return;
  }
  list.forEach((child, index) => checkNode(check, child, pointer(path, index), depth + 1));
}

function checkCondition(check: Check, node: Record<string, unknown>, path: string): void {
  check.conditions++;
  const field = checkKey(check, node, path);
  const operator = checkOperator(check, node, path, field);
  const subject = field?.name ?? (typeof node.key === 'string' ? node.key : 'this condition');
  if (!Object.hasOwn(node, 'value')) {
    check.issues.push({ path: pointer(path, 'value'), message: `is required: the condition on ${subject} has no "value"` });
    return;
  }
  if (field === undefined || operator === undefined) return;
  checkValue(check, field, operator, node.value, pointer(path, 'value'));
}

function checkKey(check: Check, node: Record<string, unknown>, path: string): FieldSpec | undefined {
  const { dataset, issues } = check;
  const key = node.key;
  const at = pointer(path, 'key');
  if (!Object.hasOwn(node, 'key')) {
    issues.push({ path: at, message: 'is required: a condition has "key" (a field name), "operator" and "value"' });
    return undefined;
  }
  if (typeof key !== 'string') {
    issues.push({ path: at, message: `${showFilterValue(key)} is not a field name; expected the name of a ${dataset.name} field as a string` });
    return undefined;
  }
  const field = dataset.field(key);
  if (field === undefined) {
    issues.push({ path: at, message: `"${key}" is not a field of ${dataset.name}${didYouMean(key, dataset.fieldNames)}` });
    return undefined;
  }
  check.fieldNames.add(key);
  if (isObjectKind(field.kind)) {
    issues.push({ path: at, message: `${key} is ${KIND_TEXT[field.kind]}; object fields cannot be filtered` });
    return undefined;
  }
  return field;
}

function checkOperator(check: Check, node: Record<string, unknown>, path: string, field: FieldSpec | undefined): FilterOperator | undefined {
  const operator = node.operator;
  const at = pointer(path, 'operator');
  const subject = field === undefined ? '' : ` for ${field.name}`;
  if (!Object.hasOwn(node, 'operator')) {
    check.issues.push({ path: at, message: `is required: the condition${subject} needs one of ${FILTER_OPERATORS.join(', ')}` });
    return undefined;
  }
  if (!FILTER_OPERATORS.some((known) => known === operator)) {
    const hint = typeof operator === 'string' ? didYouMean(operator, FILTER_OPERATORS) : '';
    check.issues.push({ path: at, message: `${showFilterValue(operator)} is not an operator${subject}${hint}; expected one of ${FILTER_OPERATORS.join(', ')}` });
    return undefined;
  }
  const known = operator as FilterOperator;
  if (field === undefined) return known;
  const allowed = OPERATORS_BY_KIND[field.kind];
  if (!allowed.includes(known)) {
    check.issues.push({ path: at, message: `"${known}" cannot be used on ${field.name} (${KIND_TEXT[field.kind]}); allowed: ${allowed.join(', ')}` });
    return undefined;
  }
  return known;
}

function checkValue(check: Check, field: FieldSpec, operator: FilterOperator, value: unknown, path: string): void {
  const kind = operandKind(field.kind);
  if (kind === undefined) return; // object fields were refused with the key
  const about = `for ${field.name} (${KIND_TEXT[field.kind]}) with "${operator}"`;
  if (positiveOf(operator) !== 'in') {
    if (toOperand(kind, value) === undefined) {
      check.issues.push({ path, message: `${showFilterValue(value)} is not a valid value ${about}; expected ${EXPECTED[kind]}` });
    }
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    check.issues.push({ path, message: `${showFilterValue(value)} is not a valid value ${about}; expected a non-empty array, each element ${EXPECTED[kind]}` });
    return;
  }
  value.forEach((element: unknown, index) => {
    if (toOperand(kind, element) !== undefined) return;
    check.issues.push({ path: pointer(path, index), message: `${showFilterValue(element)} is not a valid element ${about}; expected ${EXPECTED[kind]}` });
  });
}
