// The destination conformance suite for s3:// against the real S3 server, through a fault-injecting proxy.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { defaultDestinations } from '@sluice/destinations';
import { createFaultProxy, defineDestinationConformance } from '@sluice/destination-conformance';
import { createTestBucket, listKeys, runTag, testEnv, testS3 } from '../../src/index.js';

defineDestinationConformance('s3', async () => {
  const env = testEnv();
  const s3: S3Client = testS3(env);
  const bucket = `conformance-${runTag()}`;
  await createTestBucket(s3, bucket);
  const proxy = await createFaultProxy(env.s3Endpoint);
  const query = new URLSearchParams({ region: env.s3Region, endpoint: proxy.url, 'access-key-id': env.accessKeyId, 'secret-access-key': env.secretAccessKey });
  const conf = `s3://${bucket}/conformance/{DATE}?${query.toString()}`;
  return {
    secret: env.secretAccessKey,
    create: () => defaultDestinations.create(conf),
    failNext: (count, status, headers) => proxy.failNext(count, status, headers),
    hangNext: () => proxy.hangNext(),
    async accepted() {
      const texts: string[] = [];
      for (const key of await listKeys(s3, bucket)) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        texts.push(gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8'));
      }
      return texts;
    },
    async close() {
      await proxy.close();
      s3.destroy();
    },
  };
});
