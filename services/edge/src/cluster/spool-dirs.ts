// Which spool directory each gateway worker owns, and which ones no worker of this run owns (left by a larger run).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Worker 0 uses `spool.dir` itself, so that one worker (`--workers 1`, or a gateway from before
 * workers existed) finds its spool where it always was; worker n > 0 uses `spool.dir/worker-<n>`.
 * The spool ignores sub-directories (segment-files.ts), so the two never mix.
 */
export function workerSpoolDir(root: string, index: number): string {
  return index === 0 ? root : join(root, `worker-${index}`);
}

const WORKER_DIR = /^worker-([1-9]\d{0,5})$/;

/** The `worker-<n>` names among `names` that no worker of a run with `workers` workers owns (n ≥ workers), in index order. */
export function orphanSpoolNames(names: readonly string[], workers: number): string[] {
  return names
    .map((name) => ({ name, index: Number(WORKER_DIR.exec(name)?.[1] ?? Number.NaN) }))
    .filter(({ index }) => Number.isInteger(index) && index >= workers)
    .sort((a, b) => a.index - b.index)
    .map(({ name }) => name);
}

/** The spool directories under `root` left by workers this run does not have: they must be adopted and replayed. */
export async function findOrphanSpoolDirs(root: string, workers: number): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return orphanSpoolNames(entries.filter((e) => e.isDirectory()).map((e) => e.name), workers).map((name) => join(root, name));
}
