// One Access authentication event as the index keeps it, made from a decoded access_requests record.
import type { DatasetRecord } from '@sluice/schemas';

/** Sluice's gateway protects self-hosted apps only; SaaS app types never occur in its events. */
export const SELF_HOSTED = 'self_hosted';

export interface AccessLogEvent {
  readonly accountId: string;
  /** Nanoseconds since the epoch (the record's CreatedAt). */
  readonly createdAtNs: bigint;
  readonly userEmail: string;
  readonly ipAddress: string;
  readonly appUid: string;
  readonly appDomain: string;
  readonly appType: string;
  readonly action: string;
  readonly allowed: boolean;
  /** The IdP connection, e.g. `saml`, `okta`. */
  readonly connection: string;
  readonly country: string;
  /** '' when the record had none (a plain-JSON producer may leave it out). */
  readonly rayId: string;
  readonly userUid: string;
  /** The gateway's IDENTITY_* code; '' for allowed events. */
  readonly denyReasonCode: string;
  /** The sentence for it, e.g. `token expired`; '' for allowed events. */
  readonly denyReason: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The event of a decoded record, or undefined when it has no account or no time (nothing to file it
 * under). Only the dataset's named fields are read: nothing else of the record, let alone a token,
 * can reach the index.
 */
export function eventFromRecord(record: DatasetRecord): AccessLogEvent | undefined {
  const accountId = text(record['_account_id']);
  const createdAt = record['CreatedAt'];
  if (accountId === '' || typeof createdAt !== 'bigint') return undefined;
  const allowed = record['Allowed'] === true;
  return {
    accountId,
    createdAtNs: createdAt,
    userEmail: text(record['Email']),
    ipAddress: text(record['IPAddress']),
    appUid: text(record['AppUUID']),
    appDomain: text(record['AppDomain']),
    appType: SELF_HOSTED,
    action: text(record['Action']) || 'login',
    allowed,
    connection: text(record['Connection']),
    country: text(record['Country']),
    rayId: text(record['RayID']),
    userUid: text(record['UserUID']),
    denyReasonCode: allowed ? '' : text(record['DenyReasonCode']),
    denyReason: allowed ? '' : text(record['DenyReason']),
  };
}
