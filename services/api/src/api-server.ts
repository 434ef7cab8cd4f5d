// Builds the Logpush-compatible jobs API as a fastify instance; listening is the caller's (tests use inject).
import { fastify, LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DestinationRegistry, DestinationVetter, ObjectStoreOpener, OwnershipKeyring } from '@sluice/destinations';
import type { HealthStore, JobStore } from '@sluice/job-store';
import type { Logger } from '@sluice/logging';
import type { Authenticator } from './auth/authenticator.js';
import { createScopeGuard } from './auth/scope-guard.js';
import { closeConnectionsAfterAnswers } from './graceful-close.js';
import { DEFAULT_BODY_LIMIT_BYTES, registerJsonBody } from './body/json-body.js';
import { successOf } from './envelope.js';
import { clientErrorReply, frameworkErrorReply, installErrorHandler, installNotFound } from './error-replies.js';
import { DEFAULT_RATE_LIMIT, registerRateLimit } from './rate-limit.js';
import type { RateLimitOptions } from './rate-limit.js';
import { createRouteTable } from './route-table.js';
import { createSerialQueue, routerPath } from './route-spec.js';
import type { ApiContext, RouteSpec } from './route-spec.js';
import type { AuditLimits } from './audit/user-session.js';
import { auditRoutes } from './routes/audit-routes.js';
import { customFieldsRoutes } from './routes/custom-fields-routes.js';
import { datasetsRoutes } from './routes/datasets-routes.js';
import { jobsRoutes } from './routes/jobs-routes.js';
import { registerOpenApiRoute } from './routes/openapi-route.js';
import { ownershipRoutes } from './routes/ownership-routes.js';
import { validateRoutes } from './routes/validate-routes.js';
import { accessLogsRoutes } from './access-logs/access-logs-routes.js';
import type { AccessLogStore } from './access-logs/access-log-store.js';
import { registerDashboard } from './dashboard/serve-dashboard.js';
import { jobsHealthRoutes } from './jobs-health/jobs-health-routes.js';
import type { LagReader } from '@sluice/kafka';
import { registerLiveTailRoute } from './live-tail/live-tail-route.js';
import type { ApiMetrics } from './metrics/api-metrics.js';
import { registerOpsRoutes } from './routes/ops-routes.js';
import type { LiveTailOptions } from './live-tail/live-tail-route.js';

export interface ApiServerOptions {
  /** Read as it is: await `store.ready()` before listening so that the first answers are complete. */
  store: JobStore;
  /** Where `last_complete`, `last_error` and `error_message` come from. */
  health: HealthStore;
  /**
   * Parses destinations and builds the ones validation and ownership write to. In production the
   * `registry` of `createGuardedDestinations`, whose every connection is vetted again at connect time.
   */
  registry: DestinationRegistry;
  /**
   * The address policy, applied before a validation write, a challenge file and a job write:
   * `createGuardedDestinations({guard: createAddressGuard({allow})})` (or `createDestinationVetter`).
   */
  addresses: DestinationVetter;
  auth: Authenticator;
  /**
   * Reads back what s3:// and r2:// jobs stored, for the audit route: in production `objectStores` of
   * the same `createGuardedDestinations`, whose every connection is vetted at connect time. Without it
   * the audit route answers 501 (code 1031).
   */
  objectStores?: ObjectStoreOpener;
  /** Bounds on one audit query (objects read, keys listed, time spent); defaults in DEFAULT_AUDIT_LIMITS. */
  auditLimits?: Partial<AuditLimits>;
  /** Requests per caller (token, key, or IP when unauthenticated) and window on every route; default 1,200 per 5 minutes; false: none. */
  rateLimit?: RateLimitOptions | false;
  /** Signs and checks ownership tokens (`ownershipKeysFromEnv()`); without it the ownership routes answer 501 (code 1006). */
  ownershipKeys?: OwnershipKeyring;
  /** Jobs per zone, and per account; default 4, as Cloudflare. */
  maxJobsPerZone?: number;
  /** Lowest `max_upload_interval_seconds` accepted; default 30, as Logpush (see SLUICE_MIN_UPLOAD_INTERVAL_SECONDS). */
  minUploadIntervalSeconds?: number;
  /** Largest request body in bytes; default 256 KiB. */
  bodyLimitBytes?: number;
  /** Destination writes (validation, ownership challenge) give up after this many milliseconds; default 30,000. */
  destinationTimeoutMs?: number;
  logger: Logger;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /**
   * The index of Access authentication events (`createAccessLogStore`, filled by `startAccessLogIngest`) that
   * GET /accounts/{account_id}/access/logs/access_requests reads; without it that route answers 501 (code 1050).
   */
  accessLogs?: AccessLogStore;
  /** The live tail's Kafka reader and bounds; without it GET …/sluice/live-tail answers 501 (code 1041). */
  liveTail?: LiveTailOptions;
  /** Reads jobs' consumer lag (`createKafkaLagReader(kafka)`); without it job health shows `consumer_lag: null`. */
  lag?: LagReader;
  /** Serve the dashboard at /dash (default true). */
  dashboard?: boolean;
  /** Counts every answer and serves GET /metrics (`createApiMetrics`); without it there is no /metrics. */
  metrics?: ApiMetrics;
}

