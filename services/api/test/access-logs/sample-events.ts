// Access events for the index's tests: one account's logins and denials a minute apart, from a fixed time.
import type { AccessLogEvent } from '../../src/access-logs/access-log-event.js';

export const ACCOUNT_A = 'aaaabbbbccccddddeeeeffff00001111';
export const ACCOUNT_B = 'bbbbccccddddeeeeffff000011112222';
/** 2026-01-31T12:00:00Z, as the API fixture's T0. */
export const T0_MS = Date.UTC(2026, 0, 31, 12);
export const MINUTE_NS = 60_000_000_000n;
export const T0_NS = BigInt(T0_MS) * 1_000_000n;

export function accessEvent(overrides: Partial<AccessLogEvent> = {}): AccessLogEvent {
  return {
    accountId: ACCOUNT_A,
    createdAtNs: T0_NS,
    userEmail: 'alice@example.com',
    ipAddress: '192.0.2.10',
    appUid: 'df7e2w5f-02b7-4d9d-af26-8d1988fca630',
    appDomain: 'wiki.example.com',
    appType: 'self_hosted',
    action: 'login',
    allowed: true,
    connection: 'saml',
    country: 'US',
    rayId: '187d944c61940c77',
    userUid: 'u-1',
    denyReasonCode: '',
    denyReason: '',
    ...overrides,
  };
}

/** `n` events, minute i at T0 - (n - 1 - i) minutes (the last one at T0); every third one denied as expired. */
export function eventSeries(n: number, overrides: Partial<AccessLogEvent> = {}): AccessLogEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const denied = i % 3 === 2;
    return accessEvent({
      createdAtNs: T0_NS - BigInt(n - 1 - i) * MINUTE_NS,
      rayId: `${(0x1000 + i).toString(16)}${'0'.repeat(12)}`,
      userEmail: i % 2 === 0 ? 'alice@example.com' : 'bob@corp.example.org',
      allowed: !denied,
      ...(denied ? { denyReasonCode: 'IDENTITY_EXPIRED', denyReason: 'token expired' } : {}),
      ...overrides,
    });
  });
}
