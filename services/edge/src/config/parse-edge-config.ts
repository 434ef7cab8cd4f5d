// Validates the gateway's JSON configuration purely: every problem named by its path, with the bad value and what is allowed.
import { isAbsolute, resolve } from 'node:path';
import { parseCustomFieldsByZone, showValue } from '@sluice/pipeline';
import type { CustomFieldSet, JobIssue } from '@sluice/pipeline';
import { deriveHexId, isHexId } from '@sluice/schemas';
import type { AppConfig, EdgeConfig, IdentityConfig, ListenAddress, SpoolConfig, TlsFiles } from './edge-config.js';
import { jwksUrlProblem } from './jwks-url-policy.js';
import { KAFKA_SECTION_KEYS, readKafkaSecurity } from './kafka-security-section.js';
import { PUBLISHING_KEYS, readPublishing } from './publishing-section.js';

export type ParseEdgeConfigResult = { readonly ok: true; readonly config: EdgeConfig } | { readonly ok: false; readonly issues: readonly JobIssue[] };

export interface ParseEdgeConfigOptions {
  /** Relative file paths (JWKS file, spool, TLS files) resolve against this folder: the config file's. */
  readonly baseDir: string;
}

export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_SPOOL_MAX_BYTES = 1024 ** 3;
const DEFAULT_ORIGIN_TIMEOUT_MS = 30_000;
/** More listener processes than this buys nothing but memory (each has a publisher thread and a spool). */
export const MAX_WORKERS = 64;
const TOP_LEVEL = ['listen', 'tls', 'admin', 'account_id', 'identity', 'apps', 'custom_fields', 'kafka', 'spool', 'origin_timeout_ms', 'malformed_request_zone', 'workers', ...PUBLISHING_KEYS];
const IDENTITY_KEYS = ['issuer', 'jwks_url', 'jwks_file', 'leeway_seconds', 'groups_claim', 'connection_claim', 'user_claim', 'login_url', 'allow_insecure_jwks'];
const APP_KEYS = ['name', 'hostnames', 'origin', 'zone', 'aud', 'app_uuid', 'allow'];
const ALLOW_KEYS = ['emails', 'email_domains', 'groups', 'everyone'];
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const AUD_TAG = /^[A-Za-z0-9._:/-]{1,256}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Doc = Record<string, unknown>;

/** A running list of issues and the readers that add to it. */
class Reader {
  readonly issues: JobIssue[] = [];

  add(path: string, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  object(value: unknown, path: string, allowed: readonly string[], example: string): Doc | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.add(path, `${showValue(value)} is not allowed; expected an object like ${example}`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add(`${path}/${key}`, `"${key}" is not a setting here; allowed: ${allowed.join(', ')}`);
    }
    return value as Doc;
  }

  string(doc: Doc, key: string, path: string, options: { required?: boolean; pattern?: RegExp; what?: string } = {}): string | undefined {
    const value = doc[key];
    if (value === undefined) return options.required === true ? this.add(`${path}/${key}`, `is required${options.what ? `: ${options.what}` : ''}`) : undefined;
    if (typeof value !== 'string' || value === '') return this.add(`${path}/${key}`, `${showValue(value)} is not allowed; expected a non-empty string${options.what ? ` (${options.what})` : ''}`);
    if (options.pattern && !options.pattern.test(value)) return this.add(`${path}/${key}`, `${showValue(value)} is not ${options.what ?? 'valid'}`);
    return value;
  }

