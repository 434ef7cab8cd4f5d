import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { parseThreadHeapFlag, parseThreadsFlag } from '../src/commands/pusher-command.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

function pusherWith(jobs: unknown): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
  const file = join(dir, 'jobs.json');
  writeFileSync(file, typeof jobs === 'string' ? jobs : JSON.stringify(jobs));
  const run = spawnSync(process.execPath, [BIN, 'pusher', '--jobs', file], { encoding: 'utf8', env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' } });
  return { status: run.status, stderr: run.stderr };
}

const SECRET = 'do-not-print-me';
const job = {
  id: 3,
  name: 'audit',
  dataset: 'http_requests',
  zone_id: '0123456789abcdef0123456789abcdef',
  destination_conf: `s3://logs/http?region=us-east-1&access-key-id=AK&secret-access-key=${SECRET}`,
  output_options: { field_names: ['ClientIP'] },
};

test('a malformed jobs file exits 2 naming the job and the field, before touching Kafka', () => {
  const run = pusherWith({ jobs: [{ ...job, max_upload_records: 5 }] });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /\/jobs\/0\/max_upload_records: job #0 id 3 "audit": 5 is not allowed; expected an integer from 1,000 to 1,000,000/);
});

test('a bad destination is reported without its secret', () => {
  const run = pusherWith({ jobs: [{ ...job, destination_conf: `s3://logs/http?access-key-id=AK&secret-access-key=${SECRET}` }] });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /\/jobs\/0\/destination_conf: job #0 id 3 "audit": the region parameter is required/);
  assert.ok(!run.stderr.includes(SECRET));
});

test('a file that is not JSON is refused with the parser message', () => {
  const run = pusherWith('{"jobs": [');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /not valid JSON/);
});

function pusher(args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, 'pusher', ...args], { encoding: 'utf8', env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' } });
  return { status: run.status, stderr: run.stderr };
}

test('without --jobs or --store the pusher refuses to start and says which to give', () => {
  const run = pusher([]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--jobs <file>.*--store kafka/);
});

test('--jobs and --store together are refused, and a store other than kafka is refused', () => {
  const both = pusher(['--jobs', 'jobs.json', '--store', 'kafka']);
  assert.notEqual(both.status, 0);
  assert.match(both.stderr, /--jobs <file>' cannot be used with option '--store <kind>'/);
  const other = pusher(['--store', 'postgres']);
  assert.notEqual(other.status, 0);
  assert.match(other.stderr, /Allowed choices are kafka/);
});

test('--threads takes an integer from 1 to 64', () => {
  assert.equal(parseThreadsFlag('1'), 1);
  assert.equal(parseThreadsFlag('2'), 2);
  assert.equal(parseThreadsFlag('64'), 64);
  for (const bad of ['0', '65', '2.5', 'all', '-1']) {
    assert.throws(() => parseThreadsFlag(bad), (error: unknown) => error instanceof InvalidArgumentError && error.message === `--threads must be an integer from 1 to 64 (e.g. 4), got "${bad}"`, bad);
  }
});

test('--thread-heap-mb takes a whole number of MB from 128 to 65536, and names itself and the value otherwise', () => {
  assert.equal(parseThreadHeapFlag('128'), 128);
  assert.equal(parseThreadHeapFlag('2048'), 2048);
  for (const bad of ['127', '65537', '512.5', 'lots', '']) {
    assert.throws(() => parseThreadHeapFlag(bad), (error: unknown) => error instanceof InvalidArgumentError && error.message === `--thread-heap-mb must be a whole number of MB from 128 to 65536, got "${bad}"`, bad);
  }
});

test('a bad --threads stops the pusher before it starts, naming the flag and the value', () => {
  const run = pusher(['--jobs', 'jobs.json', '--threads', '65']);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /--threads must be an integer from 1 to 64 \(e\.g\. 4\), got "65"/);
});
