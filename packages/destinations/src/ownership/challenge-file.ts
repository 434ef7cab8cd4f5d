// Names of ownership challenge files: `ownership-challenge-<8hex>.txt` in the destination's folder.
import { randomBytes } from 'node:crypto';

/** A token lives 7 days, as Logpush's do. */
export const OWNERSHIP_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function randomChallengeId(): string {
  return randomBytes(4).toString('hex');
}

export function challengeFileName(challengeId: string): string {
  return `ownership-challenge-${challengeId}.txt`;
}

/** The file's key inside the bucket: `<dir>/ownership-challenge-<id>.txt`, or just the name at the root. */
export function challengeObjectKey(dir: string, challengeId: string): string {
  return dir === '' ? challengeFileName(challengeId) : `${dir}/${challengeFileName(challengeId)}`;
}
