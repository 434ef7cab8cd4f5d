// Tests for the local addresses and credentials and their shell export lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { formatExports, localInfraEnv, shellQuote } from '../src/infra-env.js';
import type { InfraEnv } from '../src/infra-env.js';

test('the local env points at 127.0.0.1, never localhost, with the fixed local credentials', () => {
  assert.deepEqual(localInfraEnv(), {
    KAFKA_BROKERS: '127.0.0.1:9092',
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'sluice-local',
    S3_SECRET_ACCESS_KEY: 'sluice-local-secret',
  });
});

test('formatExports writes one newline-terminated export line per variable, safe values bare', () => {
  assert.equal(
    formatExports(localInfraEnv()),
    'export KAFKA_BROKERS=127.0.0.1:9092\n' +
      'export S3_ENDPOINT=http://127.0.0.1:9000\n' +
      'export S3_REGION=us-east-1\n' +
      'export S3_ACCESS_KEY_ID=sluice-local\n' +
      'export S3_SECRET_ACCESS_KEY=sluice-local-secret\n',
  );
});

test('values with spaces, quotes or shell syntax are single-quoted', () => {
  assert.equal(shellQuote('a b'), `'a b'`);
  assert.equal(shellQuote(`it's`), `'it'\\''s'`);
  assert.equal(shellQuote('$(rm -rf /)'), `'$(rm -rf /)'`);
  assert.equal(shellQuote(''), `''`);
});

test('a POSIX shell that evaluates the exports sees exactly the original values', () => {
  const env: InfraEnv = {
    KAFKA_BROKERS: 'host-a:9092,host-b:9092',
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: `key with 'quotes' and "doubles"`,
    S3_SECRET_ACCESS_KEY: 'sec$ret`cmd`\\n;*',
  };
  const script = `${formatExports(env)}printf '%s\\0' "$KAFKA_BROKERS" "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"`;
  const printed = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: {} }).split('\0');
  assert.deepEqual(printed.slice(0, 3), [env.KAFKA_BROKERS, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]);
});
