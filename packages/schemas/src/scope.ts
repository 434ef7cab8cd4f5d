// Record scope: every record names its zone and account in two extra fields that are not dataset fields.
import { createHash } from 'node:crypto';

/** Record field holding the zone id (32 lowercase hex) the record belongs to, or absent. */
export const ZONE_ID_FIELD = '_zone_id';
/** Record field holding the account id (32 lowercase hex) the record belongs to, or absent. */
export const ACCOUNT_ID_FIELD = '_account_id';
/** Both scope fields, in the order they appear in the Avro schemas. */
export const SCOPE_FIELDS: readonly string[] = Object.freeze([ZONE_ID_FIELD, ACCOUNT_ID_FIELD]);

const HEX_ID = /^[0-9a-f]{32}$/;

/** True for a Cloudflare-style zone or account id: exactly 32 lowercase hex digits. */
export function isHexId(value: unknown): value is string {
  return typeof value === 'string' && HEX_ID.test(value);
}

/**
 * A stable 32-hex id derived from a name (the first 128 bits of its SHA-256), so that synthetic
 * zones and accounts keep the same ids across runs and machines.
 */
export function deriveHexId(seedText: string): string {
  return createHash('sha256').update(seedText, 'utf8').digest('hex').slice(0, 32);
}
