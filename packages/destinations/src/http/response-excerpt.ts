// Reads the first bytes of a response body for an error message, without waiting for or buffering the rest.

/** Enough for a receiver's error sentence (ClickHouse, Splunk, Elasticsearch put the reason first). */
export const EXCERPT_BYTES = 1024;
/** What a message keeps of it: one line, short enough for a status API and a log line. */
export const EXCERPT_CHARS = 300;

/**
 * Up to `maxBytes` of the body as text; the rest is cancelled, not read. Best effort: a body that
 * fails or is aborted midway yields what arrived, because the status line has already decided
 * what happened to the batch.
 */
export async function readBodyExcerpt(body: ReadableStream<Uint8Array> | null, maxBytes = EXCERPT_BYTES): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
    }
  } catch {
    // Keep what arrived.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

/** One line of at most `EXCERPT_CHARS` characters, whitespace runs collapsed. */
export function oneLineExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}
