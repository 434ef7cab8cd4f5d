// Sends one POST through an undici dispatcher under a deadline and the caller's signal; resolves a reply or why none came, never rejects.
import type { Dispatcher } from 'undici';
import type { HttpOutcome, HttpRequest } from './http-client.js';
import { aborted, noReplyFrom, timedOut } from './no-reply.js';
import type { NoReply } from './no-reply.js';
import { createReplyReader } from './reply-reader.js';

export interface DispatchLimits {
  timeoutMs: number;
  maxReplyBytes: number;
}

export function dispatchRequest(dispatcher: Dispatcher, request: HttpRequest, signal: AbortSignal, limits: DispatchLimits): Promise<HttpOutcome> {
  if (signal.aborted) return Promise.resolve({ ok: false, failure: { reason: 'aborted', message: 'aborted before sending' } });
  return new Promise<HttpOutcome>((resolve) => {
    const reader = createReplyReader(limits.maxReplyBytes);
    let settled = false;
    let abortRequest: ((error: Error) => void) | undefined;
    // Set when we end the request before undici connected it: handed to undici as soon as it does.
    let pendingStop: Error | undefined;

    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    // Resolved at once, so the caller learns why rather than undici's "aborted"; the socket goes after.
    const stop = (failure: NoReply): void => {
      finish({ ok: false, failure });
      const error = new Error(failure.message);
      if (abortRequest) abortRequest(error);
      else pendingStop = error;
    };
    const timer = setTimeout(() => stop(timedOut(limits.timeoutMs)), limits.timeoutMs);
    const onAbort = (): void => stop(aborted());
    signal.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abort) {
        abortRequest = abort;
        if (pendingStop) abort(pendingStop);
      },
      onHeaders(status, rawHeaders, _resume, statusText) {
        // 1xx informational answers come before the real one.
        if (status >= 200) reader.start(status, statusText, rawHeaders);
        return true;
      },
      onData(chunk) {
        reader.take(chunk);
        return true;
      },
      onComplete() {
        finish(reader.started ? { ok: true, reply: reader.reply() } : { ok: false, failure: { reason: 'network', message: 'the connection ended without a reply' } });
      },
      // A reply cut short is a failure too: no verdict can be read from half a reply.
      onError: (error) => finish({ ok: false, failure: noReplyFrom(error, limits.timeoutMs) }),
    };

    try {
      const url = new URL(request.url);
      dispatcher.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers: flatHeaders(request.headers), body: request.body }, handler);
    } catch (error) {
      // undici refuses some requests synchronously (an invalid header value, say).
      finish({ ok: false, failure: noReplyFrom(error, limits.timeoutMs) });
    }
  });
}

function flatHeaders(headers: HttpRequest['headers']): string[] {
  const pairs: ReadonlyArray<readonly [string, string]> = Array.isArray(headers) ? (headers as ReadonlyArray<readonly [string, string]>) : Object.entries(headers);
  return pairs.flatMap(([name, value]) => [name, value]);
}
