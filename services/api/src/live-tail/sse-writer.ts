// Writes Server-Sent Events (text/event-stream) to a raw HTTP response: named events with one-line JSON data, and comments.
import type { ServerResponse } from 'node:http';

export interface SseWriter {
  /** `event: <name>` with one `data:` line; data must hold no newline (rendered JSON holds none). */
  event(name: string, data: string): void;
  /** A comment line, ignored by clients; keeps proxies from closing an idle stream. */
  comment(text: string): void;
  end(): void;
  readonly ended: boolean;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  // nginx and similar proxies buffer responses unless told not to.
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
} as const;

export function createSseWriter(response: ServerResponse): SseWriter {
  let ended = false;
  const write = (text: string): void => {
    if (ended || response.destroyed) return;
    response.write(text);
  };
  return {
    event: (name, data) => write(`event: ${name}\ndata: ${data.replace(/[\r\n]/g, ' ')}\n\n`),
    comment: (text) => write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`),
    end() {
      if (ended) return;
      ended = true;
      if (!response.destroyed) response.end();
    },
    get ended() {
      return ended || response.destroyed;
    },
  };
}
