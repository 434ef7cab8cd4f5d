import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { LOGGED_ZONE, QUIET_ZONE, eventually, startHarness } from './gateway-harness.js';
import type { Harness } from './gateway-harness.js';

/** Writes raw bytes (a request Node's own client would refuse to send) and reads the reply until the gateway closes. */
function sendRaw(port: number, bytes: string): Promise<{ status: number; rayId: string; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), rayId: /\r\ncf-ray: ([0-9a-f]{16})\r\n/i.exec(text)?.[1] ?? '', text }));
  });
}

describe('requests Node\'s parser refuses before the handler', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ settings: { malformed_request_zone: QUIET_ZONE } });
  });
  after(() => h.close());

  const recordFor = async (rayId: string) => {
    assert.match(rayId, /^[0-9a-f]{16}$/, 'the refusal carries a RayID');
    await eventually(() => h.requests().some((r) => r['RayID'] === rayId));
    return h.requests().find((r) => r['RayID'] === rayId)!;
  };

  it('answers headers that are too large with 431 and logs it in the zone of the host the request named', async () => {
    const reply = await sendRaw(h.port, `GET /big?x=1 HTTP/1.1\r\nHost: wiki.example.com\r\nUser-Agent: flood/1\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`);
    assert.equal(reply.status, 431, reply.text.slice(0, 200));
    const record = await recordFor(reply.rayId);
    assert.equal(record['EdgeResponseStatus'], 431);
    assert.equal(record['SecurityAction'], 'block');
    assert.equal(record['SecurityRuleDescription'], 'HPE_HEADER_OVERFLOW');
    assert.equal(record['ClientRequestMethod'], 'GET');
    assert.equal(record['ClientRequestURI'], '/big?x=1');
    assert.equal(record['ClientRequestHost'], 'wiki.example.com');
    assert.equal(record['ClientRequestUserAgent'], 'flood/1');
    assert.equal(record['ClientIP'], '127.0.0.1');
    assert.ok((record['ClientSrcPort'] as number) > 0);
    assert.equal(record['_zone_id'], LOGGED_ZONE);
    assert.deepEqual(record['RequestHeaders'], {}, 'nothing of a refused head is logged beyond the request line');
  });

  it('answers a request line too long on its own with 414 and logs the start of its URI', async () => {
    const reply = await sendRaw(h.port, `GET /${'u'.repeat(20_000)} HTTP/1.1\r\nHost: wiki.example.com\r\n\r\n`);
    assert.equal(reply.status, 414, reply.text.slice(0, 200));
    const record = await recordFor(reply.rayId);
    assert.equal(record['EdgeResponseStatus'], 414);
    assert.equal(record['SecurityRuleDescription'], 'HPE_HEADER_OVERFLOW');
    assert.equal(String(record['ClientRequestURI']).length, 2048);
    assert.ok(String(record['ClientRequestURI']).startsWith('/uuu'));
  });

  it('answers a bad request line with 400 and logs it in malformed_request_zone when no host can be read', async () => {
    const reply = await sendRaw(h.port, 'GARBAGE\r\n\r\n');
    assert.equal(reply.status, 400);
    const record = await recordFor(reply.rayId);
    assert.equal(record['SecurityRuleDescription'], 'HPE_INVALID_METHOD');
    assert.equal(record['_zone_id'], QUIET_ZONE);
    assert.equal(record['ClientRequestHost'], '');
  });

  it('answers a bad header with 400, and counts every refusal in the metrics', async () => {
    const reply = await sendRaw(h.port, 'GET /x HTTP/1.1\r\nHost: wiki.example.com\r\nBad Header: x\r\n\r\n');
    assert.equal(reply.status, 400);
    const record = await recordFor(reply.rayId);
    assert.equal(record['SecurityRuleDescription'], 'HPE_INVALID_HEADER_TOKEN');
    assert.equal(record['ClientRequestURI'], '/x');
    const metrics = await h.gateway.metrics.registry.metrics();
    assert.match(metrics, /sluice_edge_client_errors_total\{status="431",code="HPE_HEADER_OVERFLOW"\} 1/);
    assert.match(metrics, /sluice_edge_client_errors_total\{status="414",code="HPE_HEADER_OVERFLOW"\} 1/);
    assert.match(metrics, /sluice_edge_client_errors_total\{status="400",code="HPE_INVALID_HEADER_TOKEN"\} 1/);
  });
});
