// The gzip helpers every kind uses: compress a request body, and read a batch body back as text.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** zlib's default level, as for the batches themselves. */
export const GZIP_LEVEL = 6;

export function gzipText(text: string): Promise<Buffer> {
  return gzipAsync(Buffer.from(text, 'utf8'), { level: GZIP_LEVEL });
}

/** The whole body as one string: only for small bodies; batches are read line by line with `gunzipLines`. */
export async function gunzipText(body: Buffer): Promise<string> {
  return (await gunzipAsync(body)).toString('utf8');
}
