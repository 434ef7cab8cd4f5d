// What is wrong with a filter: a JSON pointer inside the parsed filter text and a sentence for a person.
import { stringifyExact } from '@sluice/schemas';
import { showValue } from '../job/job-issue.js';

export interface FilterIssue {
  /** JSON pointer inside the parsed filter, e.g. `/where/and/1/value`; '' for the whole text. */
  path: string;
  message: string;
}

/** `base` extended by one key or index, escaped as RFC 6901 requires (`~` → `~0`, `/` → `~1`). */
export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * A filter value shown as it was written. Long integer literals are parsed to bigints, which
 * JSON.stringify (and so showValue) cannot print inside arrays and objects.
 */
export function showFilterValue(value: unknown): string {
  // JSON.stringify would print `1e400`, which JSON.parse made Infinity, as "null".
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value !== 'object' || value === null) return showValue(value);
  const text = stringifyExact(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
