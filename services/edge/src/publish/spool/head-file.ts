// The spool's head: where the first unacknowledged entry is, kept in a small file replaced atomically after each acknowledgement.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './segment-files.js';

export const HEAD_FILE = 'head.json';

/** A byte position in the spool: a segment id and an offset into that segment. */
export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

export interface SpoolHead {
  /** Everything before this is acknowledged: earlier segments whole, this one up to `offset`. */
  readonly position: SpoolPosition;
  /**
   * Entries after `position` that are acknowledged already: a batch whose first topic was sent and
   * whose second was not yet. Listing them keeps a restart from sending the first topic's records twice.
   */
  readonly acked: readonly SpoolPosition[];
}

/** A position as a map key. */
export function positionKey(position: SpoolPosition): string {
  return `${position.segment}:${position.offset}`;
}

export type HeadRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'read'; readonly head: SpoolHead }
  | { readonly kind: 'invalid'; readonly problem: string };

export async function readHead(dir: string): Promise<HeadRead> {
  let text: string;
  try {
    text = await readFile(join(dir, HEAD_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: 'is not JSON' };
  }
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const acked = fields['acked'];
  if (fields['version'] !== 1 || !isCount(fields['segment']) || !isCount(fields['offset']) || !Array.isArray(acked)) {
    return { kind: 'invalid', problem: 'does not have version 1, segment, offset and acked' };
  }
  const positions: SpoolPosition[] = [];
  for (const item of acked as unknown[]) {
    if (!Array.isArray(item) || item.length !== 2 || !isCount(item[0]) || !isCount(item[1])) return { kind: 'invalid', problem: 'has a malformed acked entry' };
    positions.push({ segment: item[0], offset: item[1] });
  }
  return { kind: 'read', head: { position: { segment: fields['segment'], offset: fields['offset'] }, acked: positions } };
}

export async function writeHead(dir: string, head: SpoolHead): Promise<void> {
  const text = JSON.stringify({
    version: 1,
    segment: head.position.segment,
    offset: head.position.offset,
    acked: head.acked.map((p) => [p.segment, p.offset]),
  });
  await writeFileAtomically(dir, HEAD_FILE, `${text}\n`);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
