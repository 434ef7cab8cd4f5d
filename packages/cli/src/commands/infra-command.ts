// `sluice infra up|down|status|env`: the local Kafka broker and S3 server.
import type { Command } from 'commander';
import { formatExports, infraDown, infraStatus, infraUp, localInfraEnv } from '@sluice/infra-local';
import { say } from '../runtime.js';

export function registerInfraCommand(program: Command): void {
  const infra = program.command('infra').description('run a real Kafka broker and S3 server on this machine (no Docker)');
  infra
    .command('up')
    .description('start Kafka (127.0.0.1:9092) and S3 (127.0.0.1:9000); idempotent')
    .action(async () => {
      await infraUp({ log: say });
      say('infrastructure is up; `npx sluice infra env` prints its settings');
    });
  infra
    .command('down')
    .description('stop Kafka, S3 and (if running) ClickHouse; data is kept unless --wipe')
    .option('--wipe', 'also delete the data directories')
    .action(async (opts: { wipe?: boolean }) => {
      await infraDown({ wipe: opts.wipe === true });
      say('infrastructure is down');
    });
  infra
    .command('status')
    .description('is each component running and answering?')
    .action(async () => {
      const status = await infraStatus();
      process.stdout.write(`${JSON.stringify(status)}\n`);
    });
  infra
    .command('env')
    .description('shell exports for the running infrastructure: eval "$(npx sluice infra env)"')
    .action(() => {
      process.stdout.write(formatExports(localInfraEnv()));
    });
}
