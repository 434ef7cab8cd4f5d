// Stores each batch as one gzip object under a Logpush-style key.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectKey, testObjectKey } from '../object-key.js';
import { redactUrl } from '@sluice/logging';
import type { Destination } from '../destination.js';
import type { S3Config } from './s3-config.js';
import { classifyS3Error } from './classify-s3-error.js';

export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint !== undefined
      ? {
          endpoint: config.endpoint,
          // S3-compatible stores want path-style addressing and plain (not aws-chunked) bodies.
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    // Retries belong to Sluice's retry decorator, which also keeps offsets uncommitted meanwhile.
    maxAttempts: 1,
  });
}

export function createS3Destination(config: S3Config, client: S3Client = createS3Client(config)): Destination {
  const where = `s3://${config.bucket}/${config.path}${config.endpoint ? ` at ${redactUrl(config.endpoint)}` : ''}`;
  return {
    kind: 's3',
    description: where,
    async deliver(batch, signal) {
      const key = objectKey({ path: config.path, startTimeMs: batch.startTimeMs, endTimeMs: batch.endTimeMs, suffix: batch.suffix });
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: config.bucket,
            Key: key,
            Body: batch.body,
            ContentType: 'application/gzip',
            ...(config.serverSideEncryption ? { ServerSideEncryption: config.serverSideEncryption } : {}),
          }),
          { abortSignal: signal },
        );
        return { status: 'delivered', location: `s3://${config.bucket}/${key}` };
      } catch (error) {
        return classifyS3Error(error);
      }
    },
    async validate(body, signal) {
      const key = testObjectKey(config.path, Date.now());
      try {
        await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, ContentType: 'application/gzip', ...(config.serverSideEncryption ? { ServerSideEncryption: config.serverSideEncryption } : {}) }), {
          abortSignal: signal,
        });
        return { status: 'delivered', location: `s3://${config.bucket}/${key}` };
      } catch (error) {
        return classifyS3Error(error);
      }
    },
    close() {
      client.destroy();
      return Promise.resolve();
    },
  };
}
