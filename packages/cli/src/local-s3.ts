// An S3 client for the object store named by S3_* settings (the local infrastructure's by default).
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '@sluice/destinations';
import { localInfraEnv } from '@sluice/infra-local';
import type { InfraEnv } from '@sluice/infra-local';

/** S3_* from the environment where set, the local infrastructure's values elsewhere. */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv = process.env): InfraEnv {
  const local = localInfraEnv();
  return {
    ...local,
    S3_ENDPOINT: env['S3_ENDPOINT'] ?? local.S3_ENDPOINT,
    S3_REGION: env['S3_REGION'] ?? local.S3_REGION,
    S3_ACCESS_KEY_ID: env['S3_ACCESS_KEY_ID'] ?? local.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: env['S3_SECRET_ACCESS_KEY'] ?? local.S3_SECRET_ACCESS_KEY,
  };
}

export function s3ClientFor(settings: InfraEnv): S3Client {
  return createS3Client({
    bucket: '',
    path: '',
    region: settings.S3_REGION,
    endpoint: settings.S3_ENDPOINT,
    credentials: { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY },
    serverSideEncryption: undefined,
  });
}
