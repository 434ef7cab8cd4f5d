// The `r2://` destination kind: Cloudflare R2 through its S3-compatible API.
import type { DestinationPlugin } from '../destination.js';
import type { S3Config } from '../s3/s3-config.js';
import { createS3Destination } from '../s3/s3-destination.js';
import { s3ChallengeLocation } from '../s3/s3-ownership.js';
import { parseR2Conf } from './r2-config.js';

export const r2Plugin: DestinationPlugin<S3Config> = {
  kind: 'r2',
  schemes: ['r2'],
  parse: parseR2Conf,
  create: (config) => createS3Destination(config, { scheme: 'r2' }),
  /** Logpush does not require the challenge for R2: its keys are always in the conf and prove access. */
  ownership: { required: () => false, locate: (config, nowMs) => s3ChallengeLocation(config, nowMs, 'r2') },
};
