// The gateway section's hostile runs: the flood (refused requests with 15 KB URLs) beside real users, and `durability: "sync"`.
import type { GatewayStats } from './gateway-child.js';
import type { MeasuredRun } from './gateway-section.js';
import type { LoadRun, LoadSpec } from './load-run.js';
import { runChild } from './child-process.js';

/** A paced run of real users while the flood saturates the gateway, and what the publisher did meanwhile. */
export interface FloodFigures {
  /** The real users' paced run (their token, their page). */
  readonly users: LoadRun;
  /** The flood: unauthenticated requests with a 15 KB URL, each answered 401. */
  readonly flood: LoadRun;
  /** Records acknowledged by Kafka per second over the flood, and what the publisher holds after it. */
  readonly recordsPerSecond: number;
  readonly seconds: number;
  readonly after: GatewayStats;
}

export interface SyncFigures {
  readonly saturated: MeasuredRun;
  readonly paced: MeasuredRun;
  readonly stats: GatewayStats;
}

/** Connections of the flood: as many as the saturated runs, all refused. */
export const FLOOD_CONNECTIONS = 50;
/** The URL: 15 KB, so that records of a few dozen requests make a 1 MB send. */
export const FLOOD_URL_BYTES = 15_000;

export interface FloodOptions {
  readonly gatewayUrl: string;
  /** The real users' Host and token. */
  readonly headers: Readonly<Record<string, string>>;
  readonly pacedRate: number;
  readonly pacedConnections: number;
  readonly seconds: number;
  readonly stats: () => Promise<GatewayStats>;
}

export async function measureFlood(options: FloodOptions): Promise<FloodFigures> {
  const before = await options.stats();
  const started = performance.now();
  const floodSpec: LoadSpec = { url: `${options.gatewayUrl}${'a'.repeat(FLOOD_URL_BYTES)}`, headers: { host: options.headers['host'] ?? '' }, connections: FLOOD_CONNECTIONS, warmupSeconds: 0, seconds: options.seconds };
  const usersSpec: LoadSpec = { url: options.gatewayUrl, headers: options.headers, connections: options.pacedConnections, rate: options.pacedRate, warmupSeconds: 1, seconds: options.seconds };
  const [flood, users] = await Promise.all([runChild<LoadRun>('./load-child.js', [JSON.stringify(floodSpec)]), runChild<LoadRun>('./load-child.js', [JSON.stringify(usersSpec)])]);
  const seconds = (performance.now() - started) / 1000;
  const after = await options.stats();
  return { users, flood, seconds, recordsPerSecond: (after.published - before.published) / seconds, after };
}

export function floodRow(f: FloodFigures, directP99Ms: number): [string, string] {
  return [
    'gateway under a flood',
    `${Math.round(f.flood.answered / f.seconds)} refused requests/s with ${FLOOD_URL_BYTES / 1000} KB URLs over ${FLOOD_CONNECTIONS} connections, beside real users paced at ${Math.round(f.users.requestsPerSecond)}/s: ` +
      `their p50 ${f.users.p50Ms.toFixed(2)} ms, p99 ${f.users.p99Ms.toFixed(2)} ms (+${(f.users.p99Ms - directP99Ms).toFixed(2)} ms over direct), ${f.users.non2xx + f.users.errors} failed; ` +
      `${Math.round(f.recordsPerSecond)} records/s into Kafka; after it ${f.after.spoolRecords} on disk, ${f.after.dropped} dropped, ${f.after.quarantined ?? 0} quarantined, ${f.after.truncated ?? 0} truncated`,
  ];
}

export function syncRow(s: SyncFigures, up: { readonly saturated: LoadRun; readonly paced: LoadRun }): [string, string] {
  return [
    'gateway, durability sync',
    `${Math.round(s.saturated.requestsPerSecond)} req/s saturated (${(s.saturated.requestsPerSecond / up.saturated.requestsPerSecond).toFixed(2)} of async); paced p50 ${s.paced.p50Ms.toFixed(2)} ms, p99 ${s.paced.p99Ms.toFixed(2)} ms ` +
      `(async: ${up.paced.p50Ms.toFixed(2)} / ${up.paced.p99Ms.toFixed(2)} ms); ${s.stats.published} published, ${s.stats.dropped} dropped`,
  ];
}
