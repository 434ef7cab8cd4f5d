// Validates custom-fields configurations (one per zone) purely, with Logpush's rules and messages that help.
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { isHexId } from '@sluice/schemas';
import { showValue } from '../job/job-issue.js';
import type { JobIssue } from '../job/job-issue.js';
import { closestMatch } from '../job/suggest.js';
import { CUSTOM_FIELD_LISTS, CustomFieldsSchema, MAX_CUSTOM_FIELDS_PER_LIST } from './custom-fields-schema.js';
import type { CustomFieldsDocument } from './custom-fields-schema.js';
import type { CustomFieldSet } from './custom-field-set.js';

export type ParseCustomFieldsResult = { ok: true; fields: CustomFieldSet } | { ok: false; issues: JobIssue[] };

// RFC 9110 token characters, lower case only: Logpush requires header names in lower case.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
// Cookie names are RFC 6265 tokens and keep their case.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks one zone's `action_parameters`; issue paths are relative to it (e.g. `/request_fields/2/name`). */
export function parseCustomFields(document: unknown): ParseCustomFieldsResult {
  const issues = shapeIssues(document);
  if (issues.length > 0) return { ok: false, issues };
  const doc = document as CustomFieldsDocument;
  if (CUSTOM_FIELD_LISTS.every((list) => doc[list] === undefined)) {
    return { ok: false, issues: [{ path: '', message: `must have at least one of ${CUSTOM_FIELD_LISTS.join(', ')}` }] };
  }
  for (const list of CUSTOM_FIELD_LISTS) {
    const pattern = list === 'cookie_fields' ? COOKIE_NAME : HEADER_NAME;
    const seen = new Set<string>();
    doc[list]?.forEach((entry, i) => {
      const path = `/${list}/${i}/name`;
      if (!pattern.test(entry.name)) {
        const lower = entry.name.toLowerCase();
        const hint = list !== 'cookie_fields' && HEADER_NAME.test(lower) ? ` (header names are written in lower case: "${lower}")` : '';
        issues.push({ path, message: `${showValue(entry.name)} is not a valid ${list === 'cookie_fields' ? 'cookie' : 'header'} name${hint}` });
      } else if (seen.has(entry.name)) {
        issues.push({ path, message: `${showValue(entry.name)} is listed twice in ${list}` });
      }
      seen.add(entry.name);
    });
  }
  // Logpush: a header is logged raw or transformed, not both.
  issues.push(...bothForms(doc, 'request_fields', 'transformed_request_fields'), ...bothForms(doc, 'response_fields', 'raw_response_fields'));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, fields: toFieldSet(doc) };
}

function shapeIssues(document: unknown): JobIssue[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return [{ path: '', message: `custom fields must be an object like {"request_fields":[{"name":"cf-access-user"}]}, got ${showValue(document)}` }];
  }
  const issues: JobIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(CustomFieldsSchema, document)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    const key = error.path.split('/').pop() ?? '';
    const depth = error.path.split('/').length - 1;
    let message: string;
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const hint = depth === 1 ? closestMatch(key, CUSTOM_FIELD_LISTS) : closestMatch(key, ['name', 'preserve_duplicates']);
      message = `"${key}" is not allowed here${hint ? ` (did you mean "${hint}"?)` : ''}`;
    } else if (error.type === ValueErrorType.ObjectRequiredProperty) {
      message = 'is required: the header or cookie name';
    } else if (error.type === ValueErrorType.ArrayMaxItems) {
      message = `holds ${Array.isArray(error.value) ? error.value.length : '?'} names; Logpush allows at most ${MAX_CUSTOM_FIELDS_PER_LIST} per list`;
    } else if (depth === 1) {
      message = `${showValue(error.value)} is not allowed; expected a list of {"name": "<header name>"}`;
    } else {
      message = `${showValue(error.value)} is not allowed; expected {"name": "<name>"} with a string name`;
    }
    issues.push({ path: error.path, message });
  }
  return issues;
}

function bothForms(doc: CustomFieldsDocument, a: 'request_fields' | 'response_fields', b: 'transformed_request_fields' | 'raw_response_fields'): JobIssue[] {
  const inA = new Set((doc[a] ?? []).map((f) => f.name));
  return (doc[b] ?? []).flatMap((f, i) =>
    inA.has(f.name) ? [{ path: `/${b}/${i}/name`, message: `${showValue(f.name)} is in both ${a} and ${b}; a header is logged raw or transformed, not both` }] : [],
  );
}

function names(...lists: ({ name: string }[] | undefined)[]): string[] {
  return lists.flatMap((l) => (l ?? []).map((f) => f.name));
}

function toFieldSet(doc: CustomFieldsDocument): CustomFieldSet {
  return {
    requestHeaders: names(doc.request_fields, doc.transformed_request_fields),
    responseHeaders: names(doc.response_fields, doc.raw_response_fields),
    cookies: names(doc.cookie_fields),
  };
}

/** The jobs file's `custom_fields`: `{"<zone_id>": <action_parameters>, ...}`. Issue paths start at the map. */
export function parseCustomFieldsByZone(document: unknown): { ok: true; byZone: Map<string, CustomFieldSet> } | { ok: false; issues: JobIssue[] } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, issues: [{ path: '', message: `expected {"<zone_id>": {"request_fields":[{"name":"cf-access-user"}]}}, got ${showValue(document)}` }] };
  }
  const byZone = new Map<string, CustomFieldSet>();
  const issues: JobIssue[] = [];
  for (const [key, config] of Object.entries(document)) {
    const zoneId: string = key;
    if (!isHexId(key)) {
      issues.push({ path: `/${zoneId}`, message: `${showValue(zoneId)} is not a zone id; expected a 32-character lowercase hex id` });
      continue;
    }
    const result = parseCustomFields(config);
    if (result.ok) byZone.set(zoneId, result.fields);
    else issues.push(...result.issues.map((issue) => ({ path: `/${zoneId}${issue.path}`, message: issue.message })));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, byZone };
}
