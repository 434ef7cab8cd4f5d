// GET /client/v4/zones/{zone_id}/sluice/live-tail: a zone's http_requests as Server-Sent Events, filtered, bounded, closing itself.
import type { FastifyInstance } from 'fastify';
import type { JobStore } from '@sluice/job-store';
import { NO_CUSTOM_FIELDS, parseCustomFields } from '@sluice/pipeline';
import type { CustomFieldSet } from '@sluice/pipeline';
import { topicFor } from '@sluice/schemas';
import { API_ERRORS, ApiError } from '../api-errors.js';
import type { ScopeGuard } from '../auth/scope-guard.js';
import type { RouteTable } from '../route-table.js';
import { compileTail } from './compile-tail.js';
import { createSseWriter, SSE_HEADERS } from './sse-writer.js';
import { SYSTEM_TAIL_CLOCK } from './tail-clock.js';
import type { TailClock } from './tail-clock.js';
import { createTailLeases } from './tail-leases.js';
import { resolveTailLimits } from './tail-limits.js';
import type { TailLimits } from './tail-limits.js';
import { parseTailQuery } from './tail-query.js';
import { createTailSession } from './tail-session.js';
import type { TailSession } from './tail-session.js';
import type { TailSourceFactory } from './tail-source.js';

export const LIVE_TAIL_PATH = '/client/v4/zones/:zone_id/sluice/live-tail';

export interface LiveTailOptions {
  /** Opens the Kafka reader of one tail (`createKafkaTailSources(kafka)`). */
  sources: TailSourceFactory;
  /** Bounds; each one defaults as DEFAULT_TAIL_LIMITS says. */
  limits?: Partial<TailLimits>;
  /** Default: the system clock. */
  clock?: TailClock;
}

export interface LiveTailDeps {
  guard: ScopeGuard;
  table: RouteTable;
  store: JobStore;
  /** Absent: the route answers LIVE_TAIL_UNAVAILABLE (the API runs without Kafka). */
  options: LiveTailOptions | undefined;
}

export function registerLiveTailRoute(api: FastifyInstance, deps: LiveTailDeps): void {
  const limits = resolveTailLimits(deps.options?.limits);
  const clock = deps.options?.clock ?? SYSTEM_TAIL_CLOCK;
  const leases = createTailLeases(limits);
  const sessions = new Set<TailSession>();
  deps.table.add('GET', LIVE_TAIL_PATH);

  // Open streams would hold the server's close forever: they are ended first, each with its `end` event.
  api.addHook('preClose', async () => {
    await Promise.all([...sessions].map((session) => session.end('server_closing')));
  });

  api.get(LIVE_TAIL_PATH, { onRequest: deps.guard.hook('zones') }, async (request, reply) => {
    const scope = deps.guard.scopeOf(request);
    const caller = deps.guard.principalOf(request)?.name ?? '';
    const sources = deps.options?.sources;
    if (sources === undefined) throw new ApiError('LIVE_TAIL_UNAVAILABLE', 'the live tail needs Kafka, and this API runs without it (--memory)');
    const parsed = parseTailQuery(request.query, limits);
    if (!parsed.ok) throw invalidParameters(parsed.issues);
    const compiled = compileTail({ zoneId: scope.id, fieldNames: parsed.query.fieldNames, filter: parsed.query.filter, customFields: customFieldsOf(deps.store, scope.id) });
    if (!compiled.ok) throw invalidParameters(compiled.issues);
    const lease = leases.acquire(caller);
    if (!lease.ok) {
      const whose = lease.reason === 'caller' ? `${caller} already has` : 'this API already runs';
      throw new ApiError('TAIL_LIMIT_REACHED', `${whose} ${lease.limit} live tails open (the limit); close one and try again`, { 'retry-after': '5' });
    }

    reply.hijack();
    reply.raw.writeHead(200, SSE_HEADERS);
    const sse = createSseWriter(reply.raw);
    sse.comment(`live tail of ${scope.path}`);
    const log = request.log.child({ tail_zone: scope.id, caller });
    const session = createTailSession({
      tail: compiled.tail,
      source: sources(topicFor('http_requests')),
      sse,
      clock,
      maxEventsPerSecond: parsed.query.maxEventsPerSecond,
      maxDurationMs: limits.maxDurationMs,
      keepaliveMs: limits.keepaliveMs,
      onEnd: (reason, counts) => {
        sessions.delete(session);
        lease.release();
        log.info({ reason, ...counts, open_tails: leases.count() }, 'live tail ended');
      },
    });
    sessions.add(session);
    reply.raw.on('close', () => void session.end('client_closed'));
    log.info({ fields: parsed.query.fieldNames, filtered: parsed.query.filter !== undefined, open_tails: leases.count() }, 'live tail started');
    session.start();
    return reply;
  });
}

/** The zone's custom fields as the pusher applies them; a stored configuration that no longer parses counts as none. */
function customFieldsOf(store: JobStore, zoneId: string): CustomFieldSet {
  const document = store.customFields().get(zoneId);
  if (document === undefined) return NO_CUSTOM_FIELDS;
  const parsed = parseCustomFields(document);
  return parsed.ok ? parsed.fields : NO_CUSTOM_FIELDS;
}

function invalidParameters(issues: readonly { parameter: string; message: string }[]): ApiError {
  return new ApiError('INVALID_FIELD', issues.map((issue) => ({ code: API_ERRORS.INVALID_FIELD.code, message: `${issue.parameter}: ${issue.message}` })));
}
