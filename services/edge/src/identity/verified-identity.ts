// Who a verified token says the user is, and the closed set of reasons a token is refused.

export interface VerifiedIdentity {
  /** The `email` claim: required, and must look like an email address. */
  readonly email: string;
  /** The `sub` claim; '' when absent. */
  readonly userId: string;
  /** `jti` when present, else the first 32 hex of SHA-256 of the token: keys the once-per-token login event. */
  readonly tokenId: string;
  /** From the configured groups claim: an array of strings (other members ignored), a single string as [s], absent as []. */
  readonly groups: readonly string[];
  /** IdP connection from the configured claim: a string, or an object's `type` (Access puts {id,type} in `idp`); '' when absent. */
  readonly connection: string;
  /** The `country` claim when a string, else ''. */
  readonly country: string;
  /** The `exp` claim, in milliseconds since the epoch. */
  readonly expiresAtMs: number;
}

export type IdentityErrorCode =
  | 'IDENTITY_TOKEN_MISSING'
  | 'IDENTITY_TOKEN_MALFORMED'
  | 'IDENTITY_ALG_REFUSED'
  | 'IDENTITY_UNKNOWN_KEY'
  | 'IDENTITY_BAD_SIGNATURE'
  | 'IDENTITY_WRONG_AUDIENCE'
  | 'IDENTITY_WRONG_ISSUER'
  | 'IDENTITY_EXPIRED'
  | 'IDENTITY_NOT_YET_VALID'
  | 'IDENTITY_CLAIMS_INVALID'
  | 'IDENTITY_KEYS_UNAVAILABLE';

export interface UnverifiedClaims {
  readonly email?: string;
  readonly connection?: string;
  readonly country?: string;
  readonly tokenId?: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly identity: VerifiedIdentity }
  | {
      readonly ok: false;
      readonly code: IdentityErrorCode;
      readonly status: 401 | 403 | 503;
      readonly reason: string;
      /** Read from the payload WITHOUT verification, only so a denied attempt can be logged with who it claimed to be; never trusted. */
      readonly unverified: UnverifiedClaims;
    };
