// access_requests records: a `login` when a token is first seen, and every denied attempt.
import type { DatasetRecord } from '@sluice/schemas';
import { denyReasonFor } from '../identity/deny-reasons.js';

export interface AccessEvent {
  readonly allowed: boolean;
  readonly createdAtNs: bigint;
  readonly rayId: string;
  readonly ip: string;
  /** The protected app's domain: the host the request named. */
  readonly appDomain: string;
  readonly appUuid: string;
  /** '' when the attempt carried no identity that could be trusted (no token, bad signature). */
  readonly email: string;
  readonly userUid: string;
  readonly connection: string;
  readonly country: string;
  /** Why a denied attempt was refused: its IDENTITY_* code (the sentence is derived from it). Ignored when allowed. */
  readonly denyCode?: string;
}

/** A denied event carries DenyReasonCode and DenyReason (fixed text per code, never the token); an allowed one neither. */
export function accessEventRecord(event: AccessEvent, accountId: string): DatasetRecord {
  const denied = !event.allowed && event.denyCode !== undefined ? { DenyReasonCode: event.denyCode, DenyReason: denyReasonFor(event.denyCode) } : {};
  return {
    Action: 'login',
    Allowed: event.allowed,
    AppDomain: event.appDomain,
    AppUUID: event.appUuid,
    Connection: event.connection,
    Country: event.country,
    CreatedAt: event.createdAtNs,
    Email: event.email,
    IPAddress: event.ip,
    RayID: event.rayId,
    UserUID: event.userUid,
    ...denied,
    _account_id: accountId,
  };
}
