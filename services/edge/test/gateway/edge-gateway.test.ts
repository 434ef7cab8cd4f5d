import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forgedTokens } from '../../src/dev-identity/forged-tokens.js';
import { ACCOUNT, LOGGED_ZONE, QUIET_ZONE, WIKI_AUD, HR_AUD, eventually, send, startHarness } from './gateway-harness.js';
import type { Harness } from './gateway-harness.js';

describe('the edge gateway', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ loginUrl: 'https://login.example.com/sign-in' });
  });
  after(() => h.close());

  const recordFor = (rayId: string) => h.requests().find((r) => r['RayID'] === rayId);

  it('times every request of a known app, allowed or refused, per app', async () => {
    const count = async (): Promise<number> => {
      const text = await h.gateway.metrics.registry.metrics();
      return Number(/^sluice_edge_request_duration_seconds_count\{app="wiki"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const before = await count();
    const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
    assert.equal((await send(h.port, '/echo', { headers: { 'cf-access-jwt-assertion': token } })).status, 200);
    assert.equal((await send(h.port, '/echo')).status, 302, 'no token: sent to sign in');
    // Observed when the server side of the exchange closes, a moment after the client has its answer.
    for (let tries = 0; tries < 100 && (await count()) < before + 2; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(await count(), before + 2);
  });

  it('forwards a valid token\'s request with the identity headers, the RayID and X-Forwarded-*, and logs it', async () => {
    const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD, country: 'GB' });
    const reply = await send(h.port, '/echo?q=1', { headers: { 'cf-access-jwt-assertion': token, 'user-agent': 'test-agent', referer: 'https://wiki.example.com/', accept: 'application/json', cookie: 'theme=dark; session=s3cret' } });
    assert.equal(reply.status, 200);
    const seen = JSON.parse(reply.body) as { url: string; headers: Record<string, string> };
    const rayId = String(reply.headers['cf-ray']);
    assert.match(rayId, /^[0-9a-f]{16}$/);
    assert.equal(seen.url, '/echo?q=1');
    assert.equal(seen.headers['cf-access-user'], 'alice@example.com');
    assert.equal(seen.headers['cf-access-authenticated-user-email'], 'alice@example.com');
    assert.equal(seen.headers['cf-access-jwt-assertion'], token);
    assert.equal(seen.headers['cf-ray'], rayId);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['host'], 'wiki.example.com');

    await eventually(() => recordFor(rayId) !== undefined);
    const record = recordFor(rayId)!;
    assert.equal(record['ClientRequestHost'], 'wiki.example.com');
    assert.equal(record['ClientRequestMethod'], 'GET');
    assert.equal(record['ClientRequestURI'], '/echo?q=1');
    assert.equal(record['ClientRequestPath'], '/echo');
    assert.equal(record['ClientRequestProtocol'], 'HTTP/1.1');
    assert.equal(record['ClientRequestScheme'], 'http');
    assert.equal(record['ClientRequestUserAgent'], 'test-agent');
    assert.equal(record['ClientRequestReferer'], 'https://wiki.example.com/');
    assert.equal(record['ClientIP'], '127.0.0.1');
    assert.ok((record['ClientSrcPort'] as number) > 0);
    assert.equal(record['EdgeResponseStatus'], 200);
    assert.equal(record['OriginResponseStatus'], 200);
    assert.equal(record['OriginIP'], '127.0.0.1');
    assert.equal(record['EdgeResponseBodyBytes'], Buffer.byteLength(reply.body));
    assert.ok((record['EdgeResponseBytes'] as number) > Buffer.byteLength(reply.body));
    assert.equal(record['EdgeResponseContentType'], 'application/json');
    assert.equal(record['SecurityAction'], 'allow');
    assert.equal(record['ZoneName'], 'wiki.zone');
    assert.equal(record['_zone_id'], LOGGED_ZONE);
    assert.equal(record['_account_id'], ACCOUNT);
    const start = record['EdgeStartTimestamp'] as bigint;
    const end = record['EdgeEndTimestamp'] as bigint;
    assert.ok(end >= start && Number(end - start) < 5e9, `${start} → ${end}`);
    assert.ok(Math.abs(Number(start / 1_000_000n) - Date.now()) < 10_000);
    // Only what the zone lists: the identity and accept, the theme cookie — never the session cookie or the token.
    assert.deepEqual(record['RequestHeaders'], { 'cf-access-user': 'alice@example.com', accept: 'application/json' });
    assert.deepEqual(record['ResponseHeaders'], { 'content-type': 'application/json' });
    assert.deepEqual(record['Cookies'], { theme: 'dark' });
  });

  it('reads the token from the CF_Authorization cookie when no header carries one', async () => {
    const token = await h.key.mint({ email: 'bob@example.com', audience: WIKI_AUD });
    const reply = await send(h.port, '/echo', { headers: { cookie: `theme=light; CF_Authorization=${token}` } });
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as { headers: Record<string, string> }).headers['cf-access-user'], 'bob@example.com');
  });

  it('replaces identity headers a client tries to spoof, in what the origin sees and in the log', async () => {
    const token = await h.key.mint({ email: 'carol@example.com', audience: WIKI_AUD });
    const reply = await send(h.port, '/echo', {
      headers: { 'cf-access-jwt-assertion': token, 'cf-access-user': 'admin@example.com', 'cf-access-authenticated-user-email': 'admin@example.com', 'cf-ray': '0000000000000000', 'cf-connecting-ip': '10.9.9.9' },
    });
    const seen = (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;
    assert.equal(seen['cf-access-user'], 'carol@example.com');
    assert.equal(seen['cf-access-authenticated-user-email'], 'carol@example.com');
    assert.notEqual(seen['cf-ray'], '0000000000000000');
    assert.equal(seen['cf-connecting-ip'], '127.0.0.1');
    const rayId = String(reply.headers['cf-ray']);
    await eventually(() => recordFor(rayId) !== undefined);
    assert.equal((recordFor(rayId)!['RequestHeaders'] as Record<string, string>)['cf-access-user'], 'carol@example.com');
  });

  it('refuses every forged token with its code, and none of them reaches the origin', async () => {
    const forged = await forgedTokens(h.key, 'mallory@example.com', WIKI_AUD);
    assert.equal(forged.length, 8);
    for (const attack of forged) {
      const reply = await send(h.port, `/attack/${attack.name}`, { method: 'POST', headers: { 'cf-access-jwt-assertion': attack.token, 'content-type': 'text/plain' }, body: 'payload' });
      assert.equal(reply.status, attack.expectedStatus, `${attack.name}: ${reply.body}`);
      assert.match(reply.body, new RegExp(attack.expectedCode), attack.name);
      assert.ok(!reply.body.includes(attack.token.split('.')[1]), `${attack.name}: the reply echoes the token`);
    }
    assert.deepEqual(h.origin.requests.filter((r) => r.url.startsWith('/attack/')), []);
    const rayIds = new Set<string>();
    await eventually(() => h.requests().filter((r) => String(r['ClientRequestURI']).startsWith('/attack/')).length === forged.length);
    for (const record of h.requests().filter((r) => String(r['ClientRequestURI']).startsWith('/attack/'))) {
      const name = String(record['ClientRequestURI']).slice('/attack/'.length);
      const attack = forged.find((f) => f.name === name)!;
      assert.equal(record['SecurityAction'], 'block');
      assert.equal(record['SecurityRuleDescription'], attack.expectedCode);
      assert.equal(record['EdgeResponseStatus'], attack.expectedStatus);
      assert.equal(record['OriginResponseStatus'], undefined);
      assert.deepEqual(record['RequestHeaders'], {}, `${name}: no identity may be logged for a refused token`);
      rayIds.add(String(record['RayID']));
    }
    // Each refusal is an access_requests event too; the email is kept only where the IdP's signature held.
    const denied = h.accessEvents().filter((e) => rayIds.has(String(e['RayID'])));
    assert.equal(denied.length, forged.length);
    for (const event of denied) assert.equal(event['Allowed'], false);
    // Each says why, by the code the reply gave and in words; nothing of the token rides along.
    for (const event of denied) {
      const request = h.requests().find((r) => r['RayID'] === event['RayID'])!;
      const attack = forged.find((f) => `/attack/${f.name}` === request['ClientRequestURI'])!;
      assert.equal(event['DenyReasonCode'], attack.expectedCode, attack.name);
      assert.ok(typeof event['DenyReason'] === 'string' && event['DenyReason'] !== '', attack.name);
      for (const part of attack.token.split('.').filter((p) => p.length > 8)) assert.ok(!JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes(part), `${attack.name}: the event holds the token`);
    }
    const emails = new Set(denied.map((e) => e['Email']));
    assert.ok(emails.has('mallory@example.com'), 'an expired token is the real user');
    assert.ok(!emails.has('admin@example.com'), 'a tampered token\'s claimed email is never logged');
  });

  it('sends a browser without a token to the login page and returns it where it was going', async () => {
    const reply = await send(h.port, '/page?x=1');
    assert.equal(reply.status, 302);
    assert.equal(reply.headers['location'], `https://login.example.com/sign-in?redirect_url=${encodeURIComponent('http://wiki.example.com/page?x=1')}`);
    const post = await send(h.port, '/form', { method: 'POST', body: 'a=1' });
    assert.equal(post.status, 401);
    assert.match(post.body, /IDENTITY_TOKEN_MISSING/);
  });

  it('refuses a valid user the app does not allow with 403 and logs the attempt with their email', async () => {
    const token = await h.key.mint({ email: 'eve@elsewhere.org', audience: WIKI_AUD });
    const reply = await send(h.port, '/echo', { headers: { 'cf-access-jwt-assertion': token } });
    assert.equal(reply.status, 403);
    assert.match(reply.body, /IDENTITY_USER_NOT_ALLOWED/);
    const rayId = String(reply.headers['cf-ray']);
    await eventually(() => h.accessEvents().some((e) => e['RayID'] === rayId));
    const event = h.accessEvents().find((e) => e['RayID'] === rayId)!;
    assert.equal(event['Allowed'], false);
    assert.equal(event['Email'], 'eve@elsewhere.org');
    assert.equal(event['_account_id'], ACCOUNT);
    assert.equal(event['DenyReasonCode'], 'IDENTITY_USER_NOT_ALLOWED');
    assert.equal(event['DenyReason'], "user not in the app's allow list");
    const groupToken = await h.key.mint({ email: 'eve@elsewhere.org', audience: WIKI_AUD, groups: ['contractors'] });
    assert.equal((await send(h.port, '/echo', { headers: { 'cf-access-jwt-assertion': groupToken } })).status, 200, 'the contractors group is allowed');
  });

  it('logs a login once per token, with the IdP connection and country from the token', async () => {
    const token = await h.key.mint({ email: 'dave@example.com', audience: WIKI_AUD, connection: 'okta', country: 'DE' });
    const rays: string[] = [];
    for (let i = 0; i < 3; i++) rays.push(String((await send(h.port, '/', { headers: { 'cf-access-jwt-assertion': token } })).headers['cf-ray']));
    await eventually(() => h.requests().filter((r) => rays.includes(String(r['RayID']))).length === 3);
    const logins = h.accessEvents().filter((e) => e['Email'] === 'dave@example.com');
    assert.equal(logins.length, 1);
    assert.equal(logins[0]['Allowed'], true);
    assert.equal(logins[0]['DenyReasonCode'], undefined, 'an allowed login has no deny reason');
    assert.equal(logins[0]['Action'], 'login');
    assert.equal(logins[0]['Connection'], 'okta');
    assert.equal(logins[0]['Country'], 'DE');
    assert.equal(logins[0]['AppDomain'], 'wiki.example.com');
    assert.equal(logins[0]['RayID'], rays[0]);
    assert.match(String(logins[0]['UserUID']), /^[0-9a-f-]{36}$/);
  });

  it('logs no headers for a zone without custom fields, cf-access-user included', async () => {
    const token = await h.key.mint({ email: 'alice@example.com', audience: HR_AUD });
    const reply = await send(h.port, '/echo', { host: 'hr.example.com', headers: { 'cf-access-jwt-assertion': token, cookie: 'theme=dark' } });
    assert.equal(reply.status, 200);
    const rayId = String(reply.headers['cf-ray']);
    await eventually(() => recordFor(rayId) !== undefined);
    const record = recordFor(rayId)!;
    assert.equal(record['_zone_id'], QUIET_ZONE);
    assert.deepEqual(record['RequestHeaders'], {});
    assert.deepEqual(record['Cookies'], {});
  });

  it('a token for one app does not open another', async () => {
    const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
    const reply = await send(h.port, '/echo', { host: 'hr.example.com', headers: { 'cf-access-jwt-assertion': token } });
    assert.equal(reply.status, 403);
    assert.match(reply.body, /IDENTITY_WRONG_AUDIENCE/);
  });

  it('streams request and response bodies both ways and counts their bytes', async () => {
    const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const upload = await send(h.port, '/echo', { method: 'POST', headers: { 'cf-access-jwt-assertion': token, 'content-type': 'application/octet-stream' }, body });
    assert.equal((JSON.parse(upload.body) as { bodyBytes: number }).bodyBytes, body.length);
    const uploadRay = String(upload.headers['cf-ray']);
    await eventually(() => recordFor(uploadRay) !== undefined);
    assert.ok((recordFor(uploadRay)!['ClientRequestBytes'] as number) > body.length);

    const stream = await send(h.port, '/stream?chunks=4', { headers: { 'cf-access-jwt-assertion': token } });
    assert.equal(stream.body, 'chunk 0\nchunk 1\nchunk 2\nchunk 3\n');
    assert.equal(stream.headers['transfer-encoding'], 'chunked');
    const streamRay = String(stream.headers['cf-ray']);
    await eventually(() => recordFor(streamRay) !== undefined);
    const record = recordFor(streamRay)!;
    assert.equal(record['EdgeResponseBodyBytes'], stream.body.length);
    assert.ok((record['OriginResponseDurationMs'] as number) >= 40, 'four chunks 20 ms apart take at least 60 ms');
    assert.ok((record['EdgeTimeToFirstByteMs'] as number) < (record['OriginResponseDurationMs'] as number));
  });

  it('answers 404 for a host no app serves, without forwarding or logging it as a zone\'s request', async () => {
    const before = h.published.length;
    const reply = await send(h.port, '/', { host: 'unknown.example.com' });
    assert.equal(reply.status, 404);
    assert.equal(h.published.length, before);
  });

  it('passes origin statuses through unchanged', async () => {
    const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
    const reply = await send(h.port, '/status/418', { headers: { 'cf-access-jwt-assertion': token } });
    assert.equal(reply.status, 418);
  });
});

describe('the edge gateway in front of an origin that fails', () => {
  it('answers 502 when the origin refuses connections, and logs the request once', async () => {
    const h = await startHarness({ originUrl: 'http://127.0.0.1:1' });
    try {
      const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
      const reply = await send(h.port, '/', { headers: { 'cf-access-jwt-assertion': token } });
      assert.equal(reply.status, 502);
      const rayId = String(reply.headers['cf-ray']);
      await eventually(() => h.requests().some((r) => r['RayID'] === rayId));
      assert.equal(h.requests().filter((r) => r['RayID'] === rayId).length, 1);
      assert.equal(h.requests().find((r) => r['RayID'] === rayId)!['EdgeResponseStatus'], 502);
    } finally {
      await h.close();
    }
  });
});
