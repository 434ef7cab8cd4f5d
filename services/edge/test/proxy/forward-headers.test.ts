import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forwardedResponseHeaders, strippedRequestHeaders, withGatewayHeaders } from '../../src/proxy/forward-headers.js';

const identity = { user: 'alice@example.com', email: 'alice@example.com', token: 'verified.jwt.token' };
const context = { clientIp: '198.51.100.7', scheme: 'https' as const, rayId: '0123456789abcdef' };

test('identity headers a client sends never reach the origin; the gateway\'s own replace them', () => {
  const incoming = {
    host: 'wiki.example.com',
    'cf-access-user': 'root',
    'cf-access-authenticated-user-email': 'ceo@example.com',
    'cf-access-jwt-assertion': 'forged',
    'cf-ray': 'ffffffffffffffff',
    'cf-connecting-ip': '10.0.0.1',
    accept: 'text/html',
  };
  const out = withGatewayHeaders(strippedRequestHeaders(incoming), identity, context, incoming);
  assert.equal(out['cf-access-user'], 'alice@example.com');
  assert.equal(out['cf-access-authenticated-user-email'], 'alice@example.com');
  assert.equal(out['cf-access-jwt-assertion'], 'verified.jwt.token');
  assert.equal(out['cf-ray'], '0123456789abcdef');
  assert.equal(out['cf-connecting-ip'], '198.51.100.7');
  assert.equal(out['accept'], 'text/html');
  assert.equal(out['host'], 'wiki.example.com');
});

test('hop-by-hop headers, and those the Connection header names, are not forwarded', () => {
  const incoming = { connection: 'keep-alive, X-Internal-Hop', 'keep-alive': 'timeout=5', 'x-internal-hop': '1', 'transfer-encoding': 'chunked', upgrade: 'websocket', 'proxy-authorization': 'Basic Zm9v', te: 'trailers, deflate', 'x-kept': 'yes' };
  const out = strippedRequestHeaders(incoming);
  assert.deepEqual(Object.keys(out).sort(), ['te', 'x-kept']);
  assert.equal(out['te'], 'trailers');
});

test('X-Forwarded-For appends the client to what earlier proxies said; proto and host are the gateway\'s', () => {
  const incoming = { host: 'wiki.example.com:8443', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'http' };
  const out = withGatewayHeaders(strippedRequestHeaders(incoming), identity, context, incoming);
  assert.equal(out['x-forwarded-for'], '203.0.113.9, 198.51.100.7');
  assert.equal(out['x-forwarded-proto'], 'https');
  assert.equal(out['x-forwarded-host'], 'wiki.example.com:8443');
  const fresh = withGatewayHeaders(strippedRequestHeaders({}), identity, context, {});
  assert.equal(fresh['x-forwarded-for'], '198.51.100.7');
});

test('response headers lose hop-by-hop ones and gain the RayID', () => {
  const out = forwardedResponseHeaders({ 'content-type': 'text/html', connection: 'close', 'transfer-encoding': 'chunked', 'set-cookie': ['a=1', 'b=2'] }, 'abcdefabcdefabcd');
  assert.deepEqual(out, { 'content-type': 'text/html', 'set-cookie': ['a=1', 'b=2'], 'cf-ray': 'abcdefabcdefabcd' });
});
