// Reads the last lines of a log file, to quote in error messages.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** At most this many bytes are read from the end, however long the lines. */
const TAIL_BYTES = 64 * 1024;

/**
 * The last `lines` lines of `path` written after byte `fromByte`, each indented; a short note
 * instead when there are none. A file shorter than `fromByte` was rolled over and is read whole.
 */
export function tailFile(path: string, lines: number, fromByte = 0): string {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const start = size >= fromByte ? fromByte : 0;
      const length = Math.min(size - start, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '    (no log file yet)';
  }
  const kept = text.split('\n').filter((line) => line.trim() !== '').slice(-lines);
  return kept.length === 0 ? '    (nothing logged)' : kept.map((line) => `    ${line}`).join('\n');
}

/** The size of `path` in bytes, 0 when it does not exist: where the next start's lines will begin. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
