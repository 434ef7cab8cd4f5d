// Adds up publishers' figures: the gateway's workers, and the spools a worker adopted, report as one gateway.
import type { PublisherStats } from '../publish/publisher-stats.js';

const COUNTERS = ['published', 'spooled', 'replayed', 'dropped', 'queued', 'spoolBytes', 'spoolRecords'] as const;
const DAMAGE = ['corruptRegions', 'corruptBytes', 'truncatedBytes', 'writeFailedRecords', 'damagedRecords'] as const;

/**
 * Counts and sizes are summed. The gateway is `direct` and Kafka healthy only when every part is:
 * one worker spooling means records are waiting on disk. Undefined for an empty list.
 */
export function sumPublisherStats(parts: readonly PublisherStats[]): PublisherStats | undefined {
  const first = parts[0];
  if (first === undefined) return undefined;
  const total = (read: (s: PublisherStats) => number | undefined): number => parts.reduce((sum, s) => sum + (read(s) ?? 0), 0);
  const counters = Object.fromEntries(COUNTERS.map((key) => [key, total((s) => s[key])])) as Record<(typeof COUNTERS)[number], number>;
  const spoolDamage = Object.fromEntries(DAMAGE.map((key) => [key, total((s) => s.spoolDamage[key])])) as unknown as PublisherStats['spoolDamage'];
  const truncated = total((s) => s.truncated);
  const quarantined = total((s) => s.quarantined);
  return {
    ...counters,
    ...(truncated > 0 ? { truncated } : {}),
    ...(quarantined > 0 ? { quarantined } : {}),
    ...(first.durability !== undefined ? { durability: first.durability } : {}),
    mode: parts.every((s) => s.mode === 'direct') ? 'direct' : 'spooling',
    kafkaHealthy: parts.every((s) => s.kafkaHealthy),
    spoolDamage,
  };
}
