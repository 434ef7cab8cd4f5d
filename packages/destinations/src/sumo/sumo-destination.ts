// A Sumo Logic HTTP source: batches go as generic HTTP; the ownership challenge goes as one named message.
import type { Destination } from '../destination.js';
import { gzipText } from '../gzip/gzip-text.js';
import { createHttpClient } from '../http-client/http-client.js';
import { createHttpDestination, DEFAULT_HTTP_TIMEOUT_MS } from '../http/http-destination.js';
import type { HttpDestinationOptions } from '../http/http-destination.js';
import { EXCERPT_BYTES } from '../http/response-excerpt.js';
import type { SumoConfig } from './sumo-config.js';

/**
 * There is no file to write at a Sumo source, so the challenge token is posted as one log message
 * whose source name (`X-Sumo-Name`) is the challenge file name: search `_sourceName=ownership-challenge-*`.
 */
export function createSumoDestination(config: SumoConfig, options: HttpDestinationOptions = {}): Destination {
  // One client for batches and challenges alike, closed with the destination.
  const transport = options.transport ?? createHttpClient({ timeoutMs: options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS, maxReplyBytes: EXCERPT_BYTES });
  const shared = { ...options, transport };
  return {
    ...createHttpDestination(config, shared),
    kind: 'sumo',
    async writeChallenge(key, content, signal) {
      const named = createHttpDestination({ ...config, headers: [...config.headers.filter(([name]) => name.toLowerCase() !== 'x-sumo-name'), ['X-Sumo-Name', key]] }, shared);
      const now = Date.now();
      const text = `${content}\n`;
      return named.deliver({ body: await gzipText(text), records: 1, uncompressedBytes: Buffer.byteLength(text), startTimeMs: now, endTimeMs: now, suffix: key }, signal);
    },
  };
}
