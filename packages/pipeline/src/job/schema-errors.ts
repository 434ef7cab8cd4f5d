// Makes TypeBox's validation errors point at the field that is wrong, for jobs and API bodies alike.
import { ValueErrorType } from '@sinclair/typebox/value';
import type { ValueError } from '@sinclair/typebox/value';

/**
 * A nullable object (`output_options: {...} | null`) fails as a union, which would hide what is
 * wrong inside it. When exactly one variant matched the value's type and failed deeper down,
 * report that variant's own errors instead.
 */
export function innermostErrors(error: ValueError): ValueError[] {
  if (error.type !== ValueErrorType.Union) return [error];
  const deeper = error.errors.map((variant) => [...variant]).filter((errors) => errors.length > 0 && errors.every((e) => e.path !== error.path));
  const [only] = deeper;
  return deeper.length === 1 && only ? only.flatMap(innermostErrors) : [error];
}
