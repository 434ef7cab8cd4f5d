import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TAIL_LIMITS } from '../../src/index.js';
import type { LiveTailOptions } from '../../src/index.js';
import { OTHER_ZONE, ZONE, ZONE_READER, testApi, zonePath } from '../support/api-fixture.js';
import { fakeClock, fakeSources, requestMessage, serverEvents, settle } from '../support/fake-tail.js';

const TAIL = zonePath('/sluice/live-tail');
const USER_FILTER = (user: string) => JSON.stringify({ where: { key: 'RequestHeaders.cf-access-user', operator: 'eq', value: user } });

async function tailApi(options: Partial<LiveTailOptions> = {}, sourceError?: Error) {
  const clock = fakeClock(Date.UTC(2026, 0, 31, 12));
  const sources = fakeSources(sourceError);
  const api = testApi({ liveTail: { sources: sources.factory, clock, ...options } });
  await api.store.putCustomFields(ZONE, { request_fields: [{ name: 'cf-access-user' }] });
  const open = (query = '', token = 'dev-token-with-every-scope') => api.app.inject({ url: `${TAIL}${query}`, headers: { authorization: `Bearer ${token}` } });
  return { api, clock, sources, open };
}

describe('GET /zones/{zone_id}/sluice/live-tail', () => {
  test('streams the zone’s requests that pass the filter, with the chosen fields and a custom field, then ends at the time limit', async () => {
    const { clock, sources, open } = await tailApi();
    const fields = 'ClientRequestURI,RequestHeaders.cf-access-user,EdgeStartTimestamp';
    const reply = open(`?fields=${encodeURIComponent(fields)}&filter=${encodeURIComponent(USER_FILTER('alice@example.com'))}`);
    await settle();
    const source = sources.opened[0];
    assert.equal(source?.topic, 'sluice.http_requests');
    source.push([
      requestMessage(ZONE, { ClientRequestURI: '/mine', RequestHeaders: { 'cf-access-user': 'alice@example.com', 'user-agent': 'curl' } }),
      requestMessage(ZONE, { ClientRequestURI: '/bobs', RequestHeaders: { 'cf-access-user': 'bob@example.com' } }),
      requestMessage(OTHER_ZONE, { ClientRequestURI: '/elsewhere', RequestHeaders: { 'cf-access-user': 'alice@example.com' } }),
    ]);
    clock.advance(DEFAULT_TAIL_LIMITS.maxDurationMs);
    const response = await reply;

    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/event-stream/);
    const events = serverEvents(response.body);
    assert.deepEqual(events.map((e) => e.event), ['ready', 'request', 'end']);
    assert.deepEqual(events[0]?.data['fields'], fields.split(','));
    assert.deepEqual(events[1]?.data, { ClientRequestURI: '/mine', 'RequestHeaders.cf-access-user': 'alice@example.com', EdgeStartTimestamp: '2026-01-31T12:00:00.000Z' });
    assert.deepEqual(events[2]?.data, { reason: 'time_limit', message: 'the tail reached its time limit; start a new one to go on', matched: 1, sent: 1, undecodable: 0 });
    assert.equal(source.stopped, true, 'the Kafka reader is stopped when the tail ends');
  });

  test('allows two tails per token: a third is refused with 429 TAIL_LIMIT_REACHED, another token still gets one, and an ended tail frees its place', async () => {
    const { clock, open } = await tailApi();
    const first = open();
    const second = open();
    await settle();
    const third = await open();
    assert.equal(third.statusCode, 429);
    const body = JSON.parse(third.body) as { errors: { code: number; message: string }[] };
    assert.equal(body.errors[0]?.code, 1040);
    assert.match(body.errors[0]?.message ?? '', /SLUICE_API_TOKEN already has 2 live tails open/);
    const reader = open('', ZONE_READER);
    await settle();
    clock.advance(DEFAULT_TAIL_LIMITS.maxDurationMs);
    assert.deepEqual(await Promise.all([first, second, reader].map(async (r) => (await r).statusCode)), [200, 200, 200]);
    const again = open();
    await settle();
    clock.advance(DEFAULT_TAIL_LIMITS.maxDurationMs);
    assert.equal((await again).statusCode, 200);
  });

  test('samples past the rate bound, sends the new sample rate, and returns to every request once traffic falls', async () => {
    const { clock, sources, open } = await tailApi({ limits: { maxEventsPerSecond: 5 } });
    const reply = open();
    await settle();
    const burst = (n: number) => sources.opened[0]?.push(Array.from({ length: n }, (_, i) => requestMessage(ZONE, { RayID: `8f0000000000${String(i).padStart(4, '0')}` })));
    burst(20);
    clock.advance(1_000);
    burst(20);
    clock.advance(1_000);
    burst(2);
    clock.advance(1_000);
    burst(1);
    clock.advance(DEFAULT_TAIL_LIMITS.maxDurationMs);
    const events = serverEvents((await reply).body);
    const kinds = events.map((e) => (e.event === 'sample' ? `sample:${String(e.data['sample_rate'])}` : e.event));
    assert.deepEqual(kinds, ['ready', ...Array<string>(5).fill('request'), 'sample:0.25', ...Array<string>(5).fill('request'), 'request', 'sample:1', 'request', 'end']);
    assert.deepEqual(events.find((e) => e.event === 'sample')?.data, { sample_rate: 0.25, matched_per_second: 20 });
    assert.deepEqual(events.at(-1)?.data['sent'], 12);
    assert.deepEqual(events.at(-1)?.data['matched'], 43);
  });

  test('names each bad parameter and its value: an unknown field, a header that is not a custom field, a bad filter, a rate over the limit', async () => {
    const { open, sources } = await tailApi();
    const response = await open(`?fields=ClientIp,RequestHeaders.x-secret&filter=${encodeURIComponent('{"where":{"key":"EdgeResponseStatus","operator":"eq","value":"x"}}')}&max_events_per_second=1000`);
    assert.equal(response.statusCode, 400);
    const messages = (JSON.parse(response.body) as { errors: { code: number; message: string }[] }).errors.map((e) => e.message);
    assert.deepEqual(messages, [
      'max_events_per_second: "1000" is not allowed; expected a whole number from 1 to 25',
    ]);
    const fields = await open(`?fields=ClientIp,RequestHeaders.x-secret&filter=${encodeURIComponent('{"where":{"key":"EdgeResponseStatus","operator":"eq","value":"x"}}')}`);
    const fieldMessages = (JSON.parse(fields.body) as { errors: { code: number; message: string }[] }).errors.map((e) => e.message);
    assert.equal(fieldMessages[0], 'fields: "ClientIp" is not a field of http_requests (did you mean "ClientIP"?)');
    assert.match(fieldMessages[1] ?? '', /^fields: "RequestHeaders.x-secret" is not a custom field of zone [0-9a-f]{32} \(its RequestHeaders custom fields: RequestHeaders.cf-access-user\)/);
    assert.match(fieldMessages[2] ?? '', /^filter: at \/where\/value: "x" is not a valid value for EdgeResponseStatus/);
    assert.equal(sources.opened.length, 0, 'no Kafka reader is opened for a refused tail');
  });

  test('needs read access to the zone: another zone’s reader gets 403, no token 401', async () => {
    const { api } = await tailApi();
    const other = await api.app.inject({ url: zonePath('/sluice/live-tail', OTHER_ZONE), headers: { authorization: `Bearer ${ZONE_READER}` } });
    assert.equal(other.statusCode, 403);
    const anonymous = await api.app.inject({ url: TAIL });
    assert.equal(anonymous.statusCode, 401);
  });

  test('answers 501 LIVE_TAIL_UNAVAILABLE when the API runs without Kafka', async () => {
    const api = testApi();
    const reply = await api.call('GET', TAIL);
    assert.equal(reply.status, 501);
    assert.equal(reply.body.errors[0]?.code, 1041);
  });

  test('ends with source_failed when Kafka cannot be read, and frees the token’s place', async () => {
    const { open } = await tailApi({}, new Error('connect ECONNREFUSED 127.0.0.1:9092'));
    const events = serverEvents((await open()).body);
    assert.deepEqual(events.map((e) => e.event), ['end']);
    assert.equal(events[0]?.data['reason'], 'source_failed');
    assert.match(String(events[0]?.data['message']), /ECONNREFUSED/);
    assert.equal((await Promise.all([open(), open()])).every((r) => r.statusCode === 200), true);
  });

  test('ends every open tail with server_closing when the API closes', async () => {
    const { api, sources, open } = await tailApi();
    const reply = open();
    await settle();
    await api.app.close();
    const events = serverEvents((await reply).body);
    assert.equal(events.at(-1)?.data['reason'], 'server_closing');
    assert.equal(sources.opened[0]?.stopped, true);
  });
});
