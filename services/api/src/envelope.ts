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

export function failure(errors: readonly ApiErrorItem[]): FailureEnvelope {
  return { success: false, errors, messages: [], result: null };
}
