// Names and file-system steps of the spool directory: segment names, listing, atomic writes, directory fsync, moving damage aside.
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Segment files are `<16-digit id>.seg`; ids only grow, so names sort in replay order. */
const SEGMENT_PATTERN = /^(\d{16})\.seg$/;
const TEMPORARY_SEGMENT_PATTERN = /^(\d{16})\.seg\.tmp$/;

export function segmentName(id: number): string {
  return `${String(id).padStart(16, '0')}.seg`;
}

export interface SpoolListing {
  /** Segment ids, ascending. */
  readonly segments: readonly number[];
  /** Segments whose atomic write did not reach its rename (a crash while one was being written). */
  readonly temporarySegments: readonly number[];
  /** Other leftovers of interrupted atomic writes, e.g. `head.json.tmp`. */
  readonly temporaryFiles: readonly string[];
}

export async function listSpool(dir: string): Promise<SpoolListing> {
  const segments: number[] = [];
  const temporarySegments: number[] = [];
  const temporaryFiles: string[] = [];
  for (const name of await readdir(dir)) {
    const segment = SEGMENT_PATTERN.exec(name);
    const temporary = TEMPORARY_SEGMENT_PATTERN.exec(name);
    if (segment) segments.push(Number(segment[1]));
    else if (temporary) temporarySegments.push(Number(temporary[1]));
    else if (name.endsWith('.tmp')) temporaryFiles.push(name);
  }
  const ascending = (a: number, b: number): number => a - b;
  return { segments: segments.sort(ascending), temporarySegments: temporarySegments.sort(ascending), temporaryFiles };
}

/** Makes created, renamed and deleted names durable; without it a power cut can undo them. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot fsync a directory; their renames are then as durable as they get.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** Writes `name` so that a reader (or a restart) sees the old content or the new, never a mix. */
export async function writeFileAtomically(dir: string, name: string, data: Buffer | string): Promise<void> {
  const temporary = join(dir, `${name}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, join(dir, name));
  await syncDirectory(dir);
}

/** Writes a whole segment under a temporary name and renames it into place: the rename is the commit. */
export async function writeSegmentAtomically(dir: string, id: number, data: Buffer): Promise<void> {
  const name = segmentName(id);
  try {
    const handle = await open(join(dir, `${name}.tmp`), 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(join(dir, `${name}.tmp`), join(dir, name));
    await syncDirectory(dir);
  } catch (error) {
    await rm(join(dir, `${name}.tmp`), { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The first unused name of the form `<name>.corrupt`, `<name>.2.corrupt`, …: damage is never overwritten. */
export async function corruptName(dir: string, name: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${name}.corrupt` : `${name}.${n}.corrupt`;
    try {
      await stat(join(dir, candidate));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw error;
    }
  }
}

/** Keeps a damaged segment for an operator to look at instead of deleting it; returns its new name. */
export async function moveSegmentAside(dir: string, name: string): Promise<string> {
  const aside = await corruptName(dir, name);
  await rename(join(dir, name), join(dir, aside));
  await syncDirectory(dir);
  return aside;
}

export async function removeFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, name), { force: true });
}
