// Where cross-service tests find Kafka and S3: the environment set by tests/bin/with-infra.mjs.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createKafkaClient, parseBrokers } from '@sluice/kafka';
import { createLogger } from '@sluice/logging';
import type { Kafka } from 'kafkajs';

export interface TestEnv {
  brokers: string[];
  s3Endpoint: string;
  s3Region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function testEnv(): TestEnv {
  const brokers = process.env['KAFKA_BROKERS'];
  const s3Endpoint = process.env['S3_ENDPOINT'];
  if (!brokers || !s3Endpoint) {
    throw new Error('KAFKA_BROKERS and S3_ENDPOINT are not set: run cross-service tests through `npm run test:e2e`');
  }
  return {
    brokers: parseBrokers(brokers),
    s3Endpoint,
    s3Region: process.env['S3_REGION'] ?? 'us-east-1',
    accessKeyId: process.env['S3_ACCESS_KEY_ID'] ?? 'sluice-local',
    secretAccessKey: process.env['S3_SECRET_ACCESS_KEY'] ?? 'sluice-local-secret',
  };
}

/** A short random tag that keeps one run's zones, buckets and job ids apart from every other run's. */
export function runTag(): string {
  return randomBytes(4).toString('hex');
}

export function testKafka(env: TestEnv, clientId: string): Kafka {
  return createKafkaClient({ brokers: env.brokers, clientId, logger: createLogger({ name: clientId, level: 'warn' }) });
}

export function testS3(env: TestEnv): S3Client {
  return new S3Client({
    region: env.s3Region,
    endpoint: env.s3Endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  });
}

export async function createTestBucket(s3: S3Client, name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
}

/** `s3://bucket/path?…` for the test S3 server, with its credentials. */
export function s3DestinationConf(env: TestEnv, bucket: string, path: string): string {
  const query = new URLSearchParams({
    region: env.s3Region,
    endpoint: env.s3Endpoint,
    'access-key-id': env.accessKeyId,
    'secret-access-key': env.secretAccessKey,
  });
  return `s3://${bucket}/${path}?${query.toString()}`;
}
