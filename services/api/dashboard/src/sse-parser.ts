// Parses a text/event-stream body incrementally: EventSource cannot send an Authorization header, so the tail is read with fetch.

export interface ServerEvent {
  event: string;
  data: string;
}

export interface SseParser {
  /** Feeds the next decoded chunk; returns the events it completed. */
  push(chunk: string): ServerEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  return {
    push(chunk) {
      buffer += chunk;
      const done: ServerEvent[] = [];
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) done.push({ event, data: data.join('\n') });
          event = 'message';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const name = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (name === 'event') event = value;
          else if (name === 'data') data.push(value);
        }
      }
      return done;
    },
  };
}
