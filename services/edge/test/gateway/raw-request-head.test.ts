import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REFUSED_URI_CHARS, readRawRequestHead } from '../../src/gateway/raw-request-head.js';

test('reads the request line, Host and User-Agent of a refused head, cut and without control characters', () => {
  const head = readRawRequestHead(Buffer.from(`POST /${'x'.repeat(5000)} HTTP/1.1\r\nUser-Agent: a\u0001b\r\nhost: Wiki.Example.com:8443\r\nX: y\r\n\r\nbody host: no`, 'latin1'));
  assert.equal(head.method, 'POST');
  assert.equal(head.protocol, 'HTTP/1.1');
  assert.equal(head.uri.length, MAX_REFUSED_URI_CHARS);
  assert.equal(head.host, 'wiki.example.com:8443');
  assert.equal(head.userAgent, 'a\ufffdb');
  assert.equal(head.requestLineChars, 5016);
});

test('knows nothing of bytes that are not a request line, or of no bytes at all', () => {
  assert.deepEqual({ ...readRawRequestHead(Buffer.from('GARBAGE\r\nHost: x\r\n\r\n')), bytes: 0 }, { protocol: '', method: '', host: '', uri: '', userAgent: '', referer: '', xRequestedWith: '', bytes: 0, requestLineChars: 8 });
  assert.equal(readRawRequestHead(undefined).method, '');
});
