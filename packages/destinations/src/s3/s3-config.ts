// Reads `s3://bucket/dir/{DATE}?region=…[&endpoint=…][&access-key-id=…&secret-access-key=…][&sse=AES256]`.
import type { ParseResult } from '../destination.js';

export interface S3Config {
  bucket: string;
  /** Key prefix inside the bucket, possibly holding `{DATE}`; no leading or trailing slash. */
  path: string;
  region: string;
  /** Full endpoint URL for S3-compatible stores; undefined for AWS itself. */
  endpoint: string | undefined;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  serverSideEncryption: 'AES256' | 'aws:kms' | undefined;
}

const KNOWN_PARAMS = new Set(['region', 'endpoint', 'access-key-id', 'secret-access-key', 'sse']);
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Conf(conf: string): ParseResult<S3Config> {
  const match = /^s3:\/\/([^/?]*)(\/[^?]*)?(?:\?(.*))?$/i.exec(conf);
  if (!match) return fail('expected s3://bucket/path?region=REGION');
  const [, bucket = '', rawPath = '', query = ''] = match;
  if (!BUCKET_NAME.test(bucket)) {
    return fail(`bucket "${bucket}" is not a valid S3 bucket name (3-63 characters of a-z, 0-9, "." and "-")`);
  }
  const params = new URLSearchParams(query);
  for (const name of params.keys()) {
    if (!KNOWN_PARAMS.has(name)) return fail(`unknown parameter "${name}"; known: ${[...KNOWN_PARAMS].join(', ')}`);
  }
  const region = params.get('region');
  if (!region) return fail('the region parameter is required, e.g. s3://bucket/path?region=us-east-1');
  const endpointParam = params.get('endpoint');
  let endpoint: string | undefined;
  if (endpointParam) {
    endpoint = /^https?:\/\//i.test(endpointParam) ? endpointParam : `https://${endpointParam}`;
    try {
      new URL(endpoint);
    } catch {
      return fail(`endpoint "${endpointParam}" is not a host[:port] or URL`);
    }
  }
  const accessKeyId = params.get('access-key-id');
  const secretAccessKey = params.get('secret-access-key');
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    return fail('access-key-id and secret-access-key go together: give both or neither');
  }
  const sse = params.get('sse');
  if (sse !== null && sse !== 'AES256' && sse !== 'aws:kms') return fail(`sse "${sse}" is not supported; use AES256 or aws:kms`);
  let path: string;
  try {
    path = decodeURIComponent(rawPath).replace(/^\/+|\/+$/g, '');
  } catch {
    return fail('the path is not valid percent-encoding');
  }
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) return fail('the path may not contain "." or ".." segments');
  return {
    ok: true,
    config: {
      bucket,
      path,
      region,
      endpoint,
      credentials: accessKeyId !== null && secretAccessKey !== null ? { accessKeyId, secretAccessKey } : undefined,
      serverSideEncryption: sse ?? undefined,
    },
  };
}

function fail(message: string): ParseResult<S3Config> {
  return { ok: false, message };
}
