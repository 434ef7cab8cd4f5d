// The edge gateway in a process of its own, started as `sluice edge` starts it; the bench asks it for its publisher's figures.
// Run through startServiceChild: gateway-child.js <edge-config.json> [workers]. With more than one worker this process is the
// primary, and its answers (`stats`, `cpu`, `loop`) are the workers' added up.
import { availableParallelism } from 'node:os';
import { loadEdgeConfig, startEdge, startEdgeCluster } from '@sluice/edge';
import type { RunningEdge, WorkerReport } from '@sluice/edge';
import { createLogger } from '@sluice/logging';
import { serveParent } from './service-child.js';
import type { LoopDelay } from './service-child.js';

/** What the `stats` question answers. */
export interface GatewayStats extends ReturnType<RunningEdge['publisher']['stats']> {
  /** The primary's and every worker's peak RSS added up. */
  readonly peakRssMb: number;
  readonly workers: number;
}

const configFile = process.argv[2] ?? '';
const workers = Number(process.argv[3] ?? availableParallelism());
const config = await loadEdgeConfig(configFile);
// Warnings and up: the outage the bench causes on purpose is logged once when it starts, once when it ends.
const logger = createLogger({ name: 'bench-gateway', level: 'warn' });
const ownRssMb = (): number => process.resourceUsage().maxRSS / 1024;

if (workers <= 1) {
  const edge = await startEdge({ config, logger });
  serveParent(
    { port: edge.address.port },
    {
      stats: (): GatewayStats => ({ ...edge.publisher.stats(), peakRssMb: ownRssMb(), workers: 1 }),
      drained: (args) => edge.publisher.drained(Number(args['timeoutMs'])),
    },
    () => edge.stop(),
  );
} else {
  const edge = await startEdgeCluster({ configFile, config, workers, logger, monitorLoop: true });
  const reports = async (): Promise<WorkerReport[]> => {
    const all = await edge.reports();
    if (all.length !== workers) throw new Error(`${all.length} of ${workers} gateway workers answered`);
    return all;
  };
  serveParent(
    { port: edge.address.port },
    {
      stats: async (): Promise<GatewayStats> => {
        const all = await reports();
        const stats = await edge.stats();
        if (stats === undefined) throw new Error('no gateway worker answered');
        return { ...stats, peakRssMb: ownRssMb() + all.reduce((sum, r) => sum + r.peakRssMb, 0), workers };
      },
      drained: (args) => edge.drained(Number(args['timeoutMs'])),
      // The whole gateway's CPU: the primary's (the cluster's connection hand-out) and every worker's, publisher threads included.
      cpu: async (): Promise<NodeJS.CpuUsage> => {
        const own = process.cpuUsage();
        return (await reports()).reduce((sum, r) => ({ user: sum.user + r.cpu.user, system: sum.system + r.cpu.system }), own);
      },
      // The worst worker's event loop: a request waits on the loop of the worker that took its connection.
      loop: async (): Promise<LoopDelay> => {
        const loops = (await reports()).map((r) => r.loop ?? { p99Ms: Number.NaN, maxMs: Number.NaN });
        return { p99Ms: Math.max(...loops.map((l) => l.p99Ms)), maxMs: Math.max(...loops.map((l) => l.maxMs)) };
      },
    },
    async () => {
      await edge.stop();
    },
  );
}
