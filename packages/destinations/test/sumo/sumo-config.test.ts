import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSumoConf } from '../../src/sumo/sumo-config.js';
import { createHttpDestination } from '../../src/http/http-destination.js';
import { ndjsonBatch } from '../support/ndjson-batch.js';
import { headerOf, recordingClient, reply } from '../support/fake-http-client.js';

const CODE = 'ZaVnC4dhaV2Zg2yYhFg7sTqKa9_JqnbMvQ==';

test('a Sumo source URL becomes an HTTPS POST target, and its code is hidden from description and location', () => {
  const parsed = parseSumoConf(`sumo://endpoint1.collection.us2.sumologic.com/receiver/v1/http/${CODE}?header_X-Sumo-Category=cloudflare/http`);
  assert.ok(parsed.ok);
  assert.equal(parsed.config.url, `https://endpoint1.collection.us2.sumologic.com/receiver/v1/http/${CODE}`);
  assert.deepEqual(parsed.config.headers, [['X-Sumo-Category', 'cloudflare/http']]);
  assert.ok(!parsed.config.description.includes(CODE) && !parsed.config.location.includes(CODE), parsed.config.description);
  assert.match(parsed.config.location, /\/receiver\/v1\/http\/\*\*\*$/);
});

test('a path that is not an HTTP source URL is refused with the expected form', () => {
  const parsed = parseSumoConf('sumo://endpoint1.collection.sumologic.com/some/other/path');
  assert.ok(!parsed.ok);
  assert.match(parsed.message, /\/receiver\/v1\/http\/<code>/);
});

test('a receiver echoing the URL does not put the collector code into the result', async () => {
  const parsed = parseSumoConf(`sumo://endpoint1.collection.sumologic.com/receiver/v1/http/${CODE}`);
  assert.ok(parsed.ok);
  const echo = recordingClient((request) => reply(404, `no such source: ${request.url}`));
  const result = await createHttpDestination(parsed.config, { transport: echo }).deliver(ndjsonBatch(['{"a":1}']), AbortSignal.timeout(5_000));
  assert.equal(result.status, 'rejected');
  assert.ok(!JSON.stringify(result).includes(CODE), JSON.stringify(result));
});

test('Sumo requires the ownership challenge, posts it as one message named after the challenge file, and keeps the code out of its location', async () => {
  const { sumoPlugin } = await import('../../src/sumo/sumo-plugin.js');
  const parsed = parseSumoConf(`sumo://endpoint1.collection.sumologic.com/receiver/v1/http/${CODE}`);
  assert.ok(parsed.ok);
  assert.equal(sumoPlugin.ownership?.required(parsed.config), true);
  const location = sumoPlugin.ownership?.locate(parsed.config, 0);
  assert.equal(location?.dir, '');
  assert.ok(!location?.display.includes(CODE), location?.display);
  const other = parseSumoConf('sumo://endpoint1.collection.sumologic.com/receiver/v1/http/OtherCollector==');
  assert.ok(other.ok);
  assert.notDeepEqual(sumoPlugin.ownership?.locate(other.config, 0), location, 'two collectors on one host are two places');
});

test('the Sumo challenge is posted as one gzip message whose X-Sumo-Name is the challenge file name', async () => {
  const { createSumoDestination } = await import('../../src/sumo/sumo-destination.js');
  const { gunzipSync } = await import('node:zlib');
  const parsed = parseSumoConf(`sumo://endpoint1.collection.sumologic.com/receiver/v1/http/${CODE}?header_X-Sumo-Name=batches`);
  assert.ok(parsed.ok);
  const record = recordingClient(() => reply(200));
  const seen = record.requests;
  const result = await createSumoDestination(parsed.config, { transport: record }).writeChallenge?.('ownership-challenge-1a2b3c4d.txt', 'v1.payload.mac', AbortSignal.timeout(5_000));
  assert.equal(result?.status, 'delivered');
  assert.equal(seen.length, 1);
  assert.equal(headerOf(seen[0], 'x-sumo-name'), 'ownership-challenge-1a2b3c4d.txt');
  assert.equal(gunzipSync(seen[0]?.body ?? Buffer.alloc(0)).toString('utf8'), 'v1.payload.mac\n');
  assert.equal(seen[0]?.url, `https://endpoint1.collection.sumologic.com/receiver/v1/http/${CODE}`);
});
