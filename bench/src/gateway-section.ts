// The gateway section of `npm run bench`: the demo origin direct, through a bare Node.js proxy (the ceiling) and through the edge
// gateway, with its Kafka up and down, then the spool's drain.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevSigningKey } from '@sluice/edge';
import { startScratchKafka } from '@sluice/infra-local';
import { createKafkaClient, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { topicFor } from '@sluice/schemas';
import { runChild } from './child-process.js';
import type { GatewayStats } from './gateway-child.js';
import { GATEWAY_AUD, GATEWAY_HOST, GATEWAY_USER, gatewayConfig } from './gateway-config.js';
import type { LoadRun, LoadSpec } from './load-run.js';
import { measureFlood } from './gateway-hostile.js';
import type { FloodFigures, SyncFigures } from './gateway-hostile.js';
import { startServiceChild } from './service-child.js';
import type { LoopDelay } from './service-child.js';

export interface GatewaySectionOptions {
  /** Length of each measured run, seconds. */
  readonly seconds: number;
  /** Warm-up before each measured run, seconds. */
  readonly warmupSeconds: number;
  readonly say: (line: string) => void;
  /** The gateway's listener processes (`sluice edge --workers`); default: SLUICE_BENCH_GATEWAY_WORKERS, else the cores. */
  readonly workers?: number;
}

/** A load run, and the CPU its target's process (the origin direct, the bare proxy, else the gateway) spent on it, per request answered. */
export interface MeasuredRun extends LoadRun {
  readonly cpuUsPerRequest: number;
  /** The target's event loop delays over the measured run: stalls inside the process, as against waits for a core. */
  readonly loopDelay: LoopDelay;
}

/** Saturation and a paced moderate load, on one target. */
export interface TargetRuns {
  readonly saturated: MeasuredRun;
  readonly paced: MeasuredRun;
}

export interface GatewayFigures {
  /** The gateway's listener processes in every run through it. */
  readonly workers: number;
  /** Connections of the saturation runs. */
  readonly saturatedConnections: number;
  /** Connections of the paced runs. */
  readonly pacedConnections: number;
  /** The paced runs' rate, requests/s: PACED_SHARE of the lower saturated rate, the origin's direct or the gateway's with Kafka up. */
  readonly pacedRate: number;
  readonly direct: TargetRuns;
  /** The origin through a bare node:http reverse proxy (proxy-child.ts): the ceiling of any Node.js proxy on this machine. */
  readonly bareProxy: TargetRuns;
  readonly kafkaUp: TargetRuns & { readonly stats: GatewayStats };
  /** `stats` as the second run with Kafka stopped ended: before the broker is back. */
  readonly kafkaDown: TargetRuns & { readonly stats: GatewayStats };
  readonly drain: {
    /** The publisher reported every record acknowledged before DRAIN_TIMEOUT_MS. */
    readonly drained: boolean;
    /** From the restart to the broker answering, seconds. */
    readonly brokerStartSeconds: number;
    /** From the broker answering to the publisher drained (what the spool held then), seconds. */
    readonly drainSeconds: number;
    /** A paced run begun as the broker answered, at the paced rate (its warm-up is 1 s): latencies while the spool replays. */
    readonly paced: MeasuredRun;
    /** From the broker answering to the paced run's end, seconds: compare with drainSeconds for the overlap. */
    readonly pacedSeconds: number;
    readonly stats: GatewayStats;
  };
  /** Records in sluice.http_requests on the scratch broker (it holds this section's records only). */
  readonly topicRecords: number;
  /** Requests the gateway answered in every run through it (warm-ups and probes included). */
  readonly answered: number;
  /** Requests through the gateway that got no answer (connection errors, timeouts). */
  readonly unanswered: number;
  readonly seconds: number;
  /** The issue's flood beside real users, after the drain (its records are not in `topicRecords`). */
  readonly flood: FloodFigures;
  /** A second gateway with `durability: "sync"`, on the same broker and origin. */
  readonly sync: SyncFigures;
  /** One-minute load averages as the section began and ended, and the cores: on a shared machine, what else ran. */
  readonly load: { readonly start: number; readonly end: number; readonly cores: number };
}

export const SATURATED_CONNECTIONS = 50;
export const PACED_CONNECTIONS = 10;
/** The paced runs go at this share of the lower saturated rate (direct, or through the gateway with Kafka up): busy, with room to spare. */
export const PACED_SHARE = 0.35;
/** The demo origin's page: a small HTML page. */
export const PAGE_BYTES = 2048;
/**
 * Warm-up of the first run through the gateway, seconds: the gateway's and the scratch broker's JITs
 * start cold, and over a 3 s warm-up the run that follows still pays for it (measured: about a third
 * more gateway CPU per request, and twice the broker's, than in the runs after it).
 */
const PRIMING_SECONDS = 10;
/** Time allowed for the spool to drain once the broker is back: generous, since it is reported, never asserted. */
const DRAIN_TIMEOUT_MS = 120_000;

export async function measureGatewaySection(options: GatewaySectionOptions): Promise<GatewayFigures> {
  const { say } = options;
  const workers = options.workers ?? Number(process.env['SLUICE_BENCH_GATEWAY_WORKERS'] ?? availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`SLUICE_BENCH_GATEWAY_WORKERS must be a whole number of at least 1, got ${JSON.stringify(process.env['SLUICE_BENCH_GATEWAY_WORKERS'])}`);
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-gateway-'));
  // Undone in reverse order, whatever happens: a failed run must not leave a broker or a child behind.
  const undo: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  // The scratch broker runs detached and is killed by an `exit` handler, which Ctrl-C would skip: exit instead.
  const interrupted = (): never => process.exit(130);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    say(`bench: gateway: ${workers} gateway worker${workers === 1 ? '' : 's'} (SLUICE_BENCH_GATEWAY_WORKERS)`);
    say('bench: gateway: a scratch Kafka broker for the gateway (stopped and restarted later; the shared broker is not touched)…');
    const kafka = await startScratchKafka({ dir: join(dir, 'kafka'), log: (line) => say(`  ${line}`) });
    undo.push(() => kafka.dispose());
    const origin = await startServiceChild<{ url: string }>('./origin-child.js', [String(PAGE_BYTES)], 'origin');
    undo.push(() => origin.stop());
    const proxy = await startServiceChild<{ url: string }>('./proxy-child.js', [origin.ready.url], 'proxy');
    undo.push(() => proxy.stop());

    const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
    await writeFile(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
    const configFile = join(dir, 'edge.json');
    await writeFile(configFile, JSON.stringify(gatewayConfig(origin.ready.url, kafka.brokers)));
    const gateway = await startServiceChild<{ port: number }>('./gateway-child.js', [configFile, String(workers)], 'gateway');
    undo.push(() => gateway.stop());
    const gatewayUrl = `http://127.0.0.1:${gateway.ready.port}/`;
    // Valid for longer than the section runs: every request is verified, and the verifier's cache is warm, as with a user's real session.
    const token = await key.mint({ email: GATEWAY_USER, audience: GATEWAY_AUD, ttlSeconds: 3_600 });
    const headers = { host: GATEWAY_HOST, 'cf-access-jwt-assertion': token };

    let answered = 0;
    let unanswered = 0;
    const load = async (what: string, url: string, rate?: number, warmupSeconds = options.warmupSeconds): Promise<MeasuredRun> => {
      const connections = rate === undefined ? SATURATED_CONNECTIONS : PACED_CONNECTIONS;
      say(`bench: gateway: ${what}, ${rate === undefined ? `saturated, ${connections} connections` : `paced at ${rate} requests/s, ${connections} connections`}…`);
      const spec: LoadSpec = { url, headers, connections, warmupSeconds, seconds: options.seconds, ...(rate !== undefined ? { rate } : {}) };
      // CPU time of the measured run, not of its warm-up: unlike a rate, it holds however busy the 2 shared cores are.
      const target = url === gatewayUrl ? gateway : url === proxy.ready.url ? proxy : origin;
      let cpuBefore: NodeJS.CpuUsage | undefined;
      const loadRun = await runChild<LoadRun>('./load-child.js', [JSON.stringify(spec)], async () => {
        cpuBefore = await target.ask<NodeJS.CpuUsage>('cpu');
        await target.ask<LoopDelay>('loop');
      });
      const loopDelay = await target.ask<LoopDelay>('loop');
      const cpuAfter = await target.ask<NodeJS.CpuUsage>('cpu');
      const cpuUs = cpuBefore === undefined ? Number.NaN : cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system;
      const run = { ...loadRun, cpuUsPerRequest: cpuUs / loadRun.responses, loopDelay };
      if (run.non2xx > 0) throw new Error(`${what}: ${run.non2xx} of ${run.answered} answers were not 2xx (the gateway refusing the bench's token or Host, or a proxy that could not reach the origin)`);
      // Only the gateway publishes records: the bare proxy's requests have none to be checked against.
      if (url === gatewayUrl) {
        answered += run.answered;
        unanswered += run.errors;
      }
      return run;
    };

    const directSaturated = await load('the origin direct', origin.ready.url);
    const proxySaturated = await load('through a bare Node.js proxy', proxy.ready.url);
    const upSaturated = await load('through the gateway, Kafka up', gatewayUrl, undefined, Math.max(options.warmupSeconds, PRIMING_SECONDS));
    // Moderate for both targets: the gateway saturates far below the bare origin, and a share of the origin's rate could saturate it.
    const pacedRate = Math.max(PACED_CONNECTIONS, Math.round(Math.min(directSaturated.requestsPerSecond, upSaturated.requestsPerSecond) * PACED_SHARE));
    const direct = { saturated: directSaturated, paced: await load('the origin direct', origin.ready.url, pacedRate) };
    const bareProxy = { saturated: proxySaturated, paced: await load('through a bare Node.js proxy', proxy.ready.url, pacedRate) };
    const up = { saturated: upSaturated, paced: await load('through the gateway, Kafka up', gatewayUrl, pacedRate) };
    // The outage starts from a clean state: whatever the runs above published is in Kafka.
    await gateway.ask<boolean>('drained', { timeoutMs: 30_000 });
    const upStats = await gateway.ask<GatewayStats>('stats');

    say('bench: gateway: stopping its Kafka broker…');
    await kafka.stop();
    const down = { saturated: await load('through the gateway, Kafka down', gatewayUrl), paced: await load('through the gateway, Kafka down', gatewayUrl, pacedRate) };
    const downStats = await gateway.ask<GatewayStats>('stats');

    say('bench: gateway: restarting its Kafka broker; a paced load while the spool drains…');
    const restartAt = performance.now();
    await kafka.start();
    const brokerBackAt = performance.now();
    // Replaying the spool is the publisher's heaviest work: requests arriving meanwhile must not wait for it.
    let drainedAt = Number.NaN;
    const [duringDrain, drained] = await Promise.all([
      load('through the gateway while its spool drains', gatewayUrl, pacedRate, 0),
      gateway.ask<boolean>('drained', { timeoutMs: DRAIN_TIMEOUT_MS }).then((done) => {
        drainedAt = performance.now();
        return done;
      }),
    ]);
    const pacedEndedAt = performance.now();
    // Records of the paced run itself queued behind the spool: they are in Kafka before the count.
    const drainedAll = drained && (await gateway.ask<boolean>('drained', { timeoutMs: DRAIN_TIMEOUT_MS }));
    const drainStats = await gateway.ask<GatewayStats>('stats');
    const topicRecords = await countRecords(kafka.brokers, topicFor('http_requests'));
    const answeredBefore = { answered, unanswered };

    say('bench: gateway: the flood: refused requests with 15 KB URLs, beside real users paced…');
    const flood = await measureFlood({ gatewayUrl, headers, pacedRate, pacedConnections: PACED_CONNECTIONS, seconds: options.seconds, stats: () => gateway.ask<GatewayStats>('stats') });
    await gateway.stop();

    say('bench: gateway: a second gateway with durability "sync"…');
    const syncFile = join(dir, 'edge-sync.json');
    await writeFile(syncFile, JSON.stringify({ ...gatewayConfig(origin.ready.url, kafka.brokers), durability: 'sync', spool: { dir: 'spool-sync' } }));
    const syncGateway = await startServiceChild<{ port: number }>('./gateway-child.js', [syncFile, String(workers)], 'gateway-sync');
    undo.push(() => syncGateway.stop());
    const syncUrl = `http://127.0.0.1:${syncGateway.ready.port}/`;
    const sync: SyncFigures = {
      saturated: await load('through the gateway, durability sync', syncUrl, undefined, Math.max(options.warmupSeconds, PRIMING_SECONDS)),
      paced: await load('through the gateway, durability sync', syncUrl, pacedRate),
      stats: await syncGateway.ask<GatewayStats>('stats'),
    };

    return {
      workers,
      saturatedConnections: SATURATED_CONNECTIONS,
      pacedConnections: PACED_CONNECTIONS,
      pacedRate,
      direct,
      bareProxy,
      kafkaUp: { ...up, stats: upStats },
      kafkaDown: { ...down, stats: downStats },
      drain: {
        drained: drainedAll,
        brokerStartSeconds: (brokerBackAt - restartAt) / 1000,
        drainSeconds: (drainedAt - brokerBackAt) / 1000,
        paced: duringDrain,
        pacedSeconds: (pacedEndedAt - brokerBackAt) / 1000,
        stats: drainStats,
      },
      topicRecords,
      ...answeredBefore,
      flood,
      sync,
      seconds: (performance.now() - started) / 1000,
      load: { start: loadAtStart, end: loadavg()[0] ?? 0, cores: availableParallelism() },
    };
  } finally {
    for (const step of undo.reverse()) await step().catch((error: unknown) => say(`bench: gateway: cleaning up failed: ${String(error)}`));
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** Records in every partition of `topic`: high watermark minus low, so a topic trimmed by retention still counts right. */
async function countRecords(brokers: string, topic: string): Promise<number> {
  const client = createKafkaClient({ brokers: parseBrokers(brokers), clientId: 'bench-gateway-count', logger: createLogger({ name: 'bench-gateway', level: 'warn' }) });
  const admin = client.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
