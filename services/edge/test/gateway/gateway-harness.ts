// A gateway in this process in front of a real origin on loopback, with a development key and a publisher that keeps what it is given.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sluice/logging';
import type { Logger } from '@sluice/logging';
import { createRecordDecoder } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import { parseEdgeConfig } from '../../src/config/parse-edge-config.js';
import { startDemoOrigin } from '../../src/demo/demo-origin.js';
import type { DemoOrigin } from '../../src/demo/demo-origin.js';
import { DEV_ISSUER, loadOrCreateDevSigningKey } from '../../src/dev-identity/dev-signing-key.js';
import type { DevSigningKey } from '../../src/dev-identity/dev-signing-key.js';
import { createEdgeGateway } from '../../src/gateway/edge-gateway.js';
import type { EdgeGateway } from '../../src/gateway/edge-gateway.js';
import { createJwksKeySource } from '../../src/identity/jwks-key-source.js';
import { createTokenVerifier } from '../../src/identity/token-verifier.js';
import type { PublishedMessage } from '../../src/publish/published-message.js';
import type { PublisherStats, RecordPublisher } from '../../src/publish/record-publisher.js';

export const LOGGED_ZONE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const QUIET_ZONE = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
export const ACCOUNT = 'cccccccccccccccccccccccccccccccc';
export const WIKI_AUD = 'wiki-aud';
export const HR_AUD = 'hr-aud';

export interface Harness {
  readonly origin: DemoOrigin;
  readonly gateway: EdgeGateway;
  readonly key: DevSigningKey;
  readonly port: number;
  readonly published: PublishedMessage[];
  /** http_requests records published so far, decoded. */
  requests(): DatasetRecord[];
  /** access_requests records published so far, decoded. */
  accessEvents(): DatasetRecord[];
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** `wiki.example.com` (zone LOGGED_ZONE, logs cf-access-user, accept and cookie `theme`) and `hr.example.com` (QUIET_ZONE, logs nothing), both in front of one origin. */
export interface HarnessOptions {
  readonly loginUrl?: string;
  readonly originUrl?: string;
  readonly originTimeoutMs?: number;
  /** Replaces LOGGED_ZONE's custom fields (the jobs file's format). */
  readonly customFields?: Record<string, unknown>;
  /** More top-level settings for the configuration document. */
  readonly settings?: Record<string, unknown>;
  readonly logger?: Logger;
}

export async function startHarness(extra: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-gateway-test-'));
  const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
  const origin = await startDemoOrigin({ record: true });
  const app = (name: string, host: string, zone: string, aud: string) => ({
    name,
    hostnames: [host],
    origin: extra.originUrl ?? origin.url,
    zone: { id: zone, name: `${name}.zone` },
    aud,
    allow: { email_domains: ['example.com'], groups: ['contractors'] },
  });
  const parsed = parseEdgeConfig(
    {
      listen: { host: '127.0.0.1', port: 0 },
      account_id: ACCOUNT,
      identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json', ...(extra.loginUrl ? { login_url: extra.loginUrl } : {}) },
      apps: [app('wiki', 'wiki.example.com', LOGGED_ZONE, WIKI_AUD), app('hr', 'hr.example.com', QUIET_ZONE, HR_AUD)],
      custom_fields: { [LOGGED_ZONE]: extra.customFields ?? { request_fields: [{ name: 'cf-access-user' }, { name: 'accept' }], response_fields: [{ name: 'content-type' }], cookie_fields: [{ name: 'theme' }] } },
      ...(extra.originTimeoutMs ? { origin_timeout_ms: extra.originTimeoutMs } : {}),
      ...extra.settings,
    },
    { baseDir: dir },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const verifier = createTokenVerifier({ keys: await createJwksKeySource({ file: join(dir, 'jwks.json') }), issuer: DEV_ISSUER });
  const published: PublishedMessage[] = [];
  const publisher: RecordPublisher = {
    publish: (message) => void published.push(message),
    stats: (): PublisherStats => ({ published: published.length, spooled: 0, replayed: 0, dropped: 0, queued: 0, spoolBytes: 0, spoolRecords: 0, mode: 'direct', kafkaHealthy: true, spoolDamage: { corruptRegions: 0, corruptBytes: 0, truncatedBytes: 0, writeFailedRecords: 0, damagedRecords: 0 } }),
    drained: () => Promise.resolve(true),
    close: () => Promise.resolve(),
  };
  const gateway = createEdgeGateway({ config: parsed.config, verifier, publisher, logger: extra.logger ?? createLogger({ name: 'gateway-test', level: 'silent' }) });
  const { port } = await gateway.listen();
  const decodeRequest = createRecordDecoder('http_requests');
  const decodeAccess = createRecordDecoder('access_requests');
  const decodeAll = (topic: string, decode: typeof decodeRequest) =>
    published.filter((m) => m.topic === topic).map((m) => {
      const result = decode(m.value);
      if (!result.ok) throw new Error(result.message);
      return result.record;
    });
  return {
    origin,
    gateway,
    key,
    port,
    published,
    requests: () => decodeAll('sluice.http_requests', decodeRequest),
    accessEvents: () => decodeAll('sluice.access_requests', decodeAccess),
    async close() {
      await gateway.close(0);
      await origin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request to the gateway with any Host header (fetch cannot set Host). */
export function send(port: number, path: string, options: { host?: string; method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? 'wiki.example.com', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Waits until `check` holds (records are published when a response closes, just after the client has it). */
export async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
