// Reads back what an object-store destination (s3://, r2://) stored: list keys by prefix, stream one object.
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../s3/s3-config.js';

export interface ListObjectsRequest {
  /** Keys that start with this; folders below it are not listed (delimiter "/"). */
  prefix: string;
  /** Only keys after this one, in key order (S3's StartAfter). */
  startAfter?: string;
  /** The previous page's `nextToken`. */
  continuationToken?: string;
}

export interface ListObjectsPage {
  /** In key order (UTF-8 binary order, as S3 lists). */
  keys: string[];
  /** Undefined on the last page. */
  nextToken: string | undefined;
}

/** The read side of one object-store destination; errors are the SDK's (classify them with classifyS3Error). */
export interface ObjectStoreReader {
  readonly bucket: string;
  /** The destination's path as written, possibly holding `{DATE}`; no leading or trailing slash. */
  readonly path: string;
  list(request: ListObjectsRequest, signal: AbortSignal): Promise<ListObjectsPage>;
  /** The object's stored bytes, as a stream read as far as the caller reads it. */
  read(key: string, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
  close(): void;
}

/** Over one SDK client (guarded by the address policy when the caller is the API). */
export function createObjectStoreReader(config: S3Config, client: S3Client): ObjectStoreReader {
  return {
    bucket: config.bucket,
    path: config.path,
    async list(request, signal) {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: config.bucket,
          Prefix: request.prefix,
          Delimiter: '/',
          ...(request.startAfter !== undefined ? { StartAfter: request.startAfter } : {}),
          ...(request.continuationToken !== undefined ? { ContinuationToken: request.continuationToken } : {}),
        }),
        { abortSignal: signal },
      );
      const keys = (page.Contents ?? []).map((entry) => entry.Key ?? '').filter((key) => key !== '');
      return { keys, nextToken: page.IsTruncated === true ? page.NextContinuationToken : undefined };
    },
    async read(key, signal) {
      const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }), { abortSignal: signal });
      const body = object.Body as Readable | undefined;
      if (body === undefined) throw new Error(`object ${key} has no body`);
      return body;
    },
    close() {
      client.destroy();
    },
  };
}
