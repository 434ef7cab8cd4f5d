// `sluice cat s3://bucket/key`: prints a stored batch, un-gzipped, from the configured S3 endpoint.
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '@sluice/destinations';
import { localInfraEnv } from '@sluice/infra-local';

export function registerCatCommand(program: Command): void {
  program
    .command('cat')
    .description('print a stored object, decompressed (uses S3_ENDPOINT and keys from the environment, else the local ones)')
    .argument('<location>', 's3://bucket/key')
    .action(async (location: string) => {
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
      if (!match) throw new Error(`expected s3://bucket/key, got "${location}"`);
      const local = localInfraEnv();
      const env = process.env;
      const client = createS3Client({
        bucket: match[1] ?? '',
        path: '',
        region: env['S3_REGION'] ?? local.S3_REGION,
        endpoint: env['S3_ENDPOINT'] ?? local.S3_ENDPOINT,
        credentials: {
          accessKeyId: env['S3_ACCESS_KEY_ID'] ?? local.S3_ACCESS_KEY_ID,
          secretAccessKey: env['S3_SECRET_ACCESS_KEY'] ?? local.S3_SECRET_ACCESS_KEY,
        },
        serverSideEncryption: undefined,
      });
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
        const bytes = Buffer.from(await object.Body!.transformToByteArray());
        process.stdout.write(location.endsWith('.gz') ? gunzipSync(bytes) : bytes);
      } finally {
        client.destroy();
      }
    });
}
