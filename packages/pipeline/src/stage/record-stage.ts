// The pure part of the record path: one Kafka message in, one outcome out (header scope → decode → record scope → filter → sample → project → render).
import type { CompiledJob } from '../compile/compile-job.js';

/** What a Kafka message carries that the stage reads; kafkajs messages fit it as they are. */
export interface StageMessage {
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export type RecordOutcome =
  /** Another zone's or account's record: not the job's business. */
  | { readonly kind: 'out-of-scope' }
  /** In scope, but the job's filter did not let it through. */
  | { readonly kind: 'filtered' }
  /** Passed the filter, not kept by `sample_rate`. */
  | { readonly kind: 'sampled' }
  /** Can never be delivered (undecodable, unrenderable): kept in the dead-letter topic with why. */
  | { readonly kind: 'dead-letter'; readonly code: string; readonly reason: string }
  /** The rendered line, ready for the batch. */
  | { readonly kind: 'line'; readonly line: string };

// The three verdicts without data are shared: the hot path allocates only for lines and dead letters.
const OUT_OF_SCOPE: RecordOutcome = { kind: 'out-of-scope' };
const FILTERED: RecordOutcome = { kind: 'filtered' };
const SAMPLED: RecordOutcome = { kind: 'sampled' };
const EMPTY = Buffer.alloc(0);

/** Compiled once per job; then called for every message of every partition, in offset order. */
export type RecordStage = (message: StageMessage, partition: number, offset: number) => RecordOutcome;

export function createRecordStage(compiled: CompiledJob): RecordStage {
  const { scopeHeader, scopeId, scopeIdBytes, decode, inScope, filter, sample, project, render } = compiled;

  /** true/false when the producer named the scope in a header, undefined when the record must be decoded to know. */
  const headerScope = (headers: StageMessage['headers']): boolean | undefined => {
    const value = headers?.[scopeHeader];
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) return undefined;
    return Buffer.isBuffer(first) ? first.equals(scopeIdBytes) : first === scopeId;
  };

  return (message, partition, offset) => {
    const scoped = headerScope(message.headers);
    if (scoped === false) return OUT_OF_SCOPE;
    const decoded = decode(message.value ?? EMPTY);
    if (!decoded.ok) return { kind: 'dead-letter', code: decoded.code, reason: decoded.message };
    const record = decoded.record;
    if (scoped === undefined && !inScope(record)) return OUT_OF_SCOPE;
    if (filter && !filter(record)) return FILTERED;
    if (sample && !sample(partition, offset)) return SAMPLED;
    try {
      project?.(record);
      return { kind: 'line', line: render(record) };
    } catch (error) {
      return { kind: 'dead-letter', code: 'RENDER_FAILED', reason: (error as Error).message };
    }
  };
}
