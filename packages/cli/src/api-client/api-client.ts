// A small client of the jobs API: one request at a time, the Cloudflare v4 envelope read into a result union.
import type { ApiErrorItem } from '@sluice/api';
import { redactText, redactUrl } from '@sluice/logging';

/** Longer than the API's own 30 s destination timeout, so that a slow validation comes back as its answer, not ours. */
export const DEFAULT_API_TIMEOUT_MS = 60_000;

export type ApiOutcome<T> =
  /** `resultInfo`: the envelope's `result_info`, when it has one (counts, paging). */
  | { ok: true; result: T; resultInfo?: Readonly<Record<string, unknown>> }
  /** The API answered `success: false`: its errors, as sent. */
  | { ok: false; kind: 'refused'; status: number; errors: readonly ApiErrorItem[] }
  /** No usable answer: the API could not be reached, timed out, or answered something that is not a v4 envelope. */
  | { ok: false; kind: 'unreachable'; message: string };

export type ApiFailure = Exclude<ApiOutcome<unknown>, { ok: true }>;

export interface ApiClient {
  /** The base URL with any credentials in it redacted, for messages. */
  readonly where: string;
  /** `path` is relative to the base URL, e.g. `zones/<id>/logpush/jobs`. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiOutcome<T>>;
}

export interface ApiClientOptions {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`; never part of a message. Without it the API answers 9106. */
  token: string | undefined;
  fetch: typeof globalThis.fetch;
  /** Per request; default DEFAULT_API_TIMEOUT_MS. */
  timeoutMs?: number;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const where = redactUrl(base);
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  return {
    where,
    async request<T>(method: string, path: string, body?: unknown): Promise<ApiOutcome<T>> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(`${base}/${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        return { ok: false, kind: 'unreachable', message: `${method} ${where}/${path}: ${describeFetchError(error, timeoutMs)}` };
      }
      return readEnvelope<T>(text, response.status, `${method} ${where}/${path}`);
    },
  };
}

function readEnvelope<T>(text: string, status: number, request: string): ApiOutcome<T> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = undefined;
  }
  if (!isEnvelope(envelope)) {
    const excerpt = redactText(text.slice(0, 200).replace(/\s+/g, ' ').trim());
    return { ok: false, kind: 'unreachable', message: `${request}: HTTP ${status} with an answer that is not a Cloudflare v4 envelope (is this the jobs API, up to /client/v4?)${excerpt === '' ? '' : `: ${excerpt}`}` };
  }
  if (envelope.success) {
    const info = (envelope as { result_info?: unknown }).result_info;
    return typeof info === 'object' && info !== null ? { ok: true, result: envelope.result as T, resultInfo: info as Record<string, unknown> } : { ok: true, result: envelope.result as T };
  }
  const errors = envelope.errors.length > 0 ? envelope.errors : [{ code: 0, message: `HTTP ${status} with success: false and no errors` }];
  return { ok: false, kind: 'refused', status, errors };
}

function isEnvelope(value: unknown): value is { success: boolean; errors: ApiErrorItem[]; result: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const { success, errors } = value as { success?: unknown; errors?: unknown };
  return typeof success === 'boolean' && Array.isArray(errors) && errors.every((e) => typeof e === 'object' && e !== null && typeof (e as ApiErrorItem).message === 'string');
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a timeout) is in its cause. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = failure.cause;
  const reason = cause?.message ?? failure.message ?? String(error);
  return `cannot reach the API: ${redactText(reason)}${cause?.code !== undefined && !reason.includes(cause.code) ? ` [${cause.code}]` : ''}`;
}
