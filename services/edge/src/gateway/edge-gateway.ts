// The identity-aware gateway: checks who the user is on every request, forwards it with their identity, logs it.
import { Agent as HttpAgent, createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@sluice/logging';
import type { EdgeConfig } from '../config/edge-config.js';
import type { TokenVerifier } from '../identity/token-verifier.js';
import { tokenFromRequest } from '../identity/token-from-request.js';
import type { VerifiedIdentity, VerifyResult } from '../identity/verified-identity.js';
import type { RecordPublisher } from '../publish/record-publisher.js';
import { strippedRequestHeaders, withGatewayHeaders } from '../proxy/forward-headers.js';
import type { OutgoingHttpHeaders } from 'node:http';
import { checkRequestTarget } from '../proxy/request-target.js';
import type { RequestFacts } from '../records/request-facts.js';
import { createEdgeClock } from '../records/edge-clock.js';
import type { EdgeClock } from '../records/edge-clock.js';
import { createLoginTracker } from '../records/login-tracker.js';
import type { LoginTracker } from '../records/login-tracker.js';
import { createRayIdSource, RAY_ID_HEADER } from '../records/ray-id.js';
import { createRecordMessages } from '../records/record-messages.js';
import { createClientErrorHandler } from './client-error.js';
import { compileApps, hostName } from './compiled-app.js';
import type { CompiledApp } from './compiled-app.js';
import { denyRequest } from './deny-request.js';
import type { Denial } from './deny-request.js';
import { createEdgeMetrics } from './edge-metrics.js';
import type { EdgeMetrics } from './edge-metrics.js';
import { forwardRequest } from './forward-request.js';
import { createRecordSink } from './record-sink.js';
import { createExchangeRecorder } from './stored-before-answer.js';
import { DEFAULT_DURABILITY_TIMEOUT_MS } from '../config/publishing-section.js';
import { startFacts } from './request-exchange.js';
import { createConnectionDrain } from './connection-drain.js';

export interface EdgeGatewayOptions {
  readonly config: EdgeConfig;
  readonly verifier: TokenVerifier;
  readonly publisher: RecordPublisher;
  readonly logger: Logger;
  readonly metrics?: EdgeMetrics;
  /** PEM certificate and key when `config.tls` is set (read by the caller). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly clock?: EdgeClock;
  readonly rayIds?: () => string;
  readonly loginTracker?: LoginTracker;
}

export interface EdgeGateway {
  readonly server: Server;
  readonly metrics: EdgeMetrics;
  /** Listens on `config.listen`; resolves to the bound address (port 0 picks a free one). */
  listen(): Promise<AddressInfo>;
  /** Stops accepting, lets requests in progress finish (cut after `graceMs`, default 10 s), and closes origin connections. */
  close(graceMs?: number): Promise<void>;
}

/** Identity error codes whose token was signed by the IdP: its email is then the real user's, worth logging. */
const SIGNED_FAILURES = new Set(['IDENTITY_EXPIRED', 'IDENTITY_NOT_YET_VALID', 'IDENTITY_WRONG_AUDIENCE', 'IDENTITY_WRONG_ISSUER', 'IDENTITY_CLAIMS_INVALID']);

/** One line per zone whose custom fields name credentials: the configuration stays valid, and the operator learns they are logged as REDACTED. */
function logRedactedFields(apps: ReadonlyMap<string, CompiledApp>, logger: Logger): void {
  const zones = new Map<string, CompiledApp>();
  for (const app of apps.values()) zones.set(app.scope.zoneId, app);
  for (const [zone, app] of zones) {
    if (app.logged.redacted.length === 0) continue;
    logger.warn({ zone, fields: app.logged.redacted }, `the custom fields of zone ${zone} name credentials; their values are logged as REDACTED: ${app.logged.redacted.join('; ')}`);
  }
}

export function createEdgeGateway(options: EdgeGatewayOptions): EdgeGateway {
  const { config, verifier, logger } = options;
  const clock = options.clock ?? createEdgeClock();
  const rayIds = options.rayIds ?? createRayIdSource();
  const logins = options.loginTracker ?? createLoginTracker();
  const metrics = options.metrics ?? createEdgeMetrics();
  metrics.watchPublisher(options.publisher);
  const apps = compileApps(config.apps, config.customFields, config.accountId);
  logRedactedFields(apps, logger);
  const sink = createRecordSink({ publisher: options.publisher, messages: createRecordMessages(), metrics, logger, accountId: config.accountId, refusedRecords: config.refusedRecords });
  // Sync durability holds each answer's end until its record is stored (stored-before-answer.ts).
  const recordOnly = createExchangeRecorder(sink, clock, config.durability, { timeoutMs: config.durabilityTimeoutMs ?? DEFAULT_DURABILITY_TIMEOUT_MS, onTimeout: () => metrics.durabilityTimeouts.inc() });
  /** Records the exchange when it ends, and its duration from arrival (sluice_edge_request_duration_seconds). */
  const recordExchange: typeof recordOnly = (res, facts, app) => {
    recordOnly(res, facts, app);
    const latency = metrics.requestSeconds(app.config.name);
    res.once('close', () => latency.observe(Number(clock.nowNanos() - facts.startNs) / 1e9));
  };
  // Keep-alive to origins: a new TCP connection per request would cost more than everything else here.
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' }) };
  const loginUrl = config.identity.loginUrl;
  const userOf = config.identity.userClaim === 'sub' ? (identity: VerifiedIdentity) => identity.userId : (identity: VerifiedIdentity) => identity.email;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startNs = clock.nowNanos();
    const rayId = rayIds();
    const host = hostName(req.headers.host);
    const app = apps.get(host);
    if (app === undefined) {
      metrics.unknownHost.inc();
      req.resume();
      const body = `404 Not Found: no application is configured for host ${JSON.stringify(host.slice(0, 100))} (ray ${rayId})\n`;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), [RAY_ID_HEADER]: rayId });
      res.end(body);
      return;
    }
    const facts = startFacts(req, host, rayId, startNs);
    // Client-sent identity headers go before anything is logged or forwarded: they can never be believed.
    const stripped = strippedRequestHeaders(req.headers);
    facts.cookies = app.logged.cookies(req.headers.cookie);
    const token = tokenFromRequest(req.headers);
    facts.credential = token ?? '';
    // The target is checked before the token: a request the origin could misroute is refused whoever sends it.
    const target = checkRequestTarget(req.url ?? '', host);
    if (!target.ok) {
      refuse(req, res, app, facts, stripped, { code: target.code, status: 400 });
      return;
    }
    const verdict: VerifyResult =
      token === undefined ? { ok: false, code: 'IDENTITY_TOKEN_MISSING', status: 401, reason: 'no token in the Cf-Access-Jwt-Assertion header or the CF_Authorization cookie', unverified: {} } : await verifier.verify(token, app.config.aud);

    if (!verdict.ok || !app.allows(verdict.identity)) {
      const denial: Denial = verdict.ok ? { code: 'IDENTITY_USER_NOT_ALLOWED', status: 403 } : { code: verdict.code, status: verdict.status };
      const trusted = verdict.ok ? verdict.identity : SIGNED_FAILURES.has(verdict.code) ? verdict.unverified : undefined;
      sink.access({
        allowed: false,
        createdAtNs: startNs,
        rayId,
        ip: facts.clientIp,
        appDomain: host,
        appUuid: app.config.appUuid,
        email: trusted?.email ?? '',
        userUid: verdict.ok ? verdict.identity.userId : '',
        connection: trusted?.connection ?? '',
        country: trusted?.country ?? '',
        denyCode: denial.code,
      });
      refuse(req, res, app, facts, stripped, denial);
      return;
    }

    const identity = verdict.identity;
    // A tracker shared by the gateway's workers answers later: it calls `login` then (cluster/shared-login-tracker.ts).
    const login = (): void => sink.access({ allowed: true, createdAtNs: startNs, rayId, ip: facts.clientIp, appDomain: host, appUuid: app.config.appUuid, email: identity.email, userUid: identity.userId, connection: identity.connection, country: identity.country });
    if (logins.firstSeen(identity.tokenId, identity.expiresAtMs, login)) login();
    const headers = withGatewayHeaders(stripped, { user: userOf(identity), email: identity.email, token: token ?? '' }, { clientIp: facts.clientIp, scheme: facts.scheme, rayId }, req.headers);
    facts.requestHeaders = app.logged.request(headers);
    recordExchange(res, facts, app);
    metrics.requests(app.config.name, 'allow').inc();
    forwardRequest(req, res, facts, app, headers, {
      path: app.originPathPrefix + target.path,
      clock,
      agents,
      originTimeoutMs: config.originTimeoutMs,
      onOriginError: (kind, error) => originError(app, kind, error, rayId),
    });
  };

  /** Answers a refusal and logs it: the record when the response closes, the counters now. */
  function refuse(req: IncomingMessage, res: ServerResponse, app: CompiledApp, facts: RequestFacts, stripped: OutgoingHttpHeaders, denial: Denial): void {
    facts.requestHeaders = app.logged.request(stripped);
    recordExchange(res, facts, app);
    metrics.requests(app.config.name, 'block').inc();
    metrics.denied(app.config.name, denial.code).inc();
    denyRequest(req, res, facts, denial, loginUrl, clock);
  }

  const originErrorLogged = new Map<string, number>();
  function originError(app: CompiledApp, kind: string, error: Error, rayId: string): void {
    metrics.originErrors(app.config.name, kind).inc();
    // One line per app and kind every 10 s: a dead origin must not turn into a log flood.
    const key = `${app.config.name}\0${kind}`;
    const now = Date.now();
    if ((originErrorLogged.get(key) ?? 0) + 10_000 > now) return;
    originErrorLogged.set(key, now);
    logger.warn({ app: app.config.name, kind, rayId, err: error }, `origin of app ${app.config.name} failed (${kind}); further failures for 10 s are only counted in sluice_edge_origin_errors_total`);
  }

  const drain = createConnectionDrain();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    drain.track(res);
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'the gateway failed on a request');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('500 Internal Server Error\n');
      else res.destroy();
    });
  };
  const server: Server = options.tls === undefined ? createHttpServer(onRequest) : (createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest));
  const fallbackApp = [...apps.values()].find((app) => app.scope.zoneId === config.malformedRequestZone) ?? [...apps.values()][0];
  server.on('clientError', createClientErrorHandler({ apps, fallbackApp, sink, metrics, clock, rayIds }));
  // Longer than common load balancers' idle timeout (60 s), so they, not the gateway, close idle connections.
  server.keepAliveTimeout = 65_000;

  return {
    server,
    metrics,
    listen: () =>
      new Promise<AddressInfo>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.listen.port, config.listen.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    async close(graceMs = 10_000) {
      await drain.close(server, graceMs);
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
