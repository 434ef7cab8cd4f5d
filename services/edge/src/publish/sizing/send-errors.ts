// Tells a broker's refusal of the records themselves (too large, malformed) from a failure worth retrying.

/**
 * `too-large`: the broker refused the send's size (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE);
 * `record-refused`: it refused a record's content (CORRUPT_MESSAGE, INVALID_TIMESTAMP, INVALID_RECORD);
 * `retry`: anything else (connection, leadership, authorization…), where sending again can succeed.
 * Only the first two are about the records: retrying them unchanged would fail forever.
 */
export type SendErrorKind = 'too-large' | 'record-refused' | 'retry';

const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const TOO_LARGE_CODES = new Set([10, 18]);
const REFUSED_TYPES = new Set(['CORRUPT_MESSAGE', 'INVALID_TIMESTAMP', 'INVALID_RECORD']);
const REFUSED_CODES = new Set([2, 32, 87]);
/** kafkajs wraps a protocol error in KafkaJSNonRetriableError with only its message: match that too. */
const TOO_LARGE_TEXT = /larger than the max message size|message batch larger than/i;

export function classifySendError(error: unknown): SendErrorKind {
  let refused = false;
  for (const link of causes(error)) {
    const { type, code, message } = link as { type?: unknown; code?: unknown; message?: unknown };
    if ((typeof type === 'string' && TOO_LARGE_TYPES.has(type)) || (typeof code === 'number' && TOO_LARGE_CODES.has(code) && typeof type === 'string')) return 'too-large';
    if (typeof message === 'string' && TOO_LARGE_TEXT.test(message)) return 'too-large';
    if ((typeof type === 'string' && REFUSED_TYPES.has(type)) || (typeof code === 'number' && REFUSED_CODES.has(code) && typeof type === 'string')) refused = true;
  }
  return refused ? 'record-refused' : 'retry';
}

/** The error, its `cause`/`originalError` chain and aggregated `errors`, at most 20 deep (a cycle must not hang). */
function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  const todo: unknown[] = [error];
  while (todo.length > 0 && out.length < 20) {
    const next = todo.shift();
    if (next === null || typeof next !== 'object' || out.includes(next)) continue;
    out.push(next);
    const { cause, originalError, errors } = next as { cause?: unknown; originalError?: unknown; errors?: unknown };
    todo.push(cause, originalError, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return out;
}
