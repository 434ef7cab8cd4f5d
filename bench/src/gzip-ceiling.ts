// The gzip ceiling: the pipeline's own NDJSON bytes through the same gzip level and chunking, no Kafka.
import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import { getDataset } from '@sluice/schemas';
import { createNdjsonRenderer, GZIP_LEVEL } from '@sluice/pipeline';
import { syntheticTraffic } from '@sluice/edge';

export interface GzipCeiling {
  recordsPerSecond: number;
  ndjsonBytes: number;
  gzipBytes: number;
}

export async function measureGzipCeiling(records: number, fields: readonly string[], zones: readonly string[], seed: number): Promise<GzipCeiling> {
  const render = createNdjsonRenderer(getDataset('http_requests'), { fieldNames: fields, timestampFormat: 'unixnano' });
  const traffic = syntheticTraffic({ zones, seed, startTimeMs: Date.now() });
  const chunks: Buffer[] = [];
  let pending = '';
  let ndjsonBytes = 0;
  for (let i = 0; i < records; i++) {
    pending += render(traffic.next().value.record);
    if (pending.length >= 64 * 1024) {
      chunks.push(Buffer.from(pending));
      pending = '';
    }
  }
  if (pending) chunks.push(Buffer.from(pending));
  for (const chunk of chunks) ndjsonBytes += chunk.length;

  const started = performance.now();
  const gzip = createGzip({ level: GZIP_LEVEL });
  let gzipBytes = 0;
  gzip.on('data', (chunk: Buffer) => (gzipBytes += chunk.length));
  for (const chunk of chunks) gzip.write(chunk);
  gzip.end();
  await once(gzip, 'end');
  const seconds = (performance.now() - started) / 1000;
  return { recordsPerSecond: records / seconds, ndjsonBytes, gzipBytes };
}
