// What the main thread and its pusher threads say to each other: plain data, cloned by postMessage.
import type { KafkaSecuritySettings } from '@sluice/kafka';
import type { DeliveryKnobs } from '../pusher.js';
import type { JobStatus } from '../job-status.js';
import type { PusherEvent } from '../pusher-events.js';

/** Where a thread's jobs come from: the jobs file (read again by each thread), or the job store followed live. */
export type ThreadJobs = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'store'; readonly minUploadIntervalSeconds?: number };

/**
 * Which destinations a thread may build: every kind as configured (a jobs file is the operator's own), or
 * (store mode, jobs written by API callers) guarded to public addresses plus `allowHosts`, checked at connect.
 */
export type ThreadDestinations = { readonly kind: 'default' } | { readonly kind: 'guarded'; readonly allowHosts: string };

/** Everything a pusher thread needs to build its own Kafka client, destinations and pusher. */
export interface PusherThreadSettings {
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId: string; readonly security: KafkaSecuritySettings };
  readonly jobs: ThreadJobs;
  readonly destinations: ThreadDestinations;
  /** The main logger's level, for each thread's. */
  readonly logLevel?: string;
  readonly exitWhenIdleSeconds?: number;
  readonly stopDeadlineMs?: number;
  /** Plain numbers and a retry policy: cloneable. */
  readonly delivery?: DeliveryKnobs;
  readonly reconcileMs?: number;
}

/** One thread's start: the shared settings, its place and its share of the memory budget. */
export interface PusherThreadSetup {
  readonly index: number;
  /** How many threads the pusher runs: each job's first reading generation waits for all of them. */
  readonly threads: number;
  /** `<host>-<pid>-t<index>`. */
  readonly workerId: string;
  readonly settings: PusherThreadSettings;
  readonly memoryBudgetBytes?: number;
  /** The cap of this thread's V8 old generation, MB (worker-thread-factory.ts). */
  readonly heapLimitMb?: number;
  /** How often the thread reports its statuses, ms. */
  readonly statusIntervalMs: number;
}

export type ToThread = { readonly sluice: 'pusher-thread'; readonly type: 'stop' };

export type FromThread =
  | { readonly sluice: 'pusher-thread'; readonly type: 'ready' }
  | { readonly sluice: 'pusher-thread'; readonly type: 'failed'; readonly code: string; readonly message: string }
  | { readonly sluice: 'pusher-thread'; readonly type: 'status'; readonly statuses: JobStatus[] }
  | { readonly sluice: 'pusher-thread'; readonly type: 'event'; readonly event: PusherEvent }
  /** The thread's pusher has stopped (delivered or abandoned its open batches); its final statuses. */
  | { readonly sluice: 'pusher-thread'; readonly type: 'stopped'; readonly statuses: JobStatus[] };

export function isFromThread(message: unknown): message is FromThread {
  return typeof message === 'object' && message !== null && (message as { sluice?: unknown }).sluice === 'pusher-thread';
}

export function isToThread(message: unknown): message is ToThread {
  return typeof message === 'object' && message !== null && (message as { sluice?: unknown }).sluice === 'pusher-thread';
}
