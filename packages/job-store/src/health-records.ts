// The records of the job-health topic: key `<job id>`, value the JobHealth JSON, checked when read.
import type { JobHealth } from './job-store.js';

export type DecodedHealthRecord = { ok: true; id: number; health: JobHealth | null } | { ok: false; reason: string };

const TEXT_OR_NULL = ['last_complete', 'last_error', 'error_message'] as const;
const TEXT = ['reported_at', 'worker'] as const;

export function healthKey(id: number): string {
  return String(id);
}

export function decodeHealthRecord(key: Buffer | null, value: Buffer | null): DecodedHealthRecord {
  const keyText = key?.toString('utf8') ?? '';
  const id = Number(keyText);
  if (!/^[1-9]\d*$/.test(keyText) || !Number.isSafeInteger(id)) return { ok: false, reason: `key ${JSON.stringify(keyText.slice(0, 100))} is not a job id` };
  if (value === null) return { ok: true, id, health: null };
  let document: unknown;
  try {
    document = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return { ok: false, reason: 'value is not a JSON object' };
  const health = document as Record<string, unknown>;
  if (health['id'] !== id) return { ok: false, reason: `the value's id ${JSON.stringify(health['id'])} is not the key's id ${id}` };
  for (const field of TEXT_OR_NULL) {
    if (health[field] !== null && typeof health[field] !== 'string') return { ok: false, reason: `${field} is neither a string nor null` };
  }
  for (const field of TEXT) {
    if (typeof health[field] !== 'string') return { ok: false, reason: `${field} is not a string` };
  }
  return { ok: true, id, health: health as JobHealth };
}
