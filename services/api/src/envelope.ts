// The Cloudflare v4 response envelope: every answer, success or failure, has exactly these four keys.
import type { ApiErrorItem } from './api-errors.js';

export interface SuccessEnvelope<T> {
  success: true;
  errors: [];
  messages: [];
  result: T;
}

export interface FailureEnvelope {
  success: false;
  errors: readonly ApiErrorItem[];
  messages: [];
  result: null;
}

export function success<T>(result: T): SuccessEnvelope<T> {
  return { success: true, errors: [], messages: [], result };
}

/** A handler's answer that carries Cloudflare's `result_info` (counts, paging) beside its `result`. */
export interface ResultWithInfo<T> {
  readonly result: T;
  readonly resultInfo: Readonly<Record<string, unknown>>;
  readonly [RESULT_INFO]: true;
}

const RESULT_INFO = Symbol('result_info');

export function withResultInfo<T>(result: T, resultInfo: Readonly<Record<string, unknown>>): ResultWithInfo<T> {
  return { result, resultInfo, [RESULT_INFO]: true };
}

/** The success envelope of whatever a route handler returned, with `result_info` when it returned withResultInfo(). */
export function successOf(answer: unknown): SuccessEnvelope<unknown> & { result_info?: Readonly<Record<string, unknown>> } {
  if (typeof answer === 'object' && answer !== null && RESULT_INFO in answer) {
    const { result, resultInfo } = answer as ResultWithInfo<unknown>;
    return { ...success(result), result_info: resultInfo };
  }
  return success(answer);
}

export function failure(errors: readonly ApiErrorItem[]): FailureEnvelope {
  return { success: false, errors, messages: [], result: null };
}
