// An app's configuration compiled once at start: its access check, its zone's logged headers, its record scope.
import { NO_CUSTOM_FIELDS } from '@sluice/pipeline';
import type { CustomFieldSet } from '@sluice/pipeline';
import type { AppConfig } from '../config/edge-config.js';
import { compileAccessPolicy } from '../identity/access-policy.js';
import type { VerifiedIdentity } from '../identity/verified-identity.js';
import { compileLoggedHeaders } from '../records/logged-headers.js';
import type { LoggedHeaders } from '../records/logged-headers.js';
import type { RecordScope } from '../records/http-request-record.js';

export interface CompiledApp {
  readonly config: AppConfig;
  readonly allows: (identity: VerifiedIdentity) => boolean;
  readonly logged: LoggedHeaders;
  readonly scope: RecordScope;
  /** origin base path without its trailing slash ('' for `/`), prepended to every request path. */
  readonly originPathPrefix: string;
}

/** Apps by lower-case host name. */
export function compileApps(apps: readonly AppConfig[], customFields: ReadonlyMap<string, CustomFieldSet>, accountId: string): Map<string, CompiledApp> {
  const byHost = new Map<string, CompiledApp>();
  for (const config of apps) {
    const compiled: CompiledApp = {
      config,
      allows: compileAccessPolicy(config.allow),
      logged: compileLoggedHeaders(customFields.get(config.zone.id) ?? NO_CUSTOM_FIELDS),
      scope: { zoneId: config.zone.id, zoneName: config.zone.name, accountId },
      originPathPrefix: config.origin.pathname.replace(/\/+$/, ''),
    };
    for (const host of config.hostnames) byHost.set(host, compiled);
  }
  return byHost;
}

/** The Host header's name part, lower-cased: `Wiki.Example.com:8080` → `wiki.example.com`. */
export function hostName(hostHeader: string | undefined): string {
  if (hostHeader === undefined) return '';
  let end = hostHeader.length;
  if (hostHeader.startsWith('[')) {
    const close = hostHeader.indexOf(']');
    return close === -1 ? hostHeader.toLowerCase() : hostHeader.slice(0, close + 1).toLowerCase();
  }
  const colon = hostHeader.lastIndexOf(':');
  if (colon !== -1) end = colon;
  return hostHeader.slice(0, end).toLowerCase();
}
