// One description per route: registration, 405 detection and the OpenAPI document are all built from it.
import type { FastifyRequest } from 'fastify';
import type { TObject, TSchema } from '@sinclair/typebox';
import type { DestinationRegistry, DestinationVetter, ObjectStoreOpener, OwnershipKeyring } from '@sluice/destinations';
import type { HealthStore, JobStore } from '@sluice/job-store';
import type { ParseJobOptions } from '@sluice/pipeline';
import type { RouteScope, ScopeKind } from './auth/scope-guard.js';
import type { ApiErrorName } from './api-errors.js';
import type { AuditLimits } from './audit/user-session.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** The path after `/{kind}/{id}`, OpenAPI style: `/logpush/jobs/{job_id}`. */
  path: string;
  /** Whether the route exists under `/zones/{zone_id}`, `/accounts/{account_id}` or both. */
  kinds: readonly ScopeKind[];
  /** Unique per route; the OpenAPI operation ids append the scope (`listJobs` → `listJobsZone`). */
  operationId: string;
  summary: string;
  /** The request body's schema, for the OpenAPI document; handlers validate with the same schema. */
  body?: TSchema;
  /** Query parameters, for the OpenAPI document; the handler checks them itself (naming the parameter and value). */
  query?: TObject;
  /** The `result` of the success envelope. */
  result: TSchema;
  /** The envelope's `result_info`, for routes whose handler answers with withResultInfo(). */
  resultInfo?: TSchema;
  /** The errors this route answers with beyond the ones every scoped route has (auth, identifiers, body format). */
  errors: readonly ApiErrorName[];
  /** Returns the envelope's `result`, or throws an ApiError. */
  handle(request: FastifyRequest, scope: RouteScope): Promise<unknown>;
}

/** What the route handlers share. */
export interface ApiContext {
  store: JobStore;
  health: HealthStore;
  registry: DestinationRegistry;
  /** The address policy: where a destination_conf may point (see ApiServerOptions.addresses). */
  addresses: DestinationVetter;
  /** Reads back what s3:// and r2:// jobs stored (the audit route); absent: the audit answers AUDIT_UNAVAILABLE. */
  objectStores: ObjectStoreOpener | undefined;
  auditLimits: Partial<AuditLimits>;
  /** Absent when the server has no signing key: ownership routes answer OWNERSHIP_UNAVAILABLE. */
  ownershipKeys: OwnershipKeyring | undefined;
  maxJobsPerZone: number;
  parseJobOptions: ParseJobOptions;
  /** How long a destination write (validation, ownership challenge) may take, in milliseconds. */
  destinationTimeoutMs: number;
  /**
   * Runs store writes one at a time in this process, so that what a write checked (the job limit,
   * the job it merges over) still holds when it lands.
   */
  serial<T>(work: () => Promise<T>): Promise<T>;
  /** Milliseconds since the epoch. */
  now: () => number;
}

export const BOTH_SCOPES: readonly ScopeKind[] = ['zones', 'accounts'];

/** `/logpush/jobs/{job_id}` → `/logpush/jobs/:job_id` for the router. */
export function routerPath(kind: ScopeKind, path: string): string {
  const scopeParam = kind === 'zones' ? ':zone_id' : ':account_id';
  return `/client/v4/${kind}/${scopeParam}${path.replace(/\{(\w+)\}/g, ':$1')}`;
}

/** `/logpush/jobs/{job_id}` → `/zones/{zone_id}/logpush/jobs/{job_id}` for the OpenAPI document. */
export function documentPath(kind: ScopeKind, path: string): string {
  return `/${kind}/${kind === 'zones' ? '{zone_id}' : '{account_id}'}${path}`;
}

/** Creates the `serial` of the context: a promise chain that survives failed work. */
export function createSerialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
