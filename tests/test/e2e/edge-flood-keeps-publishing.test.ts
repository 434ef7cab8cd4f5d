// The issue's attack: 2,000 refused requests with 15 KB URLs in about a second. The audit trail must keep flowing: real users' records reach Kafka, the flood's are capped and sampled, nothing is left on disk.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEV_ISSUER, parseEdgeConfig, startEdge } from '@sluice/edge';
import type { RunningEdge } from '@sluice/edge';
import { createKafkaClient } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import { gatewayBurst, gatewayRequest, readDatasetRecords, runTag, waitUntil } from '../../src/index.js';
import { startEdgeTestbed } from '../../src/edge-testbed.js';
import type { EdgeTestbed } from '../../src/edge-testbed.js';
import type { GatewayReply } from '../../src/index.js';

const tag = runTag();
const ZONE = deriveHexId(`zone:edge-flood-${tag}`);
const HOST = `wiki-${tag}.example.com`;
const logger = createLogger({ name: 'edge-flood', level: 'warn' });
const FLOOD = 2_000;
/** The defaults: 100 refused requests per client IP and 10 s recorded in full, then one in 100. */
const PER_IP = 100;
const ONE_IN = 100;

describe('the edge gateway under a flood of refused requests with huge URLs', () => {
  let bed: EdgeTestbed;
  let edge: RunningEdge;

  before(async () => {
    bed = await startEdgeTestbed('edge-flood');
    const parsed = parseEdgeConfig(
      {
        listen: { host: '127.0.0.1', port: 0 },
        account_id: deriveHexId(`account:edge-flood-${tag}`),
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
        apps: [{ name: 'wiki', hostnames: [HOST], origin: bed.origin.url, zone: { id: ZONE, name: 'example.com' }, aud: 'wiki-aud', allow: { everyone: true } }],
        kafka: { brokers: bed.kafka.brokers },
        spool: { dir: 'spool', max_bytes: 256 * 1024 * 1024 },
      },
      { baseDir: bed.dir },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    edge = await startEdge({ config: parsed.config, logger });
  });

  after(async () => {
    await edge.stop();
    await bed.dispose();
  });

  it('keeps publishing real users’ records during and after the flood, and records the flood capped and sampled', async () => {
    const url = `/${'a'.repeat(15_000)}`;
    const started = performance.now();
    const flood = await gatewayBurst(FLOOD, 50, () => gatewayRequest(edge.address.port, HOST, url));
    const floodSeconds = (performance.now() - started) / 1000;
    assert.deepEqual([...new Set(flood.map((r) => r.status))], [401]);
    const users: GatewayReply[] = await gatewayBurst(50, 4, (i) => gatewayRequest(edge.address.port, HOST, `/after-flood/${i}`, { 'cf-access-jwt-assertion': bed.token }));
    assert.deepEqual([...new Set(users.map((r) => r.status))], [200]);

    const reader = createKafkaClient({ brokers: [bed.kafka.brokers], clientId: 'edge-flood-reader', logger });
    const wanted = new Set(users.map((r) => r.rayId));
    // Today's code never gets here: one send of the flood's records exceeds the broker's 1 MB, and is retried forever.
    const keptBeyondCap = Math.ceil((FLOOD - PER_IP) / ONE_IN);
    const complete = (got: readonly DatasetRecord[]): boolean => got.filter((r) => wanted.has(String(r['RayID']))).length === wanted.size && got.filter((r) => r['SecurityAction'] === 'block').length >= PER_IP + keptBeyondCap;
    const records = await readDatasetRecords(reader, 'http_requests', { until: complete, timeoutMs: 30_000 });
    await waitUntil('the spool to be empty', () => edge.publisher.stats().spoolRecords === 0, 30_000);
    assert.equal(await edge.publisher.drained(30_000), true);

    const refused = records.filter((r) => r['SecurityAction'] === 'block');
    assert.equal(refused.length, PER_IP + keptBeyondCap, 'the flood is recorded: the cap in full, one in 100 beyond it');
    const sampled = await readDatasetRecords(reader, 'http_requests', { header: ['sluice-sample-interval', String(ONE_IN)], until: (got) => got.length >= keptBeyondCap, timeoutMs: 30_000 });
    assert.equal(sampled.length, keptBeyondCap, 'each sampled record says how many requests it stands for');
    assert.ok(refused.every((r) => String(r['ClientRequestURI']).length >= 15_000), 'records under the broker limit are kept whole');
    const stats = edge.publisher.stats();
    assert.equal(stats.dropped, 0);
    assert.equal(stats.quarantined ?? 0, 0);
    const metrics = await edge.gateway.metrics.registry.getSingleMetricAsString('sluice_edge_refused_records_sampled_out_total');
    assert.match(metrics, new RegExp(`sluice_edge_refused_records_sampled_out_total ${FLOOD - PER_IP - keptBeyondCap}\\b`));
    console.log(`flood of ${FLOOD} refused requests with 15 KB URLs in ${floodSeconds.toFixed(2)} s: ${refused.length} records kept (${keptBeyondCap} sampled 1 in ${ONE_IN}), ${stats.published} published, 0 on disk`);
  });
});
