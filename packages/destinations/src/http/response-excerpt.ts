// Cuts a reply body down to an excerpt for an error message: one short line.

/** Enough for a receiver's error sentence (ClickHouse, Splunk, Elasticsearch put the reason first). */
export const EXCERPT_BYTES = 1024;
/** What a message keeps of it: one line, short enough for a status API and a log line. */
export const EXCERPT_CHARS = 300;

/** One line of at most `EXCERPT_CHARS` characters, whitespace runs collapsed. */
export function oneLineExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}
