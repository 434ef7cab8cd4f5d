// Kafka stopped mid-traffic, and the gateway restarted while it is down: every request still answered, and exactly one record per RayID once Kafka is back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ISSUER, loadOrCreateDevSigningKey, parseEdgeConfig, startDemoOrigin, startEdge } from '@sluice/edge';
import type { DemoOrigin, EdgeConfig, RunningEdge } from '@sluice/edge';
import type { ScratchKafka } from '@sluice/infra-local';
import { createKafkaClient, endOffsets } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import { deriveHexId, topicFor } from '@sluice/schemas';
import { countByRayId, gatewayBurst, gatewayRequest, readDatasetRecords, runTag, waitUntil, withScratchKafka } from '../../src/index.js';
import type { GatewayReply } from '../../src/index.js';

const tag = runTag();
const ZONE = deriveHexId(`zone:edge-outage-${tag}`);
const HOST = `wiki-${tag}.example.com`;
const logger = createLogger({ name: 'edge-outage', level: 'warn' });

describe('the edge gateway while Kafka is down', () => {
  let kafka: ScratchKafka;
  let origin: DemoOrigin;
  let dir: string;
  let config: EdgeConfig;
  let token: string;
  let edge: RunningEdge | undefined;
  const replies: GatewayReply[] = [];

  before(async () => {
    kafka = await withScratchKafka('edge-outage');
    origin = await startDemoOrigin();
    dir = mkdtempSync(join(tmpdir(), 'sluice-edge-outage-'));
    const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
    token = await key.mint({ email: 'alice@example.com', audience: 'wiki-aud', ttlSeconds: 3_600 });
    const parsed = parseEdgeConfig(
      {
        listen: { host: '127.0.0.1', port: 0 },
        account_id: deriveHexId(`account:edge-outage-${tag}`),
        identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
        apps: [{ name: 'wiki', hostnames: [HOST], origin: origin.url, zone: { id: ZONE, name: 'example.com' }, aud: 'wiki-aud', allow: { everyone: true } }],
        custom_fields: { [ZONE]: { request_fields: [{ name: 'cf-access-user' }] } },
        kafka: { brokers: kafka.brokers },
        spool: { dir: 'spool', max_bytes: 64 * 1024 * 1024 },
      },
      { baseDir: dir },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    config = parsed.config;
  });

  after(async () => {
    await edge?.stop();
    await origin.close();
    await kafka.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const traffic = (count: number) =>
    gatewayBurst(count, 4, (i) => gatewayRequest(edge!.address.port, HOST, `/page/${replies.length + i}`, { 'cf-access-jwt-assertion': token }));

  it('answers every request while Kafka stops mid-traffic, spooling what Kafka cannot take', async () => {
    edge = await startEdge({ config, logger, publisher: { sendTimeoutMs: 1_000 } });
    replies.push(...(await traffic(200)));
    assert.equal(await edge.publisher.drained(30_000), true, 'records reach Kafka while it is up');

    // Kafka goes away while requests are in flight.
    const during = traffic(600);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await kafka.stop();
    replies.push(...(await during));
    replies.push(...(await traffic(200)));
    assert.deepEqual(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body}`), []);
    await waitUntil('the publisher to spool', () => edge!.publisher.stats().spoolRecords > 0, 15_000);
    assert.equal(edge.publisher.stats().mode, 'spooling');
    assert.equal(edge.publisher.stats().dropped, 0);
  });

  it('keeps what it spooled across a gateway restart while Kafka is still down', async () => {
    await edge!.stop();
    const spooled = edge!.publisher.stats().spoolRecords;
    assert.ok(spooled > 0);
    edge = await startEdge({ config, logger, publisher: { sendTimeoutMs: 1_000 } });
    assert.equal(edge.publisher.stats().mode, 'spooling', 'a restart with a non-empty spool starts by replaying it');
    assert.ok(edge.publisher.stats().spoolRecords >= spooled);
    replies.push(...(await traffic(300)));
    assert.deepEqual(replies.filter((r) => r.status !== 200).map((r) => r.status), []);
  });

  it('replays everything once Kafka is back: exactly one record per RayID', async () => {
    await kafka.start();
    await waitUntil('the spool to drain', () => edge!.publisher.stats().spoolRecords === 0 && edge!.publisher.stats().queued === 0, 90_000);
    assert.equal(await edge!.publisher.drained(30_000), true);
    assert.equal(edge!.publisher.stats().mode, 'direct');
    const expected = new Set(replies.map((r) => r.rayId));
    assert.equal(expected.size, replies.length, 'RayIDs are unique');
    const reader = createKafkaClient({ brokers: [kafka.brokers], clientId: 'edge-outage-reader', logger });
    const again = await readDatasetRecords(reader, 'http_requests', { until: (got) => got.length >= replies.length, timeoutMs: 60_000 });
    // The topic is this test's alone: its size says whether anything beyond what was read was published twice.
    const admin = reader.admin();
    await admin.connect();
    const inTopic = (await endOffsets(admin, topicFor('http_requests'))).reduce((sum, p) => sum + Number(p.offset), 0);
    await admin.disconnect();
    assert.equal(inTopic, replies.length);
    const counts = countByRayId(again);
    const missing = [...expected].filter((ray) => !counts.has(ray));
    const twice = [...counts].filter(([, n]) => n > 1).map(([ray]) => ray);
    assert.deepEqual({ missing: missing.length, twice: twice.length, records: again.length }, { missing: 0, twice: 0, records: replies.length });
    for (const record of again.slice(0, 20)) assert.deepEqual(record['RequestHeaders'], { 'cf-access-user': 'alice@example.com' });
  });
});
