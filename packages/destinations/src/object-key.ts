// Logpush-style object keys: `<dir with {DATE}>/<start>_<end>_<suffix>.log.gz`, deterministic per batch.

/** `20260131T120000Z` for a time in milliseconds since the epoch (UTC). */
export function compactTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-31T12:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** `{DATE}` becomes the batch's UTC day as YYYYMMDD. */
export function expandDatePath(path: string, ms: number): string {
  return path.replaceAll('{DATE}', compactTime(ms).slice(0, 8));
}

export interface ObjectKeyParts {
  /** The destination's path, possibly holding `{DATE}`; empty for the bucket root. */
  path: string;
  startTimeMs: number;
  endTimeMs: number;
  /** Deterministic batch id (job, partition, first offset), so a replayed batch overwrites its earlier copy. */
  suffix: string;
}

/**
 * Where validating a destination writes its test object: `<dir>/<YYYYMMDD>/test.txt.gz`, or
 * `{DATE}` expanded in place when the path holds it.
 */
export function testObjectKey(path: string, nowMs: number): string {
  const day = compactTime(nowMs).slice(0, 8);
  const dir = (path.includes('{DATE}') ? expandDatePath(path, nowMs) : path === '' ? day : `${path}/${day}`).replace(/^\/+|\/+$/g, '');
  return `${dir}/test.txt.gz`;
}

export function objectKey(parts: ObjectKeyParts): string {
  const dir = expandDatePath(parts.path, parts.startTimeMs).replace(/^\/+|\/+$/g, '');
  const file = `${compactTime(parts.startTimeMs)}_${compactTime(parts.endTimeMs)}_${parts.suffix}.log.gz`;
  return dir === '' ? file : `${dir}/${file}`;
}
