// kill -9 of a real `sluice edge` process during traffic, then a restart: answered requests against records in Kafka, per durability mode.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_ISSUER } from '@sluice/edge';
import { createKafkaClient, endOffsets } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId, topicFor, ZONE_ID_HEADER } from '@sluice/schemas';
import { countByRayId, gatewayRequest, readDatasetRecords, runTag, waitUntil } from '../../src/index.js';
import { startEdgeTestbed } from '../../src/edge-testbed.js';
import type { EdgeTestbed } from '../../src/edge-testbed.js';
import { startKillableEdge } from '../../src/killable-edge.js';
import type { KillableEdge } from '../../src/killable-edge.js';

const tag = runTag();
const logger = createLogger({ name: 'edge-kill-9', level: 'warn' });
const HOST = `wiki-${tag}.example.com`;
const TRAFFIC_MS = 3_000;
const CONNECTIONS = 16;
/** What async mode holds in memory at most (threaded-publisher.ts, publisher-settings.ts): handover 10,000, queue 2,000, a batch of 500. */
const ASYNC_MEMORY_BOUND = 12_500;

describe('kill -9 of the edge gateway during traffic', () => {
  let bed: EdgeTestbed;
  const running: KillableEdge[] = [];

  before(async () => {
    bed = await startEdgeTestbed('edge-kill-9');
  });

  after(async () => {
    for (const edge of running) await edge.stop();
    await bed.dispose();
  });

  /** Writes this mode's config (a zone and a spool of its own) and starts the gateway process. */
  function start(mode: 'async' | 'sync', zone: string): Promise<KillableEdge> {
    const file = join(bed.dir, `edge-${mode}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        admin: { host: '127.0.0.1', port: 0 },
        account_id: deriveHexId(`account:edge-kill-9-${tag}`),
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
        apps: [{ name: 'wiki', hostnames: [HOST], origin: bed.origin.url, zone: { id: zone, name: 'example.com' }, aud: 'wiki-aud', allow: { everyone: true } }],
        kafka: { brokers: bed.kafka.brokers },
        spool: { dir: `spool-${mode}` },
        durability: mode,
        // One process: the test kills the gateway's only listener, and its loss bound (ASYNC_MEMORY_BOUND) is one publisher's.
        // Killing one of several workers is edge-workers.test.ts's.
        workers: 1,
      }),
    );
    return startKillableEdge(file).then((edge) => (running.push(edge), edge));
  }

  /** Requests on CONNECTIONS loops until the gateway dies; the RayIDs of the answers that arrived whole. */
  async function trafficUntilKilled(edge: KillableEdge): Promise<string[]> {
    const answered: string[] = [];
    let stop = false;
    const loops = Array.from({ length: CONNECTIONS }, async (_, c) => {
      for (let i = 0; !stop; i++) {
        try {
          const reply = await gatewayRequest(edge.port, HOST, `/page/${c}/${i}`, { 'cf-access-jwt-assertion': bed.token });
          if (reply.status === 200) answered.push(reply.rayId);
        } catch {
          // Cut off by the kill: not answered.
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
    await edge.kill9();
    stop = true;
    await Promise.all(loops);
    return answered;
  }

  /** Restarts on the same spool and waits until it has replayed everything to Kafka. */
  async function restartAndReplay(mode: 'async' | 'sync', zone: string): Promise<void> {
    const again = await start(mode, zone);
    await waitUntil('the restarted gateway to replay its spool', async () => {
      const { publisher } = await again.health();
      return publisher['spoolRecords'] === 0 && publisher['queued'] === 0;
    }, 60_000);
    await again.stop();
  }

  async function recordsInTopic(): Promise<number> {
    const admin = createKafkaClient({ brokers: [bed.kafka.brokers], clientId: 'edge-kill-9-count', logger }).admin();
    await admin.connect();
    const total = (await endOffsets(admin, topicFor('http_requests'))).reduce((sum, p) => sum + Number(p.offset), 0);
    await admin.disconnect();
    return total;
  }

  it('async (the default): what a kill -9 loses is bounded by what it held in memory', async () => {
    const zone = deriveHexId(`zone:edge-kill-9-async-${tag}`);
    const answered = await trafficUntilKilled(await start('async', zone));
    await restartAndReplay('async', zone);
    // The topic holds this test's records only so far: read them all.
    const total = await recordsInTopic();
    const reader = createKafkaClient({ brokers: [bed.kafka.brokers], clientId: 'edge-kill-9-async', logger });
    const counts = countByRayId(await readDatasetRecords(reader, 'http_requests', { until: (got) => got.length >= total, timeoutMs: 60_000 }));
    const lost = answered.filter((ray) => !counts.has(ray)).length;
    console.log(`async: ${answered.length} requests answered in ${TRAFFIC_MS} ms before kill -9; ${lost} of them have no record (bound ${ASYNC_MEMORY_BOUND})`);
    assert.ok(answered.length > 100, `traffic flowed (${answered.length} answers)`);
    assert.ok(lost <= ASYNC_MEMORY_BOUND);
  });

  it('sync: every answered request has its record in Kafka once the restart replayed the spool', async () => {
    const zone = deriveHexId(`zone:edge-kill-9-sync-${tag}`);
    const answered = await trafficUntilKilled(await start('sync', zone));
    await restartAndReplay('sync', zone);
    const wanted = new Set(answered);
    const reader = createKafkaClient({ brokers: [bed.kafka.brokers], clientId: 'edge-kill-9-sync', logger });
    let found = new Map<string, number>();
    await readDatasetRecords(reader, 'http_requests', {
      header: [ZONE_ID_HEADER, zone],
      until: (got) => {
        found = countByRayId(got);
        return [...wanted].every((ray) => found.has(ray));
      },
      timeoutMs: 60_000,
    }).catch(() => undefined);
    const lost = answered.filter((ray) => !found.has(ray));
    console.log(`sync: ${answered.length} requests answered in ${TRAFFIC_MS} ms before kill -9; ${lost.length} of them have no record`);
    assert.ok(answered.length > 100, `traffic flowed (${answered.length} answers)`);
    assert.deepEqual(lost, []);
  });
});
