// `sluice edge --config FILE`: the identity-aware gateway in front of internal apps, logging every request to Kafka.
import type { Command } from 'commander';
import { EdgeConfigError, loadEdgeConfig, startEdge } from '@sluice/edge';
import { commandLogger, onShutdownSignal, parsePort, say } from '../runtime.js';

interface EdgeFlags {
  config: string;
  port?: number;
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
