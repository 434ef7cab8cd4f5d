// The `s3://` destination kind: AWS S3 and S3-compatible stores.
import type { DestinationPlugin } from '../destination.js';
import { parseS3Conf } from './s3-config.js';
import type { S3Config } from './s3-config.js';
import { createS3Destination } from './s3-destination.js';
import { s3Ownership } from './s3-ownership.js';

export const s3Plugin: DestinationPlugin<S3Config> = {
  kind: 's3',
  schemes: ['s3'],
  parse: parseS3Conf,
  create: (config) => createS3Destination(config),
  ownership: s3Ownership,
};
