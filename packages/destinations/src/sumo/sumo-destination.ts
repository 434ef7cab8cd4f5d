// A Sumo Logic HTTP source: batches go as generic HTTP; the ownership challenge goes as one named message.
import { gzipSync } from 'node:zlib';
import type { Destination } from '../destination.js';
import { createHttpDestination } from '../http/http-destination.js';
import type { HttpDestinationOptions } from '../http/http-destination.js';
import type { SumoConfig } from './sumo-config.js';

/**
 * There is no file to write at a Sumo source, so the challenge token is posted as one log message
 * whose source name (`X-Sumo-Name`) is the challenge file name: search `_sourceName=ownership-challenge-*`.
 */
export function createSumoDestination(config: SumoConfig, options: HttpDestinationOptions = {}): Destination {
  return {
    ...createHttpDestination(config, options),
    kind: 'sumo',
    writeChallenge(key, content, signal) {
      const named = createHttpDestination({ ...config, headers: [...config.headers.filter(([name]) => name.toLowerCase() !== 'x-sumo-name'), ['X-Sumo-Name', key]] }, options);
      const now = Date.now();
      const text = `${content}\n`;
      return named.deliver({ body: gzipSync(text), records: 1, uncompressedBytes: Buffer.byteLength(text), startTimeMs: now, endTimeMs: now, suffix: key }, signal);
    },
  };
}