export const DEFAULT_MAX_JOBS_PER_ZONE = 4;
export const DEFAULT_DESTINATION_TIMEOUT_MS = 30_000;

export function createApiServer(options: ApiServerOptions): FastifyInstance {
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  // Typed as fastify's base logger so that the instance is the plain FastifyInstance every helper takes.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = fastify({
    loggerInstance,
    // One access line per request is written below, with the caller's name and never a header.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    frameworkErrors: frameworkErrorReply,
    clientErrorHandler: clientErrorReply,
    return503OnClosing: true,
  });
  closeConnectionsAfterAnswers(app);
  const ctx: ApiContext = {
    store: options.store,
    health: options.health,
    registry: options.registry,
    addresses: options.addresses,
    ownershipKeys: options.ownershipKeys,
    objectStores: options.objectStores,
    auditLimits: options.auditLimits ?? {},
    maxJobsPerZone: options.maxJobsPerZone ?? DEFAULT_MAX_JOBS_PER_ZONE,
    parseJobOptions: {
      checkDestination: (conf) => options.registry.check(conf),
      ...(options.minUploadIntervalSeconds !== undefined ? { minUploadIntervalSeconds: options.minUploadIntervalSeconds } : {}),
    },
    destinationTimeoutMs: options.destinationTimeoutMs ?? DEFAULT_DESTINATION_TIMEOUT_MS,
    serial: createSerialQueue(),
    now: options.now ?? Date.now,
  };
  const routes: RouteSpec[] = [...jobsRoutes(ctx), ...datasetsRoutes(ctx), ...ownershipRoutes(ctx), ...validateRoutes(ctx), ...customFieldsRoutes(ctx), ...auditRoutes(ctx), ...jobsHealthRoutes(ctx, options.lag), ...accessLogsRoutes(options.accessLogs)];
  const guard = createScopeGuard(options.auth);
  const table = createRouteTable();

  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;

  registerJsonBody(app, bodyLimitBytes);
  installErrorHandler(app, bodyLimitBytes);
  if (rateLimit !== false) registerRateLimit(app, options.auth, rateLimit);
  app.addHook('onResponse', (request, reply, done) => {
    // The route's pattern, never the path: paths hold account and zone ids.
    options.metrics?.answered(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    const principal = guard.principalOf(request);
    request.log.info(
      { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime), ...(principal ? { caller: principal.name } : {}) },
      'request',
    );
    done();
  });

  // Registered once the rate limiter has loaded; its hook runs first on every route, the 404 answer included.
  void app.register((api, _options, done) => {
    if (rateLimit !== false) api.addHook('onRequest', api.rateLimit());
    installNotFound(api, table);
    for (const route of routes) {
      for (const kind of route.kinds) {
        const url = routerPath(kind, route.path);
        table.add(route.method, url);
        api.route({
          method: route.method,
          url,
          onRequest: guard.hook(kind),
          handler: async (request) => successOf(await route.handle(request, guard.scopeOf(request))),
        });
      }
    }
    registerOpenApiRoute(api, routes, table);
    registerOpsRoutes(api, table, { store: options.store, ...(options.lag ? { kafka: options.lag } : {}), ...(options.metrics ? { metrics: options.metrics } : {}) });
    registerLiveTailRoute(api, { guard, table, store: options.store, options: options.liveTail });
    done();
  });
  if (options.dashboard !== false) registerDashboard(app);
  return app;
}
