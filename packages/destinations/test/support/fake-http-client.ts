// Test doubles for the HTTP client: scripted replies, a recorder, and a real client pointed at a local receiver.
import type { HttpClient, HttpOutcome, HttpRequest } from '../../src/http-client/http-client.js';

export interface RecordingClient extends HttpClient {
  readonly requests: HttpRequest[];
}

/** A reply as the client resolves it. Header names in any case. */
export function reply(status: number, body = '', headers: Record<string, string> = {}, statusText = ''): HttpOutcome {
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { ok: true, reply: { status, statusText, header: (name) => byName.get(name.toLowerCase()) ?? null, body } };
}

/** Answers every request with `answer`, keeping each request (URL, headers and body) in `requests`. */
export function recordingClient(answer: (request: HttpRequest) => HttpOutcome | Promise<HttpOutcome>): RecordingClient {
  const requests: HttpRequest[] = [];
  return {
    requests,
    send(request) {
      requests.push(request);
      return Promise.resolve(answer(request));
    },
    close: () => Promise.resolve(),
  };
}

/** Sends through `real`, with the start of each URL (`from`, e.g. a public intake) replaced by `to` (a local receiver). */
export function redirectingClient(real: HttpClient, from: string, to: string): HttpClient {
  return {
    send: (request, signal) => real.send({ ...request, url: request.url.replace(from, to) }, signal),
    close: () => real.close(),
  };
}

/** The value of a header in a recorded request, in any letter case. */
export function headerOf(request: HttpRequest | undefined, name: string): string | undefined {
  if (request === undefined) return undefined;
  const pairs: ReadonlyArray<readonly [string, string]> = Array.isArray(request.headers) ? (request.headers as ReadonlyArray<readonly [string, string]>) : Object.entries(request.headers);
  return pairs.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}