  integer(doc: Doc, key: string, path: string, min: number, max: number, fallback: number): number {
    const value = doc[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(`${path}/${key}`, `${showValue(value)} is not allowed; expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  strings(doc: Doc, key: string, path: string, check: (item: string) => string | undefined): string[] {
    const value = doc[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.add(`${path}/${key}`, `${showValue(value)} is not allowed; expected a list of strings`);
      return [];
    }
    const out: string[] = [];
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string' || item === '') {
        this.add(`${path}/${key}/${i}`, `${showValue(item)} is not allowed; expected a non-empty string`);
        return;
      }
      const problem = check(item);
      if (problem !== undefined) this.add(`${path}/${key}/${i}`, `${showValue(item)} ${problem}`);
      else out.push(item);
    });
    return out;
  }
}

/** Checks the whole document and reports every issue at once; nothing is read from disk here. */
export function parseEdgeConfig(document: unknown, options: ParseEdgeConfigOptions): ParseEdgeConfigResult {
  const r = new Reader();
  const doc = r.object(document, '', TOP_LEVEL, '{"identity": {...}, "apps": [...]}');
  if (doc === undefined) return { ok: false, issues: r.issues };
  const file = (path: string): string => (isAbsolute(path) ? path : resolve(options.baseDir, path));

  const listen = doc['listen'] === undefined ? DEFAULT_LISTEN : readListen(r, doc['listen'], '/listen');
  const admin = doc['admin'] === undefined ? undefined : readListen(r, doc['admin'], '/admin');
  const tls = doc['tls'] === undefined ? undefined : readTls(r, doc['tls'], file);
  const accountId = r.string(doc, 'account_id', '', { required: true, pattern: /^[0-9a-f]{32}$/, what: 'an account id: 32 lowercase hex digits' });
  const identity = readIdentity(r, doc['identity'], file);
  const apps = readApps(r, doc['apps']);
  const customFields = readCustomFields(r, doc['custom_fields']);
  const kafka = doc['kafka'] === undefined ? undefined : r.object(doc['kafka'], '/kafka', KAFKA_SECTION_KEYS, '{"brokers": "127.0.0.1:9092", "tls": {...}, "sasl": {...}}');
  const kafkaBrokers = kafka === undefined ? undefined : r.string(kafka, 'brokers', '/kafka', { what: 'host:port[,host:port...]' });
  const kafkaSecurity = kafka === undefined ? undefined : readKafkaSecurity(kafka, file, (path, message) => r.add(path, message));
  const spool = readSpool(r, doc['spool'], file);
  const publishing = readPublishing(doc, (path, message) => r.add(path, message));
  const originTimeoutMs = r.integer(doc, 'origin_timeout_ms', '', 100, 3_600_000, DEFAULT_ORIGIN_TIMEOUT_MS);
  // Absent: the machine's cores, decided where the gateway starts (not here: parsing stays pure).
  const workers = doc['workers'] === undefined ? undefined : r.integer(doc, 'workers', '', 1, MAX_WORKERS, 1);

  for (const zoneId of customFields.keys()) {
    if (!apps.some((app) => app.zone.id === zoneId)) r.add(`/custom_fields/${zoneId}`, 'names a zone no app belongs to; every key must be the zone.id of an app');
  }
  const malformedRequestZone = r.string(doc, 'malformed_request_zone', '', { what: 'the zone.id of an app' }) ?? apps[0]?.zone.id;
  if (doc['malformed_request_zone'] !== undefined && malformedRequestZone !== undefined && !apps.some((app) => app.zone.id === malformedRequestZone)) {
    r.add('/malformed_request_zone', `${showValue(malformedRequestZone)} is not the zone.id of any app; expected one of ${[...new Set(apps.map((app) => app.zone.id))].map((id) => `"${id}"`).join(', ')}`);
  }
  if (r.issues.length > 0 || accountId === undefined || identity === undefined || listen === undefined || spool === undefined || malformedRequestZone === undefined) return { ok: false, issues: r.issues };
  return { ok: true, config: { listen, tls, admin, accountId, identity, apps, customFields, kafkaBrokers, kafkaSecurity, spool, originTimeoutMs, malformedRequestZone, ...(workers !== undefined ? { workers } : {}), ...publishing } };
}

function readListen(r: Reader, value: unknown, path: string): ListenAddress | undefined {
  const doc = r.object(value, path, ['host', 'port'], '{"host": "127.0.0.1", "port": 8080}');
  if (doc === undefined) return undefined;
  return { host: r.string(doc, 'host', path, { what: 'an IP address or host name to listen on' }) ?? DEFAULT_LISTEN.host, port: r.integer(doc, 'port', path, 0, 65_535, DEFAULT_LISTEN.port) };
}

function readTls(r: Reader, value: unknown, file: (path: string) => string): TlsFiles | undefined {
  const doc = r.object(value, '/tls', ['cert_file', 'key_file'], '{"cert_file": "edge.crt", "key_file": "edge.key"}');
  if (doc === undefined) return undefined;
  const cert = r.string(doc, 'cert_file', '/tls', { required: true, what: 'a PEM certificate file' });
  const key = r.string(doc, 'key_file', '/tls', { required: true, what: 'a PEM private key file' });
  return cert !== undefined && key !== undefined ? { certFile: file(cert), keyFile: file(key) } : undefined;
}

function readIdentity(r: Reader, value: unknown, file: (path: string) => string): IdentityConfig | undefined {
  if (value === undefined) return r.add('/identity', 'is required: {"issuer": "https://<team>.cloudflareaccess.com", "jwks_url": "https://<team>.cloudflareaccess.com/cdn-cgi/access/certs"}');
  const doc = r.object(value, '/identity', IDENTITY_KEYS, '{"issuer": "...", "jwks_url": "..."}');
  if (doc === undefined) return undefined;
  const issuer = r.string(doc, 'issuer', '/identity', { required: true, what: "the tokens' `iss`, e.g. https://<team>.cloudflareaccess.com" });
  const url = r.string(doc, 'jwks_url', '/identity', { pattern: /^https?:\/\/\S+$/, what: 'an http(s) URL serving a JWKS' });
  const allowInsecure = doc['allow_insecure_jwks'];
  if (allowInsecure !== undefined && typeof allowInsecure !== 'boolean') r.add('/identity/allow_insecure_jwks', `${showValue(allowInsecure)} is not allowed; expected true or false`);
  const urlProblem = url === undefined ? undefined : jwksUrlProblem(url, allowInsecure === true);
  if (urlProblem !== undefined) r.add('/identity/jwks_url', urlProblem);
  const jwksFile = r.string(doc, 'jwks_file', '/identity', { what: 'a file holding a JWKS' });
  const loginUrl = r.string(doc, 'login_url', '/identity', { pattern: /^https?:\/\/\S+$/, what: 'an http(s) URL' });
  if (doc['jwks_url'] === undefined && doc['jwks_file'] === undefined) {
    r.add('/identity', 'needs one of jwks_url (the IdP\'s JWKS endpoint) or jwks_file (a JWKS on disk, e.g. from `sluice token --jwks`)');
  } else if (doc['jwks_url'] !== undefined && doc['jwks_file'] !== undefined) {
    r.add('/identity/jwks_file', 'cannot be set together with jwks_url; choose one');
  }
  const leewaySeconds = r.integer(doc, 'leeway_seconds', '/identity', 0, 300, 30);
  const claim = (key: string, fallback: string): string => r.string(doc, key, '/identity', { pattern: /^[A-Za-z0-9_.:-]+$/, what: 'a claim name' }) ?? fallback;
  const groupsClaim = claim('groups_claim', 'groups');
  const connectionClaim = claim('connection_claim', 'idp');
  const userClaim = r.string(doc, 'user_claim', '/identity', { pattern: /^(email|sub)$/, what: '"email" or "sub": the claim sent to apps as cf-access-user' }) ?? 'email';
  if (issuer === undefined || (url === undefined && jwksFile === undefined)) return undefined;
  const jwks = url !== undefined ? { url } : { file: file(jwksFile ?? '') };
  return { issuer, jwks, leewaySeconds, groupsClaim, connectionClaim, userClaim: userClaim === 'sub' ? 'sub' : 'email', loginUrl };
}

function readApps(r: Reader, value: unknown): AppConfig[] {
  if (!Array.isArray(value) || value.length === 0) {
    r.add('/apps', `${showValue(value)} is not allowed; expected a list of at least one app like {"name": "wiki", "hostnames": ["wiki.example.com"], "origin": "http://127.0.0.1:3000", "zone": {...}, "aud": "...", "allow": {...}}`);
    return [];
  }
  const apps: AppConfig[] = [];
  const owners = new Map<string, string>();
  value.forEach((item: unknown, i) => {
    const path = `/apps/${i}`;
    const doc = r.object(item, path, APP_KEYS, '{"name": "wiki", "hostnames": [...], "origin": "http://...", ...}');
    if (doc === undefined) return;
    const name = r.string(doc, 'name', path, { required: true, what: 'a name for logs and metrics' });
    const hostnames = r.strings(doc, 'hostnames', path, (host) => (HOSTNAME.test(host) ? undefined : 'is not a lower-case host name (no scheme, port or path)'));
    if (doc['hostnames'] === undefined || (Array.isArray(doc['hostnames']) && doc['hostnames'].length === 0)) r.add(`${path}/hostnames`, 'is required: the host names this app answers, e.g. ["wiki.example.com"]');
    hostnames.forEach((host, h) => {
      const owner = owners.get(host);
      if (owner !== undefined) r.add(`${path}/hostnames/${h}`, `"${host}" is already served by app ${owner}; a host name belongs to one app`);
      owners.set(host, name ?? `#${i}`);
    });
    const origin = readOrigin(r, doc, path);
    const zone = readZone(r, doc['zone'], `${path}/zone`);
    const aud = r.string(doc, 'aud', path, { required: true, pattern: AUD_TAG, what: "the application's AUD tag (the `aud` its tokens carry)" });
    const appUuid = r.string(doc, 'app_uuid', path, { what: 'the app UUID for access_requests records' });
    const allow = readAllow(r, doc['allow'], `${path}/allow`);
    if (name === undefined || origin === undefined || zone === undefined || aud === undefined || allow === undefined) return;
    apps.push({ name, hostnames, origin, zone, aud, appUuid: appUuid ?? uuidFrom(aud), allow });
  });
  return apps;
}

