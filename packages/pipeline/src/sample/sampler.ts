// sample_rate as a pure function of (seed, partition, offset): replays keep exactly the same records.
//
// Hashing the record's Kafka position instead of drawing random numbers makes sampling
// deterministic: a batch re-read after a crash or rebalance samples the same records, so a replayed
// object has the same content and the same key. Different jobs (different seeds) keep different,
// independent subsets.

/** Decides whether the record at (partition, offset) is kept. */
export type Sampler = (partition: number, offset: number) => boolean;

const TWO_POW_32 = 0x1_0000_0000;

/** murmur3's 32-bit finaliser: full avalanche, so neighbouring offsets give unrelated values. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform 32-bit value for one record position; exported so a reference computation can predict sampling. */
export function sampleHash(seed: number, partition: number, offset: number): number {
  const low = offset >>> 0;
  const high = Math.floor(offset / TWO_POW_32) >>> 0;
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(partition + 1, 0xcc9e2d51));
  h = fmix32(h ^ low);
  return fmix32(h ^ Math.imul(high, 0x1b873593));
}

/** Undefined when every record is kept (rate 1), so the hot path can skip the stage. */
export function createSampler(rate: number, seed: number): Sampler | undefined {
  if (rate >= 1) return undefined;
  const threshold = rate * TWO_POW_32;
  return (partition, offset) => sampleHash(seed, partition, offset) < threshold;
}
