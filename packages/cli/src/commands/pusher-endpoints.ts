// What `sluice pusher` serves over HTTP: job statuses on --status-port, metrics and probes on --metrics-port.
import type { Kafka } from 'kafkajs';
import { createKafkaLagReader } from '@sluice/kafka';
import { createPusherMetrics, createPusherProbes, jobGroupId, startStatusServer } from '@sluice/pusher';
import type { Pusher, PusherEvent, StatusServer, ThreadInfo } from '@sluice/pusher';
import type { Logger } from '@sluice/logging';
import { say } from '../runtime.js';

export interface PusherEndpointFlags {
  statusPort?: number;
  metricsPort?: number;
  metricsHost?: string;
}

export interface PusherEndpoints {
  /** Every pusher event goes here (delivery latency is observed from them). */
  observe(event: PusherEvent): void;
  /** Starts the servers the flags ask for, before the pusher starts: probes answer while it does. */
  serve(pusher: Pusher, threads: (() => ThreadInfo[]) | undefined): Promise<void>;
  /** The pusher started (true) or is stopping (false): what /readyz reports. */
  running(value: boolean): void;
  close(): Promise<void>;
}

export function pusherEndpoints(flags: PusherEndpointFlags, kafka: () => Kafka, logger: Logger): PusherEndpoints {
  const wanted = flags.statusPort !== undefined || flags.metricsPort !== undefined;
  let observe: (event: PusherEvent) => void = () => undefined;
  let isRunning = false;
  const servers: StatusServer[] = [];
  const lag = wanted ? createKafkaLagReader(kafka()) : undefined;
  return {
    observe: (event) => observe(event),
    running: (value) => void (isRunning = value),
    async serve(pusher, threads) {
      if (!lag) return;
      const metrics = createPusherMetrics({
        statuses: () => pusher.statuses(),
        lag,
        groupOf: jobGroupId,
        threads: () => (threads ? threads().filter((t) => t.state === 'running').length : 1),
        logger,
      });
      observe = (event) => metrics.observe(event);
      const probes = createPusherProbes({ running: () => isRunning, kafkaPing: () => lag.ping(), ...(threads ? { threads } : {}) });
      const statuses = () => pusher.statuses();
      if (flags.statusPort !== undefined) {
        const server = await startStatusServer({ port: flags.statusPort, statuses, metrics: metrics.registry, probes });
        servers.push(server);
        say(`pusher: job status at ${server.url}/status`);
      }
      if (flags.metricsPort !== undefined) {
        // Beyond loopback this port carries no job statuses: their error messages are for operators, not scrapers.
        const server = await startStatusServer({ port: flags.metricsPort, host: flags.metricsHost ?? '127.0.0.1', statuses, metrics: metrics.registry, probes, paths: ['/metrics', '/healthz', '/readyz'] });
        servers.push(server);
        say(`pusher: metrics at ${server.url}/metrics, probes at /healthz and /readyz`);
      }
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await lag?.close();
    },
  };
}
