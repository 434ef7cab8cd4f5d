// How long a key source may go on trusting its last read of the keys.

/**
 * Both JWKS sources re-read their keys at least this often, whether or not a kid is unknown, so a
 * key taken out of the set stops verifying; the verifier holds a cached success no longer than this.
 */
export const KEYS_MAX_AGE_MS = 60_000;
