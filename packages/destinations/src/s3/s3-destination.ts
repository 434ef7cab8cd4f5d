// Stores each batch as one gzip object under a Logpush-style key.
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { objectKey, testObjectKey } from '../object-key.js';
import { redactUrl } from '@sluice/logging';
import type { DeliveryResult, Destination } from '../destination.js';
import type { S3Config } from './s3-config.js';
import { classifyS3Error } from './classify-s3-error.js';
import { DEFAULT_MULTIPART, putObject } from './s3-upload.js';
import type { MultipartSettings } from './s3-upload.js';

/** `agents`: the http and https Agents requests go through (guarded ones for the API's writes); the SDK's own otherwise. */
export function createS3Client(config: S3Config, agents?: { httpAgent: HttpAgent; httpsAgent: HttpsAgent }): S3Client {
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
    ...(agents !== undefined ? { requestHandler: agents } : {}),
    // Retries belong to Sluice's retry decorator, which also keeps offsets uncommitted meanwhile.
    maxAttempts: 1,
  });
}

export interface S3DestinationOptions {
  client?: S3Client;
  multipart?: MultipartSettings;
  /** The kind and URI scheme shown in locations: `s3` (default) or `r2`. */
  scheme?: string;
}

export function createS3Destination(config: S3Config, options: S3DestinationOptions = {}): Destination {
  const client = options.client ?? createS3Client(config);
  const multipart = options.multipart ?? DEFAULT_MULTIPART;
  const where = `s3://${config.bucket}/${config.path}${config.endpoint ? ` at ${redactUrl(config.endpoint)}` : ''}`;
  const scheme = options.scheme ?? 's3';
  const store = async (key: string, body: Buffer, signal: AbortSignal, contentType = 'application/gzip'): Promise<DeliveryResult> => {
    try {
      await putObject(client, config, { key, body, contentType }, signal, multipart);
      return { status: 'delivered', location: `${scheme}://${config.bucket}/${key}` };
    } catch (error) {
      return classifyS3Error(error);
    }
  };
  return {
    kind: scheme,
    description: where,
    deliver: (batch, signal) => store(objectKey({ path: config.path, startTimeMs: batch.startTimeMs, endTimeMs: batch.endTimeMs, suffix: batch.suffix }), batch.body, signal),
    validate: (body, signal) => store(testObjectKey(config.path, Date.now()), body, signal),
    // The ownership challenge: a small plain-text object, with the destination's server-side encryption.
    writeChallenge: (key, content, signal) => store(key, Buffer.from(content, 'utf8'), signal, 'text/plain; charset=utf-8'),
    close() {
      client.destroy();
      return Promise.resolve();
    },
  };
}
