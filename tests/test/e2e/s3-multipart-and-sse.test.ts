// Large batches go to the real S3 server in parts, `sse` reaches every write, and an aborted upload leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, createS3Destination, parseS3Conf, S3_MIN_PART_BYTES } from '@sluice/destinations';
import type { DeliveryBatch, Destination, MultipartSettings, S3Config } from '@sluice/destinations';
import { createTestBucket, listKeys, runTag, s3DestinationConf, testEnv, testS3 } from '../../src/index.js';

const env = testEnv();
const bucket = `multipart-${runTag()}`;
const MULTIPART: MultipartSettings = { thresholdBytes: S3_MIN_PART_BYTES, partBytes: S3_MIN_PART_BYTES, concurrency: 2 };
let s3: S3Client;

interface SentRequest {
  command: string;
  headers: Record<string, string>;
}

/** A destination on the real S3 server whose client records every request it sends. */
function destinationFor(conf: string): { destination: Destination; sent: SentRequest[] } {
  const parsed = parseS3Conf(conf);
  assert.ok(parsed.ok);
  const config: S3Config = parsed.config;
  const client = createS3Client(config);
  const sent: SentRequest[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      sent.push({ command: String(context.commandName), headers: { ...request.headers } });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordRequests' },
  );
  return { destination: createS3Destination(config, { client, multipart: MULTIPART }), sent };
}

function batch(body: Buffer, suffix: string): DeliveryBatch {
  const now = Date.now();
  return { body, records: 1, uncompressedBytes: body.length, startTimeMs: now, endTimeMs: now, suffix };
}

async function storedBytes(key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

before(async () => {
  s3 = testS3(env);
  await createTestBucket(s3, bucket);
});

after(() => s3?.destroy());

void test('a batch above the threshold is uploaded in parts and stored byte for byte', async () => {
  const body = randomBytes(2 * S3_MIN_PART_BYTES + 123_457);
  const { destination, sent } = destinationFor(s3DestinationConf(env, bucket, 'large'));
  const result = await destination.deliver(batch(body, 'big'), AbortSignal.timeout(60_000));
  await destination.close();
  assert.equal(result.status, 'delivered', JSON.stringify(result));
  const key = result.status === 'delivered' ? result.location.replace(`s3://${bucket}/`, '') : '';
  assert.ok((await storedBytes(key)).equals(body), 'the stored object is the batch body');
  const commands = sent.map((request) => request.command);
  assert.deepEqual(commands.filter((c) => c === 'UploadPartCommand').length, 3, `three parts: ${commands.join(', ')}`);
  assert.ok(commands.includes('CreateMultipartUploadCommand') && commands.includes('CompleteMultipartUploadCommand'));
  assert.ok(!commands.includes('PutObjectCommand'));
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  assert.equal(head.ContentLength, body.length);
});

void test('a batch below the threshold is one PutObject', async () => {
  const body = randomBytes(1024);
  const { destination, sent } = destinationFor(s3DestinationConf(env, bucket, 'small'));
  const result = await destination.deliver(batch(body, 'small'), AbortSignal.timeout(30_000));
  await destination.close();
  assert.equal(result.status, 'delivered', JSON.stringify(result));
  assert.deepEqual(sent.map((request) => request.command), ['PutObjectCommand']);
});

void test('sse=AES256 is sent with single and multipart writes, and a store without SSE refuses for good', async () => {
  // The local S3 server implements no server-side encryption and answers 501: that must be a
  // rejection naming the cause, never a retry loop, and never a silent unencrypted write.
  const conf = `${s3DestinationConf(env, bucket, 'encrypted')}&sse=AES256`;
  const { destination, sent } = destinationFor(conf);
  const small = await destination.deliver(batch(randomBytes(100), 'sse-small'), AbortSignal.timeout(30_000));
  const large = await destination.deliver(batch(randomBytes(S3_MIN_PART_BYTES + 10), 'sse-large'), AbortSignal.timeout(60_000));
  await destination.close();
  for (const result of [small, large]) {
    assert.equal(result.status, 'rejected', JSON.stringify(result));
    assert.match(result.status === 'rejected' ? result.message : '', /Server-side encryption is not supported/);
  }
  const starts = sent.filter((request) => request.command === 'PutObjectCommand' || request.command === 'CreateMultipartUploadCommand');
  assert.equal(starts.length, 2);
  for (const request of starts) assert.equal(request.headers['x-amz-server-side-encryption'], 'AES256', request.command);
  assert.deepEqual((await listKeys(s3, bucket)).filter((key) => key.startsWith('encrypted/')), []);
});

void test('an upload aborted part-way is not delivered and leaves no object or open upload behind', async () => {
  const body = randomBytes(3 * S3_MIN_PART_BYTES);
  const { destination, sent } = destinationFor(s3DestinationConf(env, bucket, 'aborted'));
  const controller = new AbortController();
  const delivery = destination.deliver(batch(body, 'aborted'), controller.signal);
  // Abort once the first part is on its way.
  while (!sent.some((request) => request.command === 'UploadPartCommand')) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  const result = await delivery;
  assert.notEqual(result.status, 'delivered', JSON.stringify(result));
  // Give the abort of the multipart upload a moment to reach the store.
  let uploads = 1;
  for (let i = 0; i < 50 && uploads > 0; i++) {
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'aborted/' }));
    uploads = open.Uploads?.length ?? 0;
    if (uploads > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await destination.close();
  assert.equal(uploads, 0, 'the multipart upload was aborted at the store');
  assert.deepEqual((await listKeys(s3, bucket)).filter((key) => key.startsWith('aborted/')), []);
});
