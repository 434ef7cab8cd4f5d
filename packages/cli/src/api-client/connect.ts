// Turns a command's flags into a ready client and scope, or reports the usage error (exit 2).
import type { CommandIo } from '../command-io.js';
import { createApiClient } from './api-client.js';
import type { ApiClient } from './api-client.js';
import { resolveApiTarget } from './api-target.js';
import type { ApiConnectionFlags, ApiScope, ScopeFlags } from './api-target.js';

export interface Connection {
  client: ApiClient;
  scope: ApiScope;
}

/** Undefined after printing `<context>: <problem>`; the caller exits 2. */
export function connect(io: CommandIo, flags: ApiConnectionFlags & ScopeFlags, context: string, timeoutMs?: number): Connection | undefined {
  const target = resolveApiTarget(flags, io.env);
  if (!target.ok) {
    io.err(`${context}: ${target.message}\n`);
    return undefined;
  }
  const { baseUrl, token, scope } = target.target;
  return { client: createApiClient({ baseUrl, token, fetch: io.fetch, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }), scope };
}
