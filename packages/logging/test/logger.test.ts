import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../src/logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('a logged error message never carries the secret from a destination URL', () => {
  const out = capture();
  const log = createLogger({ name: 't', destination: out.stream });
  log.error({ err: new Error('cannot reach s3://b?secret-access-key=hunter2') }, 'delivery failed');
  const [line] = out.lines();
  assert.ok(line);
  assert.ok(!JSON.stringify(line).includes('hunter2'));
  assert.equal((line['err'] as { message: string }).message, 'cannot reach s3://b?secret-access-key=REDACTED');
});

test('credential-named keys are censored in logged objects', () => {
  const out = capture();
  const log = createLogger({ name: 't', destination: out.stream });
  log.info({ request: { headers: { authorization: 'Bearer abc' } }, token: 'xyz' }, 'sent');
  const text = JSON.stringify(out.lines()[0]);
  assert.ok(!text.includes('Bearer abc'));
  assert.ok(!text.includes('xyz'));
});
