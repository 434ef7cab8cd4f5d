// Tests `sluice api`'s address-policy and rate-limit flags on a real process listening on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const ZONE = '0123456789abcdef0123456789abcdef';
const TOKEN = 'api-command-test-token';
const ENV = { ...process.env, SLUICE_API_TOKEN: TOKEN, SLUICE_ALLOW_DESTINATION_HOSTS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

test('a bad --allow-destination-hosts entry stops the command, naming the flag and the entry', () => {
  const run = spawnSync(process.execPath, [BIN, 'api', '--memory', '--port', '0', '--allow-destination-hosts', '127.0.0.1,not a host'], { encoding: 'utf8', env: ENV, timeout: 20_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /--allow-destination-hosts \(or \$SLUICE_ALLOW_DESTINATION_HOSTS\): "not a host" is not a host name, an IP address or a CIDR block/);
});

test('the allow-list and the rate limit given as flags are in force on the served API', async (t) => {
  const child = spawn(process.execPath, [BIN, 'api', '--memory', '--port', '0', '--allow-destination-hosts', '127.0.0.1', '--rate-limit', '3'], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGTERM'));
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start: ${output}`)), 20_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /serving (http:\/\/127\.0\.0\.1:\d+\/client\/v4)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
  const validate = (destination_conf: string) =>
    fetch(`${base}/zones/${ZONE}/logpush/validate/destination`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ destination_conf }) });

  const privateHost = await validate('http://10.0.0.1:8080/in');
  assert.equal(privateHost.status, 400);
  assert.equal(((await privateHost.json()) as { errors: Array<{ code: number }> }).errors[0]?.code, 1012);
  // Allowed, and nothing listens on port 1: the API tried, on loopback, and says so.
  const loopback = await validate('http://127.0.0.1:1/in');
  assert.equal(loopback.status, 200);
  assert.deepEqual(((await loopback.json()) as { result: unknown }).result, { valid: false, message: 'the destination failed (it may pass later) [HTTP_CONNECTION]' });
  await validate('http://127.0.0.1:1/in');
  const limited = await validate('http://127.0.0.1:1/in');
  assert.equal(limited.status, 429);
  assert.ok(limited.headers.get('retry-after'));
});
