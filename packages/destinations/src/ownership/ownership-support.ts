// How a destination kind takes part in Logpush's ownership challenge: pure facts read from its configuration.

/** The place a challenge file goes; store, bucket and dir are what a token's location fingerprint binds. */
export interface ChallengeLocation {
  /** Which object store: the endpoint's host[:port] for S3-compatible stores, `aws` for Amazon S3. */
  store: string;
  bucket: string;
  /** The destination's folder with `{DATE}` expanded; no leading or trailing slash, empty for the bucket root. */
  dir: string;
  /** `s3://bucket/dir` for messages; never holds credentials. */
  display: string;
}

/** What a plugin declares when its destinations can hold a challenge file (object stores). */
export interface OwnershipSupport<C> {
  /**
   * Whether a job must present a valid token. Logpush asks for one where Sluice would write with its
   * own credentials (S3 without keys), not where the job brings keys that already prove access.
   */
  required(config: C): boolean;
  /** Where the challenge file of a token issued at `nowMs` goes (`{DATE}` is that day's). */
  locate(config: C, nowMs: number): ChallengeLocation;
}

/** One `destination_conf` seen through its plugin's ownership support. */
export type OwnershipTarget =
  | { kind: string; takesChallenge: false }
  | { kind: string; takesChallenge: true; required: boolean; locate(nowMs: number): ChallengeLocation };

export type OwnershipLookup = { ok: true; target: OwnershipTarget } | { ok: false; message: string };
