// Reads a node:http(s) response into memory, up to a limit: the transports that cannot use fetch share it.
import type { IncomingMessage } from 'node:http';

export interface RawReply {
  statusCode: number;
  statusMessage: string;
  /** A header's value when it came once, else null. */
  header(name: string): string | null;
  /** At most `maxBytes` of the body, as UTF-8; the rest is read and dropped. */
  body: string;
}

/** Rejects when the connection closes before the reply is complete: no verdict can be read from half a reply. */
export function readReply(response: IncomingMessage, maxBytes: number): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      if (bytes < maxBytes) chunks.push(chunk);
      bytes += chunk.length;
    });
    response.on('error', reject);
    response.once('close', () => {
      if (!response.complete) reject(new Error('the connection closed before the reply was complete'));
    });
    response.once('end', () => {
      resolve({
        statusCode: response.statusCode ?? 0,
        statusMessage: response.statusMessage ?? '',
        header: (name) => {
          const value = response.headers[name];
          return typeof value === 'string' ? value : null;
        },
        body: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'),
      });
    });
  });
}
