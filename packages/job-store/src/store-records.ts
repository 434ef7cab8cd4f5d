// The records of the jobs topic, both ways: keys and JSON values in, store events out, every value checked.
import { parseCustomFields, parseJob } from '@sluice/pipeline';
import type { CustomFieldsDocument, ParseJobOptions } from '@sluice/pipeline';
import type { StoreEvent, StoredJob } from './job-store.js';

const JOB_PREFIX = 'job/';
const CUSTOM_FIELDS_PREFIX = 'custom-fields/';
const ZONE_ID = /^[0-9a-f]{32}$/;

/**
 * What the store itself insists on. Policy that may differ between deployments (the lowest upload
 * interval, which destinations exist) is the API's to check before it writes; a reader that applied
 * it too could hide a job that another replica, configured differently, accepted.
 */
export const STORE_PARSE_OPTIONS: ParseJobOptions = { minUploadIntervalSeconds: 1 };

export function jobKey(id: number): string {
  return `${JOB_PREFIX}${id}`;
}

export function customFieldsKey(zoneId: string): string {
  return `${CUSTOM_FIELDS_PREFIX}${zoneId}`;
}

export type StoreKey = { type: 'job'; id: number } | { type: 'custom-fields'; zoneId: string };

export function parseStoreKey(key: string): StoreKey | undefined {
  if (key.startsWith(JOB_PREFIX)) {
    const text = key.slice(JOB_PREFIX.length);
    const id = Number(text);
    return /^[1-9]\d*$/.test(text) && Number.isSafeInteger(id) ? { type: 'job', id } : undefined;
  }
  if (key.startsWith(CUSTOM_FIELDS_PREFIX)) {
    const zoneId = key.slice(CUSTOM_FIELDS_PREFIX.length);
    return ZONE_ID.test(zoneId) ? { type: 'custom-fields', zoneId } : undefined;
  }
  return undefined;
}

/** Why a stored job or custom-fields document is not valid, or undefined when it is. */
export function storedJobProblem(job: unknown, id: number): string | undefined {
  const parsed = parseJob(job, STORE_PARSE_OPTIONS);
  if (!parsed.ok) return parsed.issues.map((i) => `${i.path || '(job)'}: ${i.message}`).join('; ');
  if (parsed.job.id !== id) return `the value's id ${parsed.job.id} is not the key's id ${id}`;
  return undefined;
}

export function customFieldsProblem(fields: unknown): string | undefined {
  const parsed = parseCustomFields(fields);
  return parsed.ok ? undefined : parsed.issues.map((i) => `${i.path || '(custom fields)'}: ${i.message}`).join('; ');
}

export type DecodedStoreRecord =
  | { ok: true; event: StoreEvent }
  /** `id` is set when the key names a job, so that the id allocator still skips past it. */
  | { ok: false; reason: string; id?: number };

/** Turns one record of the jobs topic into the change it stands for; a null value is a deletion. */
export function decodeStoreRecord(key: Buffer | null, value: Buffer | null): DecodedStoreRecord {
  const keyText = key?.toString('utf8') ?? '';
  const parsedKey = parseStoreKey(keyText);
  if (!parsedKey) return { ok: false, reason: `unknown key ${JSON.stringify(keyText.slice(0, 100))}; expected job/<id> or custom-fields/<zone_id>` };
  const id = parsedKey.type === 'job' ? parsedKey.id : undefined;
  let document: unknown = null;
  if (value !== null) {
    try {
      document = JSON.parse(value.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, ...(id !== undefined ? { id } : {}) };
    }
    if (document === null) return { ok: false, reason: 'value is JSON null; a deletion is a record without a value', ...(id !== undefined ? { id } : {}) };
  }
  if (parsedKey.type === 'job') {
    if (document === null) return { ok: true, event: { type: 'job', id: parsedKey.id, job: null } };
    const problem = storedJobProblem(document, parsedKey.id);
    if (problem !== undefined) return { ok: false, reason: `invalid job: ${problem}`, id: parsedKey.id };
    return { ok: true, event: { type: 'job', id: parsedKey.id, job: document as StoredJob } };
  }
  if (document === null) return { ok: true, event: { type: 'custom-fields', zoneId: parsedKey.zoneId, fields: null } };
  const problem = customFieldsProblem(document);
  if (problem !== undefined) return { ok: false, reason: `invalid custom fields: ${problem}` };
  return { ok: true, event: { type: 'custom-fields', zoneId: parsedKey.zoneId, fields: document as CustomFieldsDocument } };
}