function readOrigin(r: Reader, doc: Doc, path: string): URL | undefined {
  const text = r.string(doc, 'origin', path, { required: true, what: 'the app\'s base URL, e.g. "http://127.0.0.1:3000"' });
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return r.add(`${path}/origin`, `${showValue(text)} is not a URL; expected e.g. "http://127.0.0.1:3000"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return r.add(`${path}/origin`, `${showValue(text)} is not allowed; origins are http:// or https://`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return r.add(`${path}/origin`, `${showValue(url.origin + url.pathname)}… may not carry credentials, a query or a fragment`);
  return url;
}

function readZone(r: Reader, value: unknown, path: string): { id: string; name: string } | undefined {
  const doc = r.object(value, path, ['id', 'name'], '{"id": "<32 hex>", "name": "example.com"}');
  if (doc === undefined) return undefined;
  const id = r.string(doc, 'id', path, { required: true, pattern: /^[0-9a-f]{32}$/, what: 'a zone id: 32 lowercase hex digits' });
  const name = r.string(doc, 'name', path, { required: true, pattern: HOSTNAME, what: 'a zone name like "example.com"' });
  return id !== undefined && isHexId(id) && name !== undefined ? { id, name } : undefined;
}

function readAllow(r: Reader, value: unknown, path: string): AppConfig['allow'] | undefined {
  const doc = r.object(value, path, ALLOW_KEYS, '{"email_domains": ["example.com"]}');
  if (doc === undefined) return undefined;
  const emails = r.strings(doc, 'emails', path, (e) => (EMAIL.test(e) ? undefined : 'is not an email address'));
  const emailDomains = r.strings(doc, 'email_domains', path, (d) => (HOSTNAME.test(d.toLowerCase()) ? undefined : 'is not a domain like "example.com"'));
  const groups = r.strings(doc, 'groups', path, () => undefined);
  const everyone = doc['everyone'];
  if (everyone !== undefined && typeof everyone !== 'boolean') r.add(`${path}/everyone`, `${showValue(everyone)} is not allowed; expected true or false`);
  if (everyone !== true && ['emails', 'email_domains', 'groups'].every((key) => doc[key] === undefined || (Array.isArray(doc[key]) && doc[key].length === 0))) {
    return r.add(path, 'allows nobody: list emails, email_domains or groups, or set "everyone": true for any user the IdP signs in');
  }
  return { emails, emailDomains, groups, everyone: everyone === true };
}

function readCustomFields(r: Reader, value: unknown): Map<string, CustomFieldSet> {
  if (value === undefined) return new Map();
  const parsed = parseCustomFieldsByZone(value);
  if (parsed.ok) return parsed.byZone;
  for (const issue of parsed.issues) r.add(`/custom_fields${issue.path}`, issue.message);
  return new Map();
}

function readSpool(r: Reader, value: unknown, file: (path: string) => string): SpoolConfig | undefined {
  if (value === undefined) return { dir: file('.sluice/edge-spool'), maxBytes: DEFAULT_SPOOL_MAX_BYTES };
  const doc = r.object(value, '/spool', ['dir', 'max_bytes'], '{"dir": "/var/lib/sluice/edge-spool", "max_bytes": 1073741824}');
  if (doc === undefined) return undefined;
  const dir = r.string(doc, 'dir', '/spool', { what: 'a directory for records waiting for Kafka' });
  const maxBytes = r.integer(doc, 'max_bytes', '/spool', 1024 * 1024, Number.MAX_SAFE_INTEGER, DEFAULT_SPOOL_MAX_BYTES);
  return { dir: file(dir ?? '.sluice/edge-spool'), maxBytes };
}

/** A stable UUID-shaped id for an app that names none, so its access_requests records still carry one. */
function uuidFrom(aud: string): string {
  const hex = deriveHexId(`app:${aud}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
