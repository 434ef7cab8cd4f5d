// Prints what went wrong with an API call: each refusal as `code: message`, or why there was no answer.
import { redactText } from '@sluice/logging';
import type { CommandIo } from '../command-io.js';
import type { ApiFailure } from './api-client.js';
import { API_TOKEN_ENV } from './api-target.js';

/** Cloudflare's code for a request without credentials. */
const MISSING_CREDENTIALS = 9106;

/** `context` (e.g. `sluice jobs apply: updating audit (id 3) failed`) comes first, on its own line. */
export function reportApiFailure(io: CommandIo, failure: ApiFailure, context?: string): void {
  if (context !== undefined) io.err(`${context}:\n`);
  if (failure.kind === 'unreachable') {
    io.err(`sluice: ${failure.message}\n`);
    return;
  }
  for (const error of failure.errors) io.err(`${error.code}: ${redactText(error.message)}\n`);
  if (failure.errors.some((error) => error.code === MISSING_CREDENTIALS)) {
    io.err(`sluice: no API token was sent: set ${API_TOKEN_ENV} or pass --api-token <token>\n`);
  }
}
