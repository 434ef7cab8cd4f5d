// What the gateway's primary and its workers say to each other over the cluster's IPC channel.
import type { PublisherStats } from '../publish/publisher-stats.js';

/** How the primary starts a worker: in its environment, as JSON. */
export const WORKER_ENV = 'SLUICE_EDGE_WORKER';

export interface WorkerSetup {
  readonly index: number;
  readonly count: number;
  readonly configFile: string;
  /** `--port`, overriding the config's. */
  readonly port?: number;
  /** The primary logger's level, for the worker's. */
  readonly logLevel?: string;
  /** Report event loop delays in `report` (the bench asks for them; they cost a timer). */
  readonly monitorLoop?: boolean;
}

/** A worker's figures, as the primary adds them up. */
export interface WorkerReport {
  readonly index: number;
  readonly pid: number;
  readonly stats: PublisherStats;
  /** process.cpuUsage() of the worker, µs (its publisher thread included). */
  readonly cpu: { readonly user: number; readonly system: number };
  readonly peakRssMb: number;
  /** Event loop delay p99 and max since the last report, ms; only when `monitorLoop` is set. */
  readonly loop?: { readonly p99Ms: number; readonly maxMs: number };
}

export type Question = 'metrics' | 'report' | 'drained';

export type ToWorker =
  | { readonly sluice: 'edge'; readonly type: 'ask'; readonly id: number; readonly question: Question; readonly timeoutMs?: number }
  | { readonly sluice: 'edge'; readonly type: 'login'; readonly id: number; readonly first: boolean }
  | { readonly sluice: 'edge'; readonly type: 'stop' };

export type FromWorker =
  | { readonly sluice: 'edge'; readonly type: 'ready'; readonly index: number; readonly address: string; readonly port: number }
  | { readonly sluice: 'edge'; readonly type: 'failed'; readonly index: number; readonly code: string; readonly message: string }
  | { readonly sluice: 'edge'; readonly type: 'answer'; readonly id: number; readonly value?: unknown; readonly error?: string }
  | { readonly sluice: 'edge'; readonly type: 'login?'; readonly id: number; readonly tokenId: string; readonly expiresAtMs: number }
  | { readonly sluice: 'edge'; readonly type: 'stopped'; readonly index: number; readonly stats: PublisherStats };

export function isFromWorker(message: unknown): message is FromWorker {
  return typeof message === 'object' && message !== null && (message as { sluice?: unknown }).sluice === 'edge';
}

export function isToWorker(message: unknown): message is ToWorker {
  return typeof message === 'object' && message !== null && (message as { sluice?: unknown }).sluice === 'edge';
}
