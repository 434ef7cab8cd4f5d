// Reads back what a job stored: every object's key and its gunzipped lines.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

export interface StoredObject {
  key: string;
  /** The whole gunzipped body, byte for byte as UTF-8 text. */
  text: string;
  lines: string[];
}

/** Every key of the bucket, or only those under `prefix`, sorted. */
export async function listKeys(s3: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Every object of the bucket (or under `prefix`). Throws if an object is not valid gzip: that is part of what the tests check. */
export async function readStoredObjects(s3: S3Client, bucket: string, prefix?: string): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for (const key of await listKeys(s3, bucket, prefix)) {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = Buffer.from(await response.Body!.transformToByteArray());
    const text = gunzipSync(body).toString('utf8');
    objects.push({ key, text, lines: text.split('\n').filter((line) => line !== '') });
  }
  return objects;
}

/** JSON.parse that keeps integers beyond 2^53 exact, as strings, for comparison. */
export function parseExactJson(line: string): Record<string, unknown> {
  return JSON.parse(line.replace(/:(-?\d{16,})(?=[,}])/g, ':"#$1"')) as Record<string, unknown>;
}
