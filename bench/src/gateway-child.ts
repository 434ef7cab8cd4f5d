// The edge gateway in a process of its own, started as `sluice edge` starts it; the bench asks it for its publisher's figures.
// Run through startServiceChild: gateway-child.js <edge-config.json>
import { loadEdgeConfig, startEdge } from '@sluice/edge';
import type { RunningEdge } from '@sluice/edge';
import { createLogger } from '@sluice/logging';
import { serveParent } from './service-child.js';

/** What the `stats` question answers. */
export interface GatewayStats extends ReturnType<RunningEdge['publisher']['stats']> {
  readonly peakRssMb: number;
}

const config = await loadEdgeConfig(process.argv[2] ?? '');
// Warnings and up: the outage the bench causes on purpose is logged once when it starts, once when it ends.
const edge = await startEdge({ config, logger: createLogger({ name: 'bench-gateway', level: 'warn' }) });
serveParent(
  { port: edge.address.port },
  {
    stats: (): GatewayStats => ({ ...edge.publisher.stats(), peakRssMb: process.resourceUsage().maxRSS / 1024 }),
    drained: (args) => edge.publisher.drained(Number(args['timeoutMs'])),
  },
  () => edge.stop(),
);
