import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '@sluice/logging';
import { WIKI_AUD, eventually, send, startHarness } from './gateway-harness.js';
import type { Harness } from './gateway-harness.js';

describe('credentials in a zone whose custom fields name them', () => {
  let h: Harness;
  const logLines: string[] = [];
  before(async () => {
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => void (logLines.push(chunk.toString()), done()) });
    h = await startHarness({
      logger: createLogger({ name: 'gateway-test', level: 'info', destination }),
      customFields: {
        request_fields: ['authorization', 'proxy-authorization', 'cf-access-jwt-assertion', 'cookie', 'x-copy', 'accept'].map((name) => ({ name })),
        response_fields: [{ name: 'content-type' }],
        cookie_fields: [{ name: 'CF_Authorization' }, { name: 'theme' }],
      },
    });
  });
  after(() => h.close());

  it('says at start which named fields are logged redacted', () => {
    const line = logLines.find((l) => l.includes('REDACTED'));
    assert.ok(line !== undefined, logLines.join(''));
    for (const name of ['authorization', 'proxy-authorization', 'cf-access-jwt-assertion', 'CF_Authorization']) assert.ok(line.includes(name), line);
  });

  it('logs them as REDACTED, and the verified token appears nowhere in the record, while the origin still gets it', async () => {
    const token = await h.key.mint({ email: 'alice@example.com', audience: WIKI_AUD });
    const reply = await send(h.port, `/echo?token=${token}&q=1&jwt=${token}`, {
      headers: {
        cookie: `theme=dark; CF_Authorization=${token}`,
        authorization: 'Bearer opaque-api-secret',
        'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
        'x-copy': `copied ${token}`,
        referer: `https://wiki.example.com/cb?id_token=${token}`,
        accept: 'text/plain',
      },
    });
    assert.equal(reply.status, 200, reply.body);
    const seen = JSON.parse(reply.body) as { headers: Record<string, string> };
    assert.equal(seen.headers['cf-access-jwt-assertion'], token, 'the origin still receives the verified token');
    const rayId = String(reply.headers['cf-ray']);
    await eventually(() => h.requests().some((r) => r['RayID'] === rayId));
    const record = h.requests().find((r) => r['RayID'] === rayId)!;
    const text = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    for (const part of token.split('.')) assert.ok(!text.includes(part), `a part of the token is in the record: ${text}`);
    assert.ok(!text.includes('opaque-api-secret') && !text.includes('cHJveHk6c2VjcmV0'), text);
    const headers = record['RequestHeaders'] as Record<string, string>;
    assert.equal(headers['authorization'], 'REDACTED');
    assert.equal(headers['proxy-authorization'], undefined, 'hop-by-hop: never forwarded, so not in the forwarded headers logged');
    assert.equal(headers['cf-access-jwt-assertion'], 'REDACTED');
    assert.equal(headers['cookie'], 'theme=dark; CF_Authorization=REDACTED');
    assert.equal(headers['x-copy'], 'copied REDACTED');
    assert.equal(headers['accept'], 'text/plain');
    assert.deepEqual(record['Cookies'], { CF_Authorization: 'REDACTED', theme: 'dark' });
    assert.equal(record['ClientRequestURI'], '/echo?token=REDACTED&q=1&jwt=REDACTED');
    assert.equal(record['ClientRequestReferer'], 'https://wiki.example.com/cb?id_token=REDACTED');
  });

  it('redacts them on a refused request too', async () => {
    const reply = await send(h.port, '/echo', { method: 'POST', headers: { authorization: 'Bearer opaque-api-secret', 'proxy-authorization': 'Basic cHJveHk6c2VjcmV0', cookie: 'CF_Authorization=not.a.jwt' } });
    assert.equal(reply.status, 401);
    const rayId = String(reply.headers['cf-ray']);
    await eventually(() => h.requests().some((r) => r['RayID'] === rayId));
    const record = h.requests().find((r) => r['RayID'] === rayId)!;
    assert.deepEqual(record['Cookies'], { CF_Authorization: 'REDACTED' });
    assert.equal((record['RequestHeaders'] as Record<string, string>)['authorization'], 'REDACTED');
    assert.equal((record['RequestHeaders'] as Record<string, string>)['cookie'], 'CF_Authorization=REDACTED');
  });
});
