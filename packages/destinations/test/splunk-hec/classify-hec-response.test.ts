import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyHecReply } from '../../src/splunk-hec/classify-hec-response.js';
import type { HecReply } from '../../src/splunk-hec/classify-hec-response.js';
import { classifyHecFailure } from '../../src/splunk-hec/classify-hec-failure.js';

function reply(statusCode: number, body: unknown, retryAfter?: string): HecReply {
  return { statusCode, retryAfter, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

test('a 200 with code 0 is accepted, and so is a 200 with a code that names no failure', () => {
  assert.deepEqual(classifyHecReply(reply(200, { text: 'Success', code: 0 })), { status: 'accepted' });
  assert.deepEqual(classifyHecReply(reply(200, { text: 'Success', code: 0, ackId: 7 })), { status: 'accepted' });
  // e.g. a newer "approaching capacity" warning: the data was taken, resending would duplicate it.
  assert.deepEqual(classifyHecReply(reply(200, { text: 'queue approaching capacity', code: 24 })), { status: 'accepted' });
  assert.deepEqual(classifyHecReply(reply(200, '')), { status: 'accepted' });
});

test('a 200 whose code names a failure is judged by the code', () => {
  assert.deepEqual(classifyHecReply(reply(200, { text: 'Invalid data format', code: 6 })), {
    status: 'rejected',
    code: 'HEC_INVALID_DATA_FORMAT',
    message: 'Splunk HEC answered HTTP 200, code 6: Invalid data format',
  });
  assert.equal(classifyHecReply(reply(200, { text: 'Server is busy', code: 9 })).status, 'retryable');
});

test('invalid data, a missing channel and other 400s are rejected with their HEC code', () => {
  assert.deepEqual(classifyHecReply(reply(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 75 })), {
    status: 'rejected',
    code: 'HEC_INVALID_DATA_FORMAT',
    message: 'Splunk HEC answered HTTP 400, code 6: Invalid data format (first invalid event: 75)',
  });
  assert.deepEqual(
    [7, 10, 11, 12, 13].map((code) => {
      const verdict = classifyHecReply(reply(400, { text: 'x', code }));
      return verdict.status === 'rejected' ? verdict.code : verdict.status;
    }),
    ['HEC_INCORRECT_INDEX', 'HEC_DATA_CHANNEL_MISSING', 'HEC_INVALID_DATA_CHANNEL', 'HEC_EVENT_FIELD_REQUIRED', 'HEC_EVENT_FIELD_BLANK'],
  );
  assert.deepEqual(classifyHecReply(reply(404, '<html>Not Found</html>')), { status: 'rejected', code: 'HEC_HTTP_404', message: 'Splunk HEC answered HTTP 404: <html>Not Found</html>' });
});

test('token problems (401, 403) are rejected', () => {
  assert.deepEqual(classifyHecReply(reply(401, { text: 'Token is required', code: 2 })), { status: 'rejected', code: 'HEC_TOKEN_REQUIRED', message: 'Splunk HEC answered HTTP 401, code 2: Token is required' });
  assert.equal(classifyHecReply(reply(401, { text: 'Invalid authorization', code: 3 })).status, 'rejected');
  assert.equal(classifyHecReply(reply(403, { text: 'Invalid token', code: 4 })).status, 'rejected');
  assert.equal(classifyHecReply(reply(403, { text: 'Token disabled', code: 1 })).status, 'rejected');
  assert.equal(classifyHecReply(reply(403, 'Forbidden by proxy')).status, 'rejected');
});

test('413 means too large, whatever the body says', () => {
  assert.deepEqual(classifyHecReply(reply(413, 'Content-Length of 5000 too large (maximum is 1000)')), { status: 'too-large' });
  assert.deepEqual(classifyHecReply(reply(413, { text: 'Success', code: 0 })), { status: 'too-large' });
});

test('server busy (503 code 9) and 429 are retryable and carry Retry-After', () => {
  assert.deepEqual(classifyHecReply(reply(503, { text: 'Server is busy', code: 9 }, '7')), {
    status: 'retryable',
    code: 'HEC_SERVER_BUSY',
    message: 'Splunk HEC answered HTTP 503, code 9: Server is busy',
    retryAfterMs: 7000,
  });
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  const throttled = classifyHecReply(reply(429, 'slow down', 'Wed, 21 Oct 2026 07:28:30 GMT'), now);
  assert.deepEqual(throttled, { status: 'retryable', code: 'HEC_HTTP_429', message: 'Splunk HEC answered HTTP 429: slow down', retryAfterMs: 30_000 });
  const busyWithoutHint = classifyHecReply(reply(503, { text: 'Server is busy', code: 9 }));
  assert.equal(busyWithoutHint.status, 'retryable');
  assert.ok(!('retryAfterMs' in busyWithoutHint));
});

test('other 5xx, HEC internal errors and unhealthy queues are retryable', () => {
  assert.equal(classifyHecReply(reply(500, { text: 'Internal server error', code: 8 })).status, 'retryable');
  assert.equal(classifyHecReply(reply(503, { text: 'HEC is unhealthy, queues are full', code: 18 })).status, 'retryable');
  assert.deepEqual(classifyHecReply(reply(502, '<html>\n  <body>Bad Gateway</body>\n</html>')), {
    status: 'retryable',
    code: 'HEC_HTTP_502',
    message: 'Splunk HEC answered HTTP 502: <html> <body>Bad Gateway</body> </html>',
  });
});

test('a redirect is not followed but rejected: it would carry the token elsewhere', () => {
  assert.equal(classifyHecReply(reply(302, '')).status, 'rejected');
});

test('no reply: network trouble and timeouts are retryable, certificate problems rejected, aborts retryable', () => {
  const failure = (code: string, message = 'boom'): unknown => Object.assign(new Error(message), { code });
  assert.deepEqual(classifyHecFailure(failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), {
    status: 'retryable',
    code: 'HEC_NETWORK_ECONNREFUSED',
    message: 'Splunk HEC request failed: connect ECONNREFUSED 127.0.0.1:1',
  });
  assert.equal(classifyHecFailure(failure('ECONNRESET')).status, 'retryable');
  assert.equal(classifyHecFailure(new Error('something odd')).status, 'retryable');
  const timedOut = classifyHecFailure(failure('HEC_TIMEOUT', 'no reply within 30000 ms'));
  assert.deepEqual([timedOut.status, timedOut.code], ['retryable', 'HEC_TIMEOUT']);
  assert.deepEqual(classifyHecFailure(failure('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')), {
    status: 'rejected',
    code: 'HEC_TLS_DEPTH_ZERO_SELF_SIGNED_CERT',
    message: 'Splunk HEC request failed: self-signed certificate',
  });
  assert.equal(classifyHecFailure(failure('ERR_TLS_CERT_ALTNAME_INVALID')).status, 'rejected');
  assert.equal(classifyHecFailure(failure('ERR_SSL_WRONG_VERSION_NUMBER')).status, 'rejected');
  const aborted = classifyHecFailure(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
  assert.deepEqual([aborted.status, aborted.code], ['retryable', 'HEC_ABORTED']);
});
