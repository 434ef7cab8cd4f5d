// `sluice demo` (npm start): local Kafka and S3, a small app behind the edge gateway, real identities browsing it, and the example jobs pushing their logs to S3.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { defaultDestinations } from '@sluice/destinations';
import { loadEdgeConfig, loadOrCreateDevSigningKey, startDemoOrigin, startEdge } from '@sluice/edge';
import type { EdgeConfig, RunningEdge } from '@sluice/edge';
import { infraUp } from '@sluice/infra-local';
import type { InfraEnv } from '@sluice/infra-local';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import { createPusher, loadJobsFile } from '@sluice/pusher';
import { createLogger } from '@sluice/logging';
import type { Logger } from '@sluice/logging';
import { s3ClientFor } from '../local-s3.js';
import { kafkaFromEnv, onShutdownSignal, parsePositiveNumber, say } from '../runtime.js';
import { startDemoApi } from '../demo/demo-api.js';
import { seedJobStore } from '../demo/demo-jobs.js';
import { runDemoTraffic } from '../demo/demo-traffic.js';
import type { DemoTrafficCounts } from '../demo/demo-traffic.js';

export const EXAMPLE_JOBS_FILE = fileURLToPath(new URL('../../../../../examples/jobs.local.json', import.meta.url));
export const EXAMPLE_EDGE_FILE = fileURLToPath(new URL('../../../../../examples/edge.local.json', import.meta.url));
/** Where examples/edge.local.json looks for the development JWKS (`../.sluice/dev-jwks.json`). */
const DEV_JWKS_FILE = join(dirname(EXAMPLE_EDGE_FILE), '..', '.sluice', 'dev-jwks.json');
export const DEMO_BUCKET = 'sluice-demo';

async function createBucket(env: InfraEnv): Promise<void> {
  const client = s3ClientFor(env);
  try {
    await client.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  } finally {
    client.destroy();
  }
}

/** The example's ports, or free ones when something else holds them (a second demo, another server). */
async function startDemoEdge(config: EdgeConfig, logger: Logger): Promise<RunningEdge> {
  try {
    return await startEdge({ config, logger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    say(`sluice demo: port ${config.listen.port} or ${config.admin?.port ?? '-'} is taken; using free ports instead`);
    return startEdge({ config: { ...config, listen: { ...config.listen, port: 0 }, ...(config.admin ? { admin: { ...config.admin, port: 0 } } : {}) }, logger });
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the end-to-end demo behind `npm start`')
    .option('--rate <r>', 'requests per second through the gateway', parsePositiveNumber('--rate'), 50)
    .option('--jobs <file>', 'jobs file', EXAMPLE_JOBS_FILE)
    .option('--edge <file>', 'edge gateway config', EXAMPLE_EDGE_FILE)
    .action(async (flags: { rate: number; jobs: string; edge: string }) => {
      say('sluice demo: starting local Kafka and S3 (the first run downloads them from Maven Central)…');
      const env = await infraUp({ log: (line) => say(`  ${line}`) });
      await createBucket(env);
      process.env['KAFKA_BROKERS'] ??= env.KAFKA_BROKERS;
      // The demo prints its own progress; only warnings and errors go to the JSON log.
      const logger = createLogger({ name: 'demo', level: process.env['SLUICE_LOG_LEVEL'] === undefined ? 'warn' : undefined });

      // The identity provider stand-in: the same key `npx sluice token` signs with, so your own tokens work too.
      const key = await loadOrCreateDevSigningKey();
      mkdirSync(dirname(DEV_JWKS_FILE), { recursive: true });
      writeFileSync(DEV_JWKS_FILE, `${JSON.stringify(key.jwks(), null, 2)}\n`);
      const origin = await startDemoOrigin();
      const example = await loadEdgeConfig(flags.edge);
      const app = example.apps[0];
      if (app === undefined) throw new Error(`${flags.edge} names no app`);
      const config: EdgeConfig = { ...example, kafkaBrokers: process.env['KAFKA_BROKERS'], apps: [{ ...app, origin: new URL(origin.url) }, ...example.apps.slice(1)] };
      const edge = await startDemoEdge(config, logger.child({ component: 'edge' }));
      const host = app.hostnames[0] ?? '';

      const { jobs } = await loadJobsFile(flags.jobs, defaultDestinations);
      // The pusher follows a job store, as behind `sluice api`, so that jobs disabled in the dashboard stop.
      const store = createMemoryJobStore();
      const health = createMemoryHealthStore();
      await seedJobStore(store, flags.jobs);
      const kafka = kafkaFromEnv(logger, 'sluice-demo');
      let stored = 0;
      let storedRecords = 0;
      let firstObject = true;
      const pusher = createPusher({
        store,
        health,
        kafka,
        destinations: defaultDestinations,
        logger,
        onEvent: (event) => {
          if (event.type !== 'batch-delivered') return;
          stored++;
          storedRecords += event.records;
          say(`  stored ${event.records} records → ${event.location}`);
          if (firstObject) {
            firstObject = false;
            say(`  read it: npx sluice cat ${event.location} | head -3`);
          }
        },
      });
      await pusher.start();
      const dashboard = await startDemoApi({ kafka, store, health, logger: logger.child({ component: 'api' }) });
      const gateway = `http://127.0.0.1:${edge.address.port}`;
      say(`sluice demo: the wiki app (${origin.url}) is behind the edge gateway at ${gateway} as ${host}`);
      say(`sluice demo: alice, bob and carol browse it at ${flags.rate} requests/s; an outsider and forged tokens are turned away`);
      say(`sluice demo: jobs ${jobs.map((j) => `${j.id} "${j.name}"`).join(', ')} push every request (with cf-access-user) and every login to s3://${DEMO_BUCKET}/ about every 30 s`);
      say(`  try it: curl -H "Host: ${host}" -H "Cf-Access-Jwt-Assertion: $(npx sluice token --email you@a.example --aud ${app.aud})" ${gateway}/`);
      if (edge.admin !== undefined) say(`  metrics: curl http://127.0.0.1:${edge.admin.address.port}/metrics`);
      say(`sluice demo: the dashboard is at ${dashboard.dashboardUrl}: sign in with the token ${dashboard.token}`);
      say(`  (account ${config.accountId}, zone ${app.zone.id}; the token lasts as long as this demo)`);
      say('sluice demo: Ctrl-C stops everything cleanly');

      const abort = new AbortController();
      const counts: DemoTrafficCounts = { sent: 0, byStatus: new Map() };
      const progress = setInterval(() => {
        const s = edge.publisher.stats();
        const statuses = [...counts.byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${n}×${status}`).join(' ');
        say(`sluice demo: ${counts.sent} requests (${statuses}); ${s.published} records in Kafka${s.spoolRecords > 0 ? `, ${s.spoolRecords} spooled` : ''}; ${stored} batches stored (${storedRecords} records)`);
      }, 10_000);
      const traffic = runDemoTraffic({ key, gatewayPort: edge.address.port, host, audience: app.aud, ratePerSecond: flags.rate, signal: abort.signal }, counts);
      onShutdownSignal(async () => {
        say('\nsluice demo: stopping: traffic, then the gateway (publishing what it logged), then the pusher delivers its open batches');
        abort.abort();
        await traffic.catch(() => undefined);
        await edge.stop();
        await origin.close();
        await dashboard.close();
        await pusher.stop();
      });
      await traffic;
      await pusher.stopped;
      clearInterval(progress);
      say(`sluice demo: stopped after ${counts.sent} requests and ${stored} batches stored; \`npm run infra:down\` stops Kafka and S3`);
    });
}
