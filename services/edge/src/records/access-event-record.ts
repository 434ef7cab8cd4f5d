// access_requests records: a `login` when a token is first seen, and every denied attempt.
import type { DatasetRecord } from '@sluice/schemas';

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
}

export function accessEventRecord(event: AccessEvent, accountId: string): DatasetRecord {
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
    _account_id: accountId,
  };
}
