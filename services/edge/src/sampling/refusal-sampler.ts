// Caps the records of refused requests per client IP and period, keeping one in N beyond the cap, so a flood stays visible and bounded.
import type { RefusedRecordsConfig } from '../config/publishing-section.js';

/** Kafka header of a sampled record: how many refused requests it stands for (absent: 1). */
export const SAMPLE_INTERVAL_HEADER = 'sluice-sample-interval';

export interface RefusalSampler {
  /** For a refused request from `clientIp`: 0 to record nothing, else the sample interval its records carry (1 = not sampled). */
  admit(clientIp: string): number;
  /** Refused requests whose records were left out by sampling. */
  readonly sampledOut: number;
}

/**
 * Addresses tracked per period. Beyond it, new addresses share one budget: spraying source
 * addresses (IPv6 makes that cheap) then buys an attacker one more cap, not one per address.
 */
const MAX_TRACKED = 10_000;
const SHARED = '*';

export function createRefusalSampler(config: RefusedRecordsConfig, now: () => number = Date.now): RefusalSampler {
  let counts = new Map<string, number>();
  let periodEnds = 0;
  let sampledOut = 0;
  return {
    admit(clientIp) {
      const at = now();
      // Fixed periods: one map cleared per period, no per-address timers.
      if (at >= periodEnds) {
        counts = new Map();
        periodEnds = at + config.periodMs;
      }
      let key = sourceKey(clientIp);
      if (!counts.has(key) && counts.size >= MAX_TRACKED) key = SHARED;
      const seen = (counts.get(key) ?? 0) + 1;
      counts.set(key, seen);
      if (seen <= config.perIp) return 1;
      // Beyond the cap, the 1st, (N+1)th, … each stand for N requests: counts scale back exactly.
      if ((seen - config.perIp - 1) % config.sampleOneIn === 0) return config.sampleOneIn;
      sampledOut++;
      return 0;
    },
    get sampledOut() {
      return sampledOut;
    },
  };
}

/** IPv4 as is; IPv6 by its /64, the block one subscriber usually holds. */
export function sourceKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
