// `sluice edge --config FILE`: the identity-aware gateway in front of internal apps, logging every request to Kafka.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EdgeConfigError, loadEdgeConfig, MAX_WORKERS, startEdge, startEdgeCluster } from '@sluice/edge';
import { commandLogger, onShutdownSignal, parsePort, say } from '../runtime.js';

interface EdgeFlags {
  config: string;
  port?: number;
  workers?: number;
}

function parseWorkers(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_WORKERS) throw new InvalidArgumentError(`--workers must be an integer from 1 to ${MAX_WORKERS}, got "${text}"`);
  return value;
}

export function registerEdgeCommand(program: Command): void {
  program
    .command('edge')
    .description(
      'run the edge gateway: verifies each request\'s Access JWT (Cf-Access-Jwt-Assertion header or CF_Authorization cookie), forwards it to the app ' +
        'with cf-access-user, and publishes http_requests and access_requests records to Kafka (spooled to disk while Kafka is away). ' +
        'The config format is in the README ("Edge gateway")',
    )
    .requiredOption('--config <file>', 'the gateway\'s JSON configuration')
    .option('--port <port>', 'listen on this port instead of the config\'s', parsePort('--port'))
    .option('--workers <n>', 'listener processes sharing the port, each with its own publisher and spool (default: the config\'s "workers", else the number of cores)', parseWorkers)
    .action(async (flags: EdgeFlags) => {
      let config;
      try {
        config = await loadEdgeConfig(flags.config);
      } catch (error) {
        if (error instanceof EdgeConfigError) {
          say(error.message);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
      if (flags.port !== undefined) config = { ...config, listen: { ...config.listen, port: flags.port } };
      const logger = commandLogger('edge');
      const workers = flags.workers ?? config.workers ?? availableParallelism();
      if (workers > 1) {
        const edge = await startEdgeCluster({ configFile: flags.config, config, workers, ...(flags.port !== undefined ? { port: flags.port } : {}), logger, say });
        const { address, port } = edge.address;
        say(`edge: listening on ${config.tls === undefined ? 'http' : 'https'}://${address.includes(':') ? `[${address}]` : address}:${port} with ${workers} workers for ${config.apps.map((a) => `${a.hostnames.join(', ')} → ${a.origin.origin}`).join('; ')}`);
        if (edge.admin !== undefined) say(`edge: metrics on http://${edge.admin.address.address}:${edge.admin.address.port}/metrics`);
        onShutdownSignal(async (signal) => {
          say(`edge: ${signal}: each worker finishes its requests in progress, then spools what Kafka has not acknowledged`);
          const stats = await edge.stop();
          say(`edge: stopped; ${stats?.published ?? 0} records published, ${stats?.spoolRecords ?? 0} waiting in the spool, ${stats?.dropped ?? 0} dropped`);
        });
        return;
      }
      const edge = await startEdge({ config, logger });
      const { address, port } = edge.address;
      const scheme = config.tls === undefined ? 'http' : 'https';
      say(`edge: listening on ${scheme}://${address.includes(':') ? `[${address}]` : address}:${port} for ${config.apps.map((a) => `${a.hostnames.join(', ')} → ${a.origin.origin}`).join('; ')}`);
      if (edge.admin !== undefined) say(`edge: metrics on http://${edge.admin.address.address}:${edge.admin.address.port}/metrics`);
      onShutdownSignal(async (signal) => {
        say(`edge: ${signal}: finishing requests in progress, then spooling what Kafka has not acknowledged`);
        await edge.stop();
        const stats = edge.publisher.stats();
        say(`edge: stopped; ${stats.published} records published, ${stats.spoolRecords} waiting in the spool, ${stats.dropped} dropped`);
      });
    });
}
