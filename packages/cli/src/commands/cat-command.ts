// `sluice cat s3://bucket/key`: prints a stored batch, un-gzipped, from the configured S3 endpoint.
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3ClientFor, s3SettingsFromEnv } from '../local-s3.js';

export function registerCatCommand(program: Command): void {
  program
    .command('cat')
    .description('print a stored object, decompressed (uses S3_ENDPOINT and keys from the environment, else the local ones)')
    .argument('<location>', 's3://bucket/key')
    .action(async (location: string) => {
      // `sluice cat … | head` closes the pipe early; that is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
      if (!match) throw new Error(`expected s3://bucket/key, got "${location}"`);
      const client = s3ClientFor(s3SettingsFromEnv());
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
        const bytes = Buffer.from(await object.Body!.transformToByteArray());
        process.stdout.write(location.endsWith('.gz') ? gunzipSync(bytes) : bytes);
      } finally {
        client.destroy();
      }
    });
}
