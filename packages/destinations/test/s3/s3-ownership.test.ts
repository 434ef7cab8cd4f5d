import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3ChallengeLocation, s3Ownership } from '../../src/s3/s3-ownership.js';
import { createS3Destination } from '../../src/s3/s3-destination.js';
import { parseS3Conf } from '../../src/s3/s3-config.js';
import type { S3Config } from '../../src/s3/s3-config.js';

function config(conf: string): S3Config {
  const parsed = parseS3Conf(conf);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

/** A client that records what it was sent, and how often it was destroyed. */
function recordingClient(fail?: Error): { client: S3Client; inputs: Record<string, unknown>[]; destroyed: () => number } {
  const inputs: Record<string, unknown>[] = [];
  let destroyed = 0;
  const client = {
    send: (command: { input: Record<string, unknown> }) => {
      inputs.push(command.input);
      return fail ? Promise.reject(fail) : Promise.resolve({});
    },
    destroy: () => {
      destroyed += 1;
    },
  } as unknown as S3Client;
  return { client, inputs, destroyed: () => destroyed };
}

const T0 = Date.UTC(2026, 0, 31, 12);

test('the challenge goes to the day folder of {DATE}, and the store is the endpoint host or AWS', () => {
  assert.deepEqual(s3ChallengeLocation(config('s3://logs/http/{DATE}/edge?region=us-east-1&endpoint=Storage.Example.com:8443'), T0), {
    store: 'storage.example.com:8443',
    bucket: 'logs',
    dir: 'http/20260131/edge',
    display: 's3://logs/http/20260131/edge',
  });
  assert.equal(s3ChallengeLocation(config('s3://logs?region=us-east-1'), T0).store, 'aws');
});

test('Sluice asks for the challenge only when it would write with its own credentials', () => {
  assert.equal(s3Ownership.required(config('s3://logs?region=us-east-1')), true);
  assert.equal(s3Ownership.required(config('s3://logs?region=us-east-1&access-key-id=AK&secret-access-key=SK')), false);
});

test('the challenge is put as plain text at the key, with the destination’s server-side encryption', async () => {
  const { client, inputs } = recordingClient();
  const destination = createS3Destination(config('s3://logs/http?region=us-east-1&sse=AES256'), { client });
  const result = await destination.writeChallenge?.('http/ownership-challenge-1a2b3c4d.txt', 'v1.abc.def', new AbortController().signal);
  assert.deepEqual(result, { status: 'delivered', location: 's3://logs/http/ownership-challenge-1a2b3c4d.txt' });
  assert.deepEqual(inputs, [{ Bucket: 'logs', Key: 'http/ownership-challenge-1a2b3c4d.txt', Body: Buffer.from('v1.abc.def'), ContentType: 'text/plain; charset=utf-8', ServerSideEncryption: 'AES256' }]);
});

test('a failed put is classified like any S3 failure', async () => {
  const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  const { client } = recordingClient(denied);
  const result = await createS3Destination(config('s3://logs?region=us-east-1'), { client }).writeChallenge?.('ownership-challenge-1a2b3c4d.txt', 'v1.abc.def', new AbortController().signal);
  assert.equal(result?.status, 'rejected');
});

test('an R2 destination names its challenge location r2://', async () => {
  const { client } = recordingClient();
  const result = await createS3Destination(config('s3://logs?region=auto'), { client, scheme: 'r2' }).writeChallenge?.('ownership-challenge-1a2b3c4d.txt', 'v1.abc.def', new AbortController().signal);
  assert.deepEqual(result, { status: 'delivered', location: 'r2://logs/ownership-challenge-1a2b3c4d.txt' });
});
