// Where the jobs API is and who calls it: base URL, token and zone or account, from flags first and the environment second.
import type { Command } from 'commander';
import { DEV_TOKEN_NAME } from '@sluice/api';
import { redactUrl } from '@sluice/logging';

/** `sluice api` listens on 127.0.0.1:8787 by default; its routes live under /client/v4. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8787/client/v4';
export const API_URL_ENV = 'SLUICE_API_URL';
/** The same variable `sluice api` reads for its development token, so one export serves both ends. */
export const API_TOKEN_ENV = DEV_TOKEN_NAME;

const HEX_ID = /^[0-9a-f]{32}$/;

export interface ApiConnectionFlags {
  apiUrl?: string;
  apiToken?: string;
}

export interface ScopeFlags {
  zone?: string;
  account?: string;
}

/** A zone or an account as the API's paths name it: `zones/<id>`, `accounts/<id>`. */
export interface ApiScope {
  kind: 'zones' | 'accounts';
  id: string;
  path: string;
}

export interface ApiTarget {
  /** Without a trailing slash, e.g. http://127.0.0.1:8787/client/v4. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; never printed. */
  token: string | undefined;
  scope: ApiScope;
}

export type ApiTargetResult = { ok: true; target: ApiTarget } | { ok: false; message: string };

export function addApiConnectionOptions(command: Command): Command {
  return command
    .option('--api-url <url>', `the jobs API, up to /client/v4 (default: $${API_URL_ENV}, else ${DEFAULT_API_URL})`)
    .option('--api-token <token>', `API token, sent as Authorization: Bearer (default: $${API_TOKEN_ENV}; prefer the variable: flags show up in ps)`);
}

export function addScopeOptions(command: Command): Command {
  return command.option('--zone <id>', 'the zone (32 hex characters)').option('--account <id>', 'the account (32 hex characters)');
}

/** Flags win over the environment; an empty variable counts as unset. Problems are usage errors (exit 2). */
export function resolveApiTarget(flags: ApiConnectionFlags & ScopeFlags, env: Readonly<Record<string, string | undefined>>): ApiTargetResult {
  const scope = resolveScope(flags);
  if (!scope.ok) return scope;
  const url = nonEmpty(flags.apiUrl) ?? nonEmpty(env[API_URL_ENV]) ?? DEFAULT_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: `the API URL "${redactUrl(url)}" is not a URL; expected e.g. ${DEFAULT_API_URL}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, message: `the API URL "${redactUrl(url)}" is not http or https; expected e.g. ${DEFAULT_API_URL}` };
  }
  return { ok: true, target: { baseUrl: url.replace(/\/+$/, ''), token: nonEmpty(flags.apiToken) ?? nonEmpty(env[API_TOKEN_ENV]), scope: scope.scope } };
}

export function resolveScope(flags: ScopeFlags): { ok: true; scope: ApiScope } | { ok: false; message: string } {
  if ((flags.zone === undefined) === (flags.account === undefined)) {
    return { ok: false, message: 'give exactly one of --zone <id> or --account <id>' };
  }
  const kind = flags.zone !== undefined ? 'zones' : 'accounts';
  const id = flags.zone ?? flags.account ?? '';
  if (!HEX_ID.test(id)) return { ok: false, message: `${kind === 'zones' ? 'zone' : 'account'} id "${id}" is not a 32-character lowercase hex id` };
  return { ok: true, scope: { kind, id, path: `${kind}/${id}` } };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
