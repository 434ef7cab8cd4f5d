// `sluice edge --workers 2` on a real Kafka broker: one record per request across workers, summed metrics, a killed worker
// replaced, and a spool left by a worker that no longer exists replayed by a gateway with fewer workers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_ISSUER } from '@sluice/edge';
import { createKafkaClient } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId, ZONE_ID_HEADER } from '@sluice/schemas';
import { countByRayId, gatewayBurst, gatewayRequest, readDatasetRecords, runTag, waitUntil } from '../../src/index.js';
import type { GatewayReply } from '../../src/index.js';
import { startEdgeCluster } from '../../src/edge-cluster-process.js';
import type { EdgeClusterProcess } from '../../src/edge-cluster-process.js';
import { startEdgeTestbed } from '../../src/edge-testbed.js';
import type { EdgeTestbed } from '../../src/edge-testbed.js';

const tag = runTag();
const logger = createLogger({ name: 'edge-workers', level: 'warn' });
const HOST = `wiki-${tag}.example.com`;
const REQUESTS = 300;
/** A port nothing listens on: the gateway's Kafka is unreachable there. */
const NO_KAFKA = '127.0.0.1:1';

describe('the edge gateway with two workers', () => {
  let bed: EdgeTestbed;
  let edge: EdgeClusterProcess | undefined;
  const zone = deriveHexId(`zone:edge-workers-${tag}`);

  before(async () => {
    bed = await startEdgeTestbed('edge-workers');
  });

  after(async () => {
    await edge?.stop();
    await bed.dispose();
  });

  function configFile(name: string, brokers: string): string {
    const file = join(bed.dir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        admin: { host: '127.0.0.1', port: 0 },
        account_id: deriveHexId(`account:edge-workers-${tag}`),
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
        apps: [{ name: 'wiki', hostnames: [HOST], origin: bed.origin.url, zone: { id: zone, name: 'example.com' }, aud: 'wiki-aud', allow: { everyone: true } }],
        kafka: { brokers },
        spool: { dir: 'spool' },
      }),
    );
    return file;
  }

  /** `count` requests over 8 connections (so that both workers take some); every one must be answered 200. */
  async function traffic(count: number, label: string): Promise<GatewayReply[]> {
    const port = edge!.port;
    const replies = await gatewayBurst(count, 8, (i) => gatewayRequest(port, HOST, `/${label}/${i}`, { 'cf-access-jwt-assertion': bed.token }));
    assert.deepEqual(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body}`), []);
    return replies;
  }

  /** Reads http_requests of this test's zone until every RayID of `replies` is there; the counts per RayID of those. */
  async function recordsFor(replies: readonly GatewayReply[]): Promise<Map<string, number>> {
    const wanted = new Set(replies.map((r) => r.rayId));
    const reader = createKafkaClient({ brokers: [bed.kafka.brokers], clientId: `edge-workers-reader-${tag}`, logger });
    const records = await readDatasetRecords(reader, 'http_requests', {
      header: [ZONE_ID_HEADER, zone],
      until: (got) => got.filter((r) => wanted.has(String(r['RayID']))).length >= wanted.size,
      timeoutMs: 90_000,
    });
    const counts = countByRayId(records);
    return new Map([...wanted].map((ray) => [ray, counts.get(ray) ?? 0]));
  }

  const metric = async (name: RegExp): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${edge!.adminPort}/metrics`)).text();
    const match = name.exec(text);
    assert.ok(match, `${String(name)} in /metrics:\n${text}`);
    return Number(match[1]);
  };

  it('publishes exactly one http_requests record per request, and /metrics reports the totals of both workers', async () => {
    edge = await startEdgeCluster(configFile('edge', bed.kafka.brokers), 2);
    assert.ok(edge.workerPid(0) !== undefined && edge.workerPid(1) !== undefined, edge.output());
    assert.notEqual(edge.workerPid(0), edge.workerPid(1));
    const replies = await traffic(REQUESTS, 'first');
    assert.equal(new Set(replies.map((r) => r.rayId)).size, REQUESTS, 'RayIDs are unique across workers');
    const counts = await recordsFor(replies);
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'one record per RayID');
    assert.equal(await metric(/sluice_edge_requests_total\{app="wiki",action="allow"\} (\d+)/), REQUESTS);
    await waitUntil('both workers to report their records published', async () => (await metric(/sluice_edge_publisher_records\{state="published"\} (\d+)/)) >= REQUESTS + 1, 30_000);
    // The token logs in once, whichever worker saw it first: the workers share the primary's memory of tokens.
    const health = (await (await fetch(`http://127.0.0.1:${edge.adminPort}/healthz`)).json()) as { publisher: { published: number; dropped: number } };
    assert.equal(health.publisher.published, REQUESTS + 1, 'the records and one login, summed over the workers');
    assert.equal(health.publisher.dropped, 0);
  });

  it('restarts a worker killed with kill -9, and requests keep working', async () => {
    const killed = edge!.workerPid(1);
    assert.ok(killed !== undefined);
    process.kill(killed, 'SIGKILL');
    const restarted = await edge!.waitFor(/worker 1 restarted \(pid (\d+)\)/, 60_000);
    assert.notEqual(Number(restarted[1]), killed);
    assert.equal(edge!.workerPid(1), Number(restarted[1]));
    const replies = await traffic(100, 'after-kill');
    const counts = await recordsFor(replies);
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'one record per RayID after the restart');
    await edge!.stop();
    edge = undefined;
  });

  it('replays, with one worker, the spool a second worker left while Kafka was unreachable', async () => {
    // Two workers whose Kafka is unreachable: every record goes to their spools, which SIGTERM leaves on disk.
    edge = await startEdgeCluster(configFile('edge-no-kafka', NO_KAFKA), 2);
    const replies = await traffic(REQUESTS, 'spooled');
    await waitUntil('both workers to spool every record', async () => (await metric(/sluice_edge_publisher_records\{state="spooled"\} (\d+)/)) >= REQUESTS, 60_000);
    await edge.stop();
    edge = undefined;
    const orphan = join(bed.dir, 'spool', 'worker-1');
    assert.ok(readdirSync(orphan).some((name) => name.endsWith('.seg')), 'worker 1 left a spool');

    // One worker now, Kafka back: worker 0 replays its own spool and adopts worker-1's.
    edge = await startEdgeCluster(configFile('edge', bed.kafka.brokers), 1);
    const counts = await recordsFor(replies);
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'every spooled record reached Kafka once');
    await waitUntil('the adopted spool to be retired', () => !existsSync(orphan), 30_000);
    await edge.stop();
    edge = undefined;
  });

  it('stops on SIGTERM under load with exit code 0 within the grace, and every request it answered reaches Kafka once', async (t) => {
    edge = await startEdgeCluster(configFile('edge', bed.kafka.brokers), 2);
    const port = edge.port;
    const answered: GatewayReply[] = [];
    const failures = new Map<string, number>();
    // Traffic that goes on through the stop: requests in progress then finish, later ones are refused.
    const load = gatewayBurst(6_000, 16, async (i) => {
      try {
        const reply = await gatewayRequest(port, HOST, `/under-load/${i}`, { 'cf-access-jwt-assertion': bed.token });
        if (reply.status === 200) answered.push(reply);
        else failures.set(String(reply.status), (failures.get(String(reply.status)) ?? 0) + 1);
        return reply;
      } catch (error) {
        const code = String((error as { code?: string }).code ?? error);
        failures.set(code, (failures.get(code) ?? 0) + 1);
        return { status: 0, headers: {}, body: '', rayId: '' };
      }
    });
    await waitUntil('the load to be under way', () => answered.length >= 1_000, 60_000);
    const started = Date.now();
    const code = await edge.stop();
    const stopMs = Date.now() - started;
    await load;
    const output = edge.output();
    edge = undefined;
    assert.equal(code, 0, output.slice(-2_000));
    assert.ok(stopMs < 30_000, `stopped in ${stopMs} ms`);
    const spooled = /stopped; (\d+) records published, (\d+) waiting in the spool, (\d+) dropped/.exec(output);
    assert.ok(spooled, output.slice(-2_000));
    assert.equal(spooled[3], '0', 'nothing dropped');
    t.diagnostic(`${answered.length} answered 200 before and during the stop; ${spooled[2]} records left in the spool; stop took ${stopMs} ms; other outcomes: ${JSON.stringify(Object.fromEntries(failures))}`);

    // The next start replays whatever the stop spooled.
    edge = await startEdgeCluster(configFile('edge', bed.kafka.brokers), 1);
    const counts = await recordsFor(answered);
    assert.deepEqual([...counts.entries()].filter(([, n]) => n !== 1), [], 'every request answered 200 has exactly one record');
  });
});
