// Collects one reply as it arrives: status, headers, and at most `maxBytes` of the body; the rest is dropped.
import type { HttpReply } from './http-client.js';

export interface ReplyReader {
  /** The final (non-1xx) status line and headers arrived. */
  start(status: number, statusText: string, rawHeaders: readonly Buffer[]): void;
  take(chunk: Buffer): void;
  readonly started: boolean;
  reply(): HttpReply;
}

export function createReplyReader(maxBytes: number): ReplyReader {
  let status = 0;
  let statusText = '';
  const headers = new Map<string, string | null>();
  const chunks: Buffer[] = [];
  let kept = 0;
  let started = false;
  return {
    get started() {
      return started;
    },
    start(code, text, rawHeaders) {
      started = true;
      status = code;
      statusText = text;
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = String(rawHeaders[i]).toLowerCase();
        // A header that came twice has no single value: null, as node:http's reader said.
        headers.set(name, headers.has(name) ? null : String(rawHeaders[i + 1]));
      }
    },
    take(chunk) {
      if (kept >= maxBytes) return;
      const part = chunk.length <= maxBytes - kept ? chunk : chunk.subarray(0, maxBytes - kept);
      chunks.push(part);
      kept += part.length;
    },
    reply: () => ({ status, statusText, header: (name) => headers.get(name.toLowerCase()) ?? null, body: Buffer.concat(chunks).toString('utf8') }),
  };
}
