// Every error the API answers with, in one catalogue: a stable name, Cloudflare-style code and HTTP status.

/**
 * Codes follow Cloudflare's families so that clients written for Cloudflare read them naturally:
 * 1000–1099 Logpush semantics, 6xxx request format, 7xxx routing, 9xxx and 10000 authentication.
 * Where Cloudflare publishes a code for the same situation (971, 6007, 6111, 7003, 9103, 9106, 9109,
 * 10000) Sluice uses it; the rest are Sluice's own and never change meaning once released.
 */
export const API_ERRORS = {
  /** A bug or an unavailable store; the message carries the request id to find the log line. */
  INTERNAL: { code: 1000, status: 500 },
  /** The body (or a field in it) is not what the route takes; one error per field, each naming it. */
  INVALID_FIELD: { code: 1001, status: 400 },
  /** No job with that id in this zone or account. */
  JOB_NOT_FOUND: { code: 1002, status: 404 },
  /** The zone or account already has `maxJobsPerZone` jobs (Logpush's message). */
  MAX_JOBS_EXCEEDED: { code: 1003, status: 400 },
  /** The ownership challenge is missing, malformed, expired or issued for something else. */
  OWNERSHIP_REFUSED: { code: 1004, status: 400 },
  /** PUT tried to change `dataset` or `kind`. */
  IMMUTABLE_FIELD: { code: 1005, status: 400 },
  /** The server runs without an ownership signing key (SLUICE_OWNERSHIP_KEY), so it can neither issue nor check tokens. */
  OWNERSHIP_UNAVAILABLE: { code: 1006, status: 501 },
  /** The dataset in the path is not one Sluice ships. */
  UNKNOWN_DATASET: { code: 1007, status: 404 },
  /** The zone has no `http_log_custom_fields` entrypoint ruleset. */
  RULESET_NOT_FOUND: { code: 1008, status: 404 },
  /** Writing the ownership challenge file was refused by the destination (access denied, no such bucket). */
  DESTINATION_REFUSED: { code: 1009, status: 400 },
  /** Writing the ownership challenge file failed in a way that may pass later (timeout, throttling, 5xx). */
  DESTINATION_UNAVAILABLE: { code: 1010, status: 502 },
  /** The job store cannot be reached or is behind (a retriable store error); clients retry 503s. */
  STORE_UNAVAILABLE: { code: 1011, status: 503 },
  /**
   * The destination's host is, or resolves to, an address destinations may not use (loopback, private,
   * link-local, unique-local, CGNAT, metadata) and the operator has not allowed it; or it does not resolve.
   */
  DESTINATION_NOT_ALLOWED: { code: 1012, status: 400 },
  /** The caller (or this API instance) already runs as many live tails as allowed; end one first. */
  TAIL_LIMIT_REACHED: { code: 1040, status: 429 },
  /** The API runs without Kafka (`--memory`), so there is nothing to tail. */
  LIVE_TAIL_UNAVAILABLE: { code: 1041, status: 501 },
  /** No job of the zone (or not the job_id named) stores its users' requests where the audit can read them back; the message says why, job by job. */
  AUDIT_NO_SUITABLE_JOB: { code: 1030, status: 404 },
  /** The API runs without an object-store reader (`objectStores`), so it cannot read what jobs stored. */
  AUDIT_UNAVAILABLE: { code: 1031, status: 501 },
  /** An object of the job cannot be read back (not gzip, or not the job's output format). */
  AUDIT_OBJECT_UNREADABLE: { code: 1032, status: 502 },
  /** The API runs without the access-log index (no Kafka, or a server built without `accessLogs`), so it has no authentication events to answer with. */
  ACCESS_LOGS_UNAVAILABLE: { code: 1050, status: 501 },
  /** The caller sent more requests than its limit allows in the window; `Retry-After` says when to try again. */
  RATE_LIMITED: { code: 971, status: 429 },
  /** The HTTP request itself is unusable (bad Content-Length, bad URL encoding). */
  BAD_REQUEST: { code: 6003, status: 400 },
  /** The body is not JSON. Cloudflare's code and message. */
  MALFORMED_JSON: { code: 6007, status: 400 },
  /** The body is larger than `bodyLimitBytes`. */
  BODY_TOO_LARGE: { code: 6008, status: 413 },
  /** A Content-Type that cannot hold JSON (multipart, XML, …). */
  UNSUPPORTED_MEDIA_TYPE: { code: 6009, status: 415 },
  /** `Authorization` is present but not `Bearer <token>`. Cloudflare's code. */
  MALFORMED_AUTHORIZATION: { code: 6111, status: 401 },
  /** The path exists for other methods. */
  METHOD_NOT_ALLOWED: { code: 7001, status: 405 },
  /** No route for the URI. Cloudflare's code and wording. */
  NO_ROUTE: { code: 7003, status: 404 },
  /** A zone, account or job id in the path is malformed. Cloudflare answers 7003 for this too. */
  INVALID_IDENTIFIER: { code: 7003, status: 400 },
  /** X-Auth-Email/X-Auth-Key do not match a configured key. Cloudflare's code. */
  UNKNOWN_API_KEY: { code: 9103, status: 401 },
  /** No credentials at all, or only half of the X-Auth pair. Cloudflare's code and message. */
  MISSING_CREDENTIALS: { code: 9106, status: 401 },
  /** The bearer token is not one the server knows. Cloudflare's code and message. */
  INVALID_TOKEN: { code: 9109, status: 401 },
  /** Authenticated, but without the needed access to this zone or account. Cloudflare's code. */
  FORBIDDEN: { code: 10000, status: 403 },
} as const satisfies Record<string, { code: number; status: number }>;

export type ApiErrorName = keyof typeof API_ERRORS;

/** One entry of the envelope's `errors`; `source.pointer` is the JSON pointer of the field at fault. */
export interface ApiErrorItem {
  code: number;
  message: string;
  source?: { pointer: string };
}

/**
 * Thrown by handlers and hooks, turned into the envelope by the error handler. A programmer error
 * stays a plain Error and becomes a logged 500 instead.
 */
export class ApiError extends Error {
  readonly code: number;
  readonly status: number;
  readonly items: readonly ApiErrorItem[];
  /** Extra response headers, e.g. `WWW-Authenticate` or `Allow`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(readonly kind: ApiErrorName, items: string | readonly ApiErrorItem[], headers: Record<string, string> = {}) {
    const { code, status } = API_ERRORS[kind];
    const list = typeof items === 'string' ? [{ code, message: items }] : items;
    super(list.map((item) => item.message).join('; '));
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.items = list;
    this.headers = headers;
  }
}

/** A field issue (JSON-pointer path) as the error item that names the field: `output_options.field_names[2]: …`. */
export function fieldError(kind: ApiErrorName, pointer: string, message: string): ApiErrorItem {
  return { code: API_ERRORS[kind].code, message: `${displayPath(pointer)}: ${message}`, source: { pointer } };
}

/** Throws INVALID_FIELD with one error per issue. */
export function invalidFields(issues: readonly { path: string; message: string }[]): ApiError {
  return new ApiError('INVALID_FIELD', issues.map((issue) => fieldError('INVALID_FIELD', issue.path, issue.message)));
}

/** `/output_options/field_names/2` → `output_options.field_names[2]`; the empty pointer is the body itself. */
export function displayPath(pointer: string): string {
  if (pointer === '') return 'body';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((text, part) => (/^\d+$/.test(part) ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`), '');
}
