// Errors the pusher raises itself carry a stable code: logs, health and tests match on it.

export interface CodedError extends Error {
  readonly code: string;
}

export function codedError(code: string, message: string, cause?: unknown): CodedError {
  const error = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code: string };
  error.code = code;
  return error;
}

/** The code of an error raised anywhere (ours, kafkajs's `type`), or the fallback. */
export function errorCode(error: unknown, fallback: string): string {
  if (error && typeof error === 'object') {
    const { code, type } = error as { code?: unknown; type?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof type === 'string' && type !== '') return type;
  }
  return fallback;
}
