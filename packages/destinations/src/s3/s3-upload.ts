// Puts one object: a single PutObject for ordinary batches, a multipart upload for large ones.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Config } from './s3-config.js';

export interface MultipartSettings {
  /** Bodies larger than this go up in parts (default 16 MiB). */
  thresholdBytes: number;
  /** Size of each part but the last; S3 requires at least 5 MiB (default 8 MiB). */
  partBytes: number;
  /** Parts in flight at once (default 4). The body is already in memory, so this costs no extra copies. */
  concurrency: number;
}

export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;

export const DEFAULT_MULTIPART: MultipartSettings = { thresholdBytes: 16 * 1024 * 1024, partBytes: 8 * 1024 * 1024, concurrency: 4 };

export interface PutRequest {
  key: string;
  body: Buffer;
  contentType: string;
}

/**
 * Throws the SDK's error on failure (the caller classifies it). A failed or aborted multipart upload
 * is aborted at the store, so no orphaned parts keep costing storage.
 */
export async function putObject(client: S3Client, config: S3Config, request: PutRequest, signal: AbortSignal, multipart: MultipartSettings = DEFAULT_MULTIPART): Promise<void> {
  const params = {
    Bucket: config.bucket,
    Key: request.key,
    Body: request.body,
    ContentType: request.contentType,
    ...(config.serverSideEncryption ? { ServerSideEncryption: config.serverSideEncryption } : {}),
  };
  if (request.body.length <= multipart.thresholdBytes) {
    await client.send(new PutObjectCommand(params), { abortSignal: signal });
    return;
  }
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) controller.abort();
    const upload = new Upload({
      client,
      params,
      partSize: Math.max(S3_MIN_PART_BYTES, multipart.partBytes),
      queueSize: multipart.concurrency,
      leavePartsOnError: false,
      abortController: controller,
    });
    await upload.done();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
