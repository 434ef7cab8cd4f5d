import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WIKI_AUD, eventually, send, startHarness } from './gateway-harness.js';
import type { Harness } from './gateway-harness.js';
import { startVhostOrigin } from './vhost-origin.js';
import type { VhostOrigin, VhostRoute } from './vhost-origin.js';

describe('request targets, in front of an origin that routes by the target\'s host as nginx does', () => {
  let origin: VhostOrigin;
  let h: Harness;
  let base: Harness;
  let token: string;
  let baseToken: string;
  before(async () => {
    origin = await startVhostOrigin();
    h = await startHarness({ originUrl: origin.url });
    base = await startHarness({ originUrl: `${origin.url}/app` });
    token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
    baseToken = await base.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
  });
  after(async () => {
    await h.close();
    await base.close();
    await origin.close();
  });

  const recordFor = (harness: Harness, rayId: string) => harness.requests().find((r) => r['RayID'] === rayId);

  it('the test origin itself serves another virtual host when the target names it', async () => {
    const reply = await send(Number(new URL(origin.url).port), 'http://admin.internal/secret', { host: 'wiki.example.com' });
    assert.equal((JSON.parse(reply.body) as VhostRoute).vhost, 'admin.internal');
  });

  it('refuses an absolute-form target naming another host with 400, so it never reaches that virtual host', async () => {
    const seen = origin.routes.length;
    const reply = await send(h.port, 'http://admin.internal/secret', { headers: { 'cf-access-jwt-assertion': token } });
    assert.equal(reply.status, 400, reply.body);
    assert.match(reply.body, /EDGE_TARGET_HOST_MISMATCH/);
    assert.deepEqual(origin.routes.slice(seen), []);
    const rayId = String(reply.headers['cf-ray']);
    await eventually(() => recordFor(h, rayId) !== undefined);
    const record = recordFor(h, rayId)!;
    assert.equal(record['SecurityAction'], 'block');
    assert.equal(record['SecurityRuleDescription'], 'EDGE_TARGET_HOST_MISMATCH');
    assert.equal(record['EdgeResponseStatus'], 400);
    assert.equal(record['ClientRequestURI'], 'http://admin.internal/secret');
  });

  it('forwards an absolute-form target naming the Host\'s own app in origin form', async () => {
    const reply = await send(h.port, 'http://WIKI.example.com:8080/page?q=1', { headers: { 'cf-access-jwt-assertion': token } });
    assert.equal(reply.status, 200, reply.body);
    const route = JSON.parse(reply.body) as VhostRoute;
    assert.deepEqual(route, { vhost: 'wiki.example.com', path: '/page', target: '/page?q=1' });
  });

  it('refuses targets in neither origin nor absolute form, and absolute ones carrying credentials', async () => {
    for (const target of ['*', 'wiki.example.com:443', 'http://alice@wiki.example.com/']) {
      const reply = await send(h.port, target, { method: 'OPTIONS', headers: { 'cf-access-jwt-assertion': token } });
      assert.equal(reply.status, 400, `${target}: ${reply.body}`);
    }
  });

  for (const target of ['/../secret', '/%2e%2e/secret', '/.%2E/secret', '/a/../../secret', '/..%2fsecret', '/a/%2e%2e%2f%2e%2e/secret', '/..\\secret', '/%2e%2e%5csecret', '/%252e%252e/secret', '/./../secret']) {
    it(`refuses ${target}, which climbs above the origin's base path, before forwarding`, async () => {
      const seen = origin.routes.length;
      const reply = await send(base.port, target, { headers: { 'cf-access-jwt-assertion': baseToken } });
      assert.equal(reply.status, 400, `${target} → ${reply.body}`);
      assert.match(reply.body, /EDGE_TARGET_ESCAPES_BASE_PATH/);
      assert.deepEqual(origin.routes.slice(seen), []);
    });
  }

  it('forwards dot segments that stay inside the base path', async () => {
    const reply = await send(base.port, '/a/../b/./c?x=..', { headers: { 'cf-access-jwt-assertion': baseToken } });
    assert.equal(reply.status, 200, reply.body);
    assert.equal((JSON.parse(reply.body) as VhostRoute).path, '/app/b/c');
  });
});
