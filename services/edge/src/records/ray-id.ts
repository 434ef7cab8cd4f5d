// RayIDs: 16 lowercase hex digits per request, drawn from a pool of random bytes so the hot path makes no syscall.
import { randomFillSync } from 'node:crypto';

/** Header carrying the RayID to the origin and back to the client. */
export const RAY_ID_HEADER = 'cf-ray';

const POOL_BYTES = 8 * 1024;

/** 64 random bits per id: two requests share one with probability ~n²/2⁶⁵ (about 1 in 10⁷ over a billion requests). */
export function createRayIdSource(): () => string {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  let offset = POOL_BYTES;
  return () => {
    if (offset === POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('hex', offset, offset + 8);
    offset += 8;
    return id;
  };
}
