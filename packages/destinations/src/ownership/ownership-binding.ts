// What a token is bound to besides its scope: keyed digests of the destination_conf and of the place written to.
//
// Two bindings, on purpose:
// - `dest` binds the exact destination_conf, as Logpush does: any edit (a parameter, a rotated access
//   key, a reordered query) needs a new challenge. The conf may hold credentials and the token is
//   readable, so it is a keyed digest (HMAC), which reveals nothing about the conf without the key.
// - `loc` binds the store, bucket and folder (`{DATE}` expanded on the day of issue) the challenge
//   file was actually written to: the thing a token proves someone could read. Today a matching
//   `dest` implies a matching `loc`, so what it adds is (a) a precise refusal: "another bucket or
//   folder" (OWNERSHIP_LOCATION_MISMATCH) versus "same place, edited conf"
//   (OWNERSHIP_DESTINATION_MISMATCH); and (b) the binding that keeps its meaning if the conf rule is
//   ever relaxed to tolerate edits that do not change where data goes (rotated keys, parameter order):
//   such a token still cannot be used for another bucket, folder or S3-compatible store.
import { createHmac } from 'node:crypto';
import type { OwnershipKey } from './ownership-key.js';
import type { ChallengeLocation } from './ownership-support.js';

export function destinationDigest(key: OwnershipKey, destinationConf: string): string {
  return keyedDigest(key, 'destination-conf', destinationConf);
}

export function locationDigest(key: OwnershipKey, location: ChallengeLocation): string {
  // A JSON array keeps the parts apart unambiguously, whatever characters they hold.
  return keyedDigest(key, 'location', JSON.stringify([location.store, location.bucket, location.dir]));
}

function keyedDigest(key: OwnershipKey, label: string, value: string): string {
  return createHmac('sha256', key.bytes).update(`sluice-ownership-${label}\0${value}`).digest('base64url');
}
