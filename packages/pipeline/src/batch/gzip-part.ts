// One gzip member of a batch: text goes in as it comes, compressed output comes out, and `finish` ends the member.
import { createGzip } from 'node:zlib';

// Text is handed to zlib in pieces of about this many characters: fewer, larger writes.
const WRITE_CHUNK_CHARS = 64 * 1024;

export interface GzipPart {
  /** Uncompressed bytes so far (exact for what zlib has, one byte a character for the rest). */
  readonly bytes: number;
  /** What the part holds in memory: gzip output and text not yet compressed. */
  readonly memoryBytes: number;
  write(text: string): void;
  /** Writes `suffix` and ends the member; resolves with its compressed bytes and its exact uncompressed size. */
  finish(suffix: string): Promise<{ body: Buffer; uncompressedBytes: number }>;
  destroy(): void;
}

/**
 * `escapeJndi` (CVE-2021-44228) turns every `${` in the part's text into `x{`, across any boundary:
 * a value ending in `$` before a suffix starting with `{`, a delimiter, a prefix or suffix. A
 * trailing `$` is held back until the next text shows whether a `{` follows. The swap keeps every
 * length, so byte counts are the same with or without it.
 */
export function createGzipPart(level: number, escapeJndi: boolean): GzipPart {
  const gzip = createGzip({ level });
  const output: Buffer[] = [];
  let outputBytes = 0;
  let failure: Error | undefined;
  gzip.on('data', (chunk: Buffer) => {
    output.push(chunk);
    outputBytes += chunk.length;
  });
  gzip.on('error', (error) => (failure = error));
  let pending = '';
  let writtenBytes = 0;

  const flush = (final: boolean): void => {
    let text = pending;
    pending = '';
    if (escapeJndi && text.indexOf('$') !== -1) {
      text = text.replaceAll('${', 'x{');
      if (!final && text.endsWith('$')) {
        text = text.slice(0, -1);
        pending = '$';
      }
    }
    if (text.length === 0) return;
    const chunk = Buffer.from(text, 'utf8');
    writtenBytes += chunk.length;
    gzip.write(chunk);
  };

  return {
    get bytes() {
      return writtenBytes + pending.length;
    },
    get memoryBytes() {
      return outputBytes + pending.length;
    },
    write(text) {
      pending += text;
      if (pending.length >= WRITE_CHUNK_CHARS) flush(false);
    },
    finish(suffix) {
      pending += suffix;
      flush(true);
      return new Promise((resolve, reject) => {
        gzip.once('end', () => (failure ? reject(failure) : resolve({ body: Buffer.concat(output, outputBytes), uncompressedBytes: writtenBytes })));
        gzip.once('error', reject);
        gzip.end();
      });
    },
    destroy() {
      gzip.destroy();
      output.length = 0;
      outputBytes = 0;
      pending = '';
    },
  };
}
