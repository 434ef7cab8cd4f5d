// An API over in-memory stores and fake destinations, driven through inject: no socket, no Kafka.
import type { FastifyInstance } from 'fastify';
import { createAddressGuard, createDestinationVetter, parseAllowList, parseOwnershipKey } from '@sluice/destinations';
import type { OwnershipKeyring } from '@sluice/destinations';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import type { HealthStore, JobStore } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { createApiServer, createAuthenticator, sha256Hex } from '../../src/index.js';
import type { ApiServerOptions, AuthConfig } from '../../src/index.js';
import { fakeResolver } from './fake-dns.js';
import { fakeDestinations } from './fake-registry.js';
import type { FakeDestinations } from './fake-registry.js';

export const ZONE = '0123456789abcdef0123456789abcdef';
export const OTHER_ZONE = 'fedcba9876543210fedcba9876543210';
export const ACCOUNT = 'aaaabbbbccccddddeeeeffff00001111';
export const DEV_TOKEN = 'dev-token-with-every-scope';
export const ZONE_WRITER = 'zone-writer-token';
export const ZONE_READER = 'zone-reader-token';
export const KEY_EMAIL = 'ops@example.com';
export const API_KEY = 'global-api-key-of-ops';
/** 2026-01-31T12:00:00Z */
export const T0 = Date.UTC(2026, 0, 31, 12);

export const AUTH_CONFIG: AuthConfig = {
  tokens: [
    { name: 'zone-writer', sha256: sha256Hex(ZONE_WRITER), scopes: { [`zones/${ZONE}`]: 'write' } },
    { name: 'zone-reader', sha256: sha256Hex(ZONE_READER), scopes: { [`zones/${ZONE}`]: 'read' } },
  ],
  keys: [{ email: KEY_EMAIL, sha256: sha256Hex(API_KEY), scopes: { 'zones/*': 'write', 'accounts/*': 'read' } }],
};

export function testKeyring(): OwnershipKeyring {
  const parsed = parseOwnershipKey('api-test-signing-key-0123456789abcdef');
  if (!parsed.ok) throw new Error(parsed.message);
  return { current: parsed.key, accepted: [parsed.key] };
}

export interface TestApi {
  app: FastifyInstance;
  store: JobStore;
  health: HealthStore;
  destinations: FakeDestinations;
  /** Every log line the API wrote. */
  logs: string[];
  call<T = unknown>(method: string, url: string, options?: CallOptions): Promise<Reply<T>>;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  raw?: string;
  /** Bearer token; null sends no Authorization. Default: the development token. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface ErrorItem {
  code: number;
  message: string;
  source?: { pointer: string };
}

export interface Envelope<T> {
  success: boolean;
  errors: ErrorItem[];
  messages: unknown[];
  result: T;
}

export interface Reply<T> {
  status: number;
  headers: Record<string, unknown>;
  body: Envelope<T>;
  text: string;
}

export type TestApiOptions = Partial<Omit<ApiServerOptions, 'store' | 'health' | 'registry' | 'auth' | 'logger'>> & {
  withoutOwnershipKeys?: boolean;
  /** Names the fake resolver answers (every other name is public); `asked` collects the names looked up. */
  dns?: Record<string, readonly string[]>;
  asked?: string[];
  /** `--allow-destination-hosts`; default none. */
  allowDestinationHosts?: string;
};

export function testApi(options: TestApiOptions = {}): TestApi {
  const store = createMemoryJobStore();
  const health = createMemoryHealthStore();
  const destinations = fakeDestinations();
  const logs: string[] = [];
  const logger = createLogger({ name: 'api-test', level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const { withoutOwnershipKeys, dns, asked, allowDestinationHosts, ...rest } = options;
  const allow = parseAllowList(allowDestinationHosts ?? '');
  if (!allow.ok) throw new Error(allow.message);
  const app = createApiServer({
    store,
    health,
    registry: destinations.registry,
    addresses: createDestinationVetter({ guard: createAddressGuard({ allow: allow.allow, resolve: fakeResolver(dns, asked) }) }),
    auth: createAuthenticator({ config: AUTH_CONFIG, devToken: DEV_TOKEN }),
    logger,
    now: () => T0,
    ...(withoutOwnershipKeys ? {} : { ownershipKeys: testKeyring() }),
    ...rest,
  });
  return {
    app,
    store,
    health,
    destinations,
    logs,
    async call<T>(method: string, url: string, call: CallOptions = {}): Promise<Reply<T>> {
      const token = call.token === undefined ? DEV_TOKEN : call.token;
      const headers: Record<string, string> = { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...call.headers };
      const payload = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
      if (payload !== undefined && call.raw === undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      const response = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
      return { status: response.statusCode, headers: response.headers, body: parseEnvelope<T>(response.body), text: response.body };
    },
  };
}

/** HEAD answers carry no body; everything else must be JSON. */
function parseEnvelope<T>(text: string): Envelope<T> {
  if (text === '') return { success: true, errors: [], messages: [], result: undefined as T };
  try {
    return JSON.parse(text) as Envelope<T>;
  } catch {
    throw new Error(`the response is not JSON: ${text.slice(0, 200)}`);
  }
}

export function zonePath(path: string, zone = ZONE): string {
  return `/client/v4/zones/${zone}${path}`;
}

export function accountPath(path: string, account = ACCOUNT): string {
  return `/client/v4/accounts/${account}${path}`;
}

/** A job body that passes every check: an HTTP destination, which needs no ownership challenge. */
export function httpJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'siem',
    dataset: 'http_requests',
    destination_conf: 'https://logs.example.com/ingest?header_Authorization=Basic%20c2VjcmV0',
    output_options: { field_names: ['ClientIP', 'EdgeStartTimestamp', 'RayID'], timestamp_format: 'rfc3339' },
    ...overrides,
  };
}

/** An account job of the access_requests dataset. */
export function accessJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { dataset: 'access_requests', destination_conf: 'https://audit.example.com/in', output_options: { field_names: ['CreatedAt', 'Email'] }, ...overrides };
}

/** Asserts the failure envelope's shape and returns its errors. */
export function failureOf(reply: Reply<unknown>): ErrorItem[] {
  if (reply.body.success !== false || reply.body.result !== null || !Array.isArray(reply.body.errors) || reply.body.errors.length === 0) {
    throw new Error(`expected a failure envelope, got ${reply.status} ${reply.text.slice(0, 300)}`);
  }
  if (Object.keys(reply.body).sort().join() !== 'errors,messages,result,success') throw new Error(`unexpected envelope keys: ${reply.text.slice(0, 200)}`);
  return reply.body.errors;
}
