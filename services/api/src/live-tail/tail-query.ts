// The live tail's query string: which fields, which filter, how many events per second; every problem names its parameter.
import type { TailLimits } from './tail-limits.js';

export interface TailQuery {
  fieldNames: string[];
  filter: string | undefined;
  maxEventsPerSecond: number;
}

/** What a tail shows when the caller names no fields. */
export const DEFAULT_TAIL_FIELDS: readonly string[] = [
  'EdgeStartTimestamp',
  'ClientIP',
  'ClientRequestMethod',
  'ClientRequestHost',
  'ClientRequestURI',
  'EdgeResponseStatus',
  'RayID',
];

const PARAMETERS = ['fields', 'filter', 'max_events_per_second'] as const;
/** More would make every event a whole record: a tail is for looking, a job for keeping. */
export const MAX_TAIL_FIELDS = 40;

export type TailQueryResult = { ok: true; query: TailQuery } | { ok: false; issues: { parameter: string; message: string }[] };

export function parseTailQuery(raw: unknown, limits: Pick<TailLimits, 'maxEventsPerSecond'>): TailQueryResult {
  const params = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const issues: { parameter: string; message: string }[] = [];
  const single = (name: string): string | undefined => {
    const value = params[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      issues.push({ parameter: name, message: `is given ${Array.isArray(value) ? value.length : 'several'} times; give it once` });
      return undefined;
    }
    return value;
  };
  for (const name of Object.keys(params)) {
    if (!(PARAMETERS as readonly string[]).includes(name)) issues.push({ parameter: name, message: `is not a parameter of the live tail; expected ${PARAMETERS.join(', ')}` });
  }

  const fieldsText = single('fields');
  const fieldNames = fieldsText === undefined || fieldsText.trim() === '' ? [...DEFAULT_TAIL_FIELDS] : fieldsText.split(',').map((name) => name.trim()).filter(Boolean);
  if (fieldNames.length > MAX_TAIL_FIELDS) issues.push({ parameter: 'fields', message: `names ${fieldNames.length} fields; at most ${MAX_TAIL_FIELDS} are allowed` });
  const duplicate = fieldNames.find((name, i) => fieldNames.indexOf(name) !== i);
  if (duplicate !== undefined) issues.push({ parameter: 'fields', message: `names "${duplicate}" twice` });

  const filterText = single('filter');
  const filter = filterText === undefined || filterText.trim() === '' ? undefined : filterText;

  let maxEventsPerSecond = limits.maxEventsPerSecond;
  const rateText = single('max_events_per_second');
  if (rateText !== undefined) {
    const rate = Number(rateText);
    if (!/^[1-9]\d*$/.test(rateText) || rate > limits.maxEventsPerSecond) {
      issues.push({ parameter: 'max_events_per_second', message: `${JSON.stringify(rateText.slice(0, 40))} is not allowed; expected a whole number from 1 to ${limits.maxEventsPerSecond}` });
    } else {
      maxEventsPerSecond = rate;
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, query: { fieldNames, filter, maxEventsPerSecond } };
}
