// Every way an ownership challenge can be refused, in one catalogue: tests, logs and the API match on the code.

export const OWNERSHIP_CODES = {
  /** Not a token Sluice writes: empty, too long, wrong shape or version, or unreadable signed contents. */
  OWNERSHIP_MALFORMED: 'OWNERSHIP_MALFORMED',
  /** The signature does not match under any accepted key: altered, forged, or signed with a retired key. */
  OWNERSHIP_TAMPERED: 'OWNERSHIP_TAMPERED',
  /** Older than its 7 days. */
  OWNERSHIP_EXPIRED: 'OWNERSHIP_EXPIRED',
  /** Issued for another zone or account. */
  OWNERSHIP_SCOPE_MISMATCH: 'OWNERSHIP_SCOPE_MISMATCH',
  /** Issued for another store, bucket or folder than the one this destination_conf writes to. */
  OWNERSHIP_LOCATION_MISMATCH: 'OWNERSHIP_LOCATION_MISMATCH',
  /** Same bucket and folder, but not the exact destination_conf it was issued for (a changed parameter or key). */
  OWNERSHIP_DESTINATION_MISMATCH: 'OWNERSHIP_DESTINATION_MISMATCH',
  /** The destination needs a token (Logpush: S3 without keys) and none was given. */
  OWNERSHIP_REQUIRED: 'OWNERSHIP_REQUIRED',
  /** The destination_conf cannot be read, so nothing can be checked against it. */
  OWNERSHIP_INVALID_DESTINATION: 'OWNERSHIP_INVALID_DESTINATION',
  /** The destination kind takes no challenge file (HTTP, Splunk): there is nothing to prove or verify. */
  OWNERSHIP_NOT_SUPPORTED: 'OWNERSHIP_NOT_SUPPORTED',
} as const;

export type OwnershipCode = keyof typeof OWNERSHIP_CODES;

/** A refusal: a stable code and a message that helps, never quoting a credential or the token. */
export interface OwnershipRefusal {
  valid: false;
  code: OwnershipCode;
  message: string;
}

export function refuse(code: OwnershipCode, message: string): OwnershipRefusal {
  return { valid: false, code, message };
}
