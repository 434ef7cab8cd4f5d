// Exactly-once accounting by RayID: what a destination holds against what was published.
import type { StoredObject } from './stored-objects.js';

export interface RayCensus {
  /** Records published. */
  published: number;
  /** Records stored, copies included. */
  stored: number;
  /** Published RayIDs stored nowhere. */
  missing: string[];
  /** Published RayIDs stored more than once, with how often. */
  duplicated: [rayId: string, copies: number][];
  /** Extra copies over all duplicated RayIDs (stored − published + missing). */
  extraCopies: number;
  /** RayIDs stored that were never published (another run's records, or garbage). */
  unknown: string[];
}

/** How often each RayID appears over the objects' NDJSON lines. */
export function countRaysInObjects(objects: readonly StoredObject[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const object of objects) {
    for (const line of object.lines) {
      const ray = String((JSON.parse(line) as Record<string, unknown>)['RayID']);
      counts.set(ray, (counts.get(ray) ?? 0) + 1);
    }
  }
  return counts;
}

export function takeCensus(published: readonly string[], counts: ReadonlyMap<string, number>): RayCensus {
  const expected = new Set(published);
  if (expected.size !== published.length) throw new Error(`the published RayIDs are not distinct: ${published.length - expected.size} repeats`);
  const missing = published.filter((ray) => !counts.has(ray));
  const duplicated: [string, number][] = [];
  const unknown: string[] = [];
  let stored = 0;
  let extraCopies = 0;
  for (const [ray, copies] of counts) {
    stored += copies;
    if (!expected.has(ray)) unknown.push(ray);
    else if (copies > 1) {
      duplicated.push([ray, copies]);
      extraCopies += copies - 1;
    }
  }
  return { published: published.length, stored, missing, duplicated, extraCopies, unknown };
}

export function isExactlyOnce(census: RayCensus): boolean {
  return census.missing.length === 0 && census.duplicated.length === 0 && census.unknown.length === 0;
}

/** One line for a failure message or a diagnostic: the counts, and a few RayIDs of each kind. */
export function describeCensus(what: string, census: RayCensus, examples = 5): string {
  const few = (rays: readonly string[]): string => (rays.length === 0 ? '' : ` (e.g. ${rays.slice(0, examples).join(', ')})`);
  return (
    `${what}: ${census.published} published, ${census.stored} stored; ` +
    `${census.missing.length} missing${few(census.missing)}, ` +
    `${census.duplicated.length} duplicated with ${census.extraCopies} extra copies${few(census.duplicated.map(([ray, n]) => `${ray}×${n}`))}, ` +
    `${census.unknown.length} never published${few(census.unknown)}`
  );
}

/** Two stored objects that hold some of the same RayIDs: where duplicates came from. */
export interface ObjectOverlap {
  keys: [string, string];
  shared: number;
  /** Lines in each object, to tell a re-cut batch (sizes differ) from a second copy (sizes equal). */
  lines: [number, number];
}

/** Every pair of objects sharing RayIDs, most shared first; empty when no RayID is stored twice. */
export function overlappingObjects(objects: readonly StoredObject[]): ObjectOverlap[] {
  const holders = new Map<string, number[]>();
  objects.forEach((object, index) => {
    for (const line of object.lines) {
      const ray = String((JSON.parse(line) as Record<string, unknown>)['RayID']);
      const list = holders.get(ray);
      if (list) list.push(index);
      else holders.set(ray, [index]);
    }
  });
  const pairs = new Map<string, ObjectOverlap>();
  for (const list of holders.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = objects[list[i]];
        const b = objects[list[j]];
        const id = `${a.key}\n${b.key}`;
        const pair = pairs.get(id) ?? { keys: [a.key, b.key] as [string, string], shared: 0, lines: [a.lines.length, b.lines.length] as [number, number] };
        pair.shared++;
        pairs.set(id, pair);
      }
    }
  }
  return [...pairs.values()].sort((x, y) => y.shared - x.shared);
}
