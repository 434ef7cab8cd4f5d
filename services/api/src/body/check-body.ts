// Checks a request body against a TypeBox schema and says, per field, what is wrong and what is allowed.
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import type { ValueError } from '@sinclair/typebox/value';
import type { Static, TSchema } from '@sinclair/typebox';
import { closestMatch, innermostErrors, showValue } from '@sluice/pipeline';
import { invalidFields } from '../api-errors.js';

/** A problem with one field: `path` is a JSON pointer into the body. */
export interface BodyIssue {
  path: string;
  message: string;
}

/** Every problem, one per field (the first found), in the body's order. */
export function checkBody(schema: TSchema, body: unknown): BodyIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ path: '', message: `a JSON object is required, got ${showValue(body)}` }];
  }
  const issues: BodyIssue[] = [];
  const seen = new Set<string>();
  for (const error of [...Value.Errors(schema, body)].flatMap(innermostErrors)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    issues.push({ path: error.path, message: describe(error) });
  }
  return issues;
}

/** The body, once it matches the schema; otherwise throws INVALID_FIELD naming each bad field. */
export function validated<S extends TSchema>(schema: S, body: unknown): Static<S> {
  const issues = checkBody(schema, body);
  if (issues.length > 0) throw invalidFields(issues);
  return body;
}

function describe(error: ValueError): string {
  const allowed = (error.schema as { allowed?: string }).allowed;
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const key = (error.path.split('/').pop() ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
    const hint = closestMatch(key, Object.keys((error.schema as { properties?: object }).properties ?? {}));
    return `"${key}" is not allowed here${hint ? ` (did you mean "${hint}"?)` : ''}${allowed ? `; expected ${allowed}` : ''}`;
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return `is required${allowed ? `: ${allowed}` : ''}`;
  return `${showValue(error.value)} is not allowed; expected ${allowed ?? error.message}`;
}
