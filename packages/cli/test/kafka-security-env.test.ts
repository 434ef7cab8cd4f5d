// Tests that every Kafka command reads TLS and SASL from the KAFKA_* variables: a bad one stops it at once, named, without the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const SECRET = 'cli-env-secret-7';

for (const args of [['loadgen', '--records', '1'], ['api', '--port', '0']]) {
  test(`sluice ${args[0] ?? ''} refuses a bad KAFKA_SASL_MECHANISM before connecting, naming it and not the password`, () => {
    const env = { ...process.env, SLUICE_API_TOKEN: 'cli-test-token', KAFKA_BROKERS: '127.0.0.1:1', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-1', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET };
    const started = Date.now();
    const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 20_000 });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /KAFKA_SASL_MECHANISM: "SCRAM-SHA-1" is not allowed; expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512/);
    assert.ok(!run.stderr.includes(SECRET) && !run.stdout.includes(SECRET));
    assert.ok(Date.now() - started < 15_000);
  });
}
