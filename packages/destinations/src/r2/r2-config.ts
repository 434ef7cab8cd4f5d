// Reads `r2://bucket/dir/{DATE}?account-id=…&access-key-id=…&secret-access-key=…` into an S3 configuration.
import type { ParseResult } from '../destination.js';
import { parseS3Conf } from '../s3/s3-config.js';
import type { S3Config } from '../s3/s3-config.js';

const KNOWN_PARAMS = ['account-id', 'access-key-id', 'secret-access-key'];
const ACCOUNT_ID = /^[0-9a-f]{32}$/;

/**
 * R2 speaks the S3 API at `https://<account-id>.r2.cloudflarestorage.com` in region `auto`; keys are
 * required (R2 has no ambient credentials). Checked here, then read by the S3 parser so that bucket
 * and path rules are the same.
 */
export function parseR2Conf(conf: string): ParseResult<S3Config> {
  const match = /^r2:\/\/([^?]*)(?:\?(.*))?$/i.exec(conf);
  if (!match) return { ok: false, message: 'expected r2://bucket/path?account-id=ACCOUNT&access-key-id=ID&secret-access-key=SECRET' };
  const [, location = '', query = ''] = match;
  const params = new URLSearchParams(query);
  for (const name of params.keys()) {
    if (!KNOWN_PARAMS.includes(name)) return { ok: false, message: `unknown parameter "${name}"; known: ${KNOWN_PARAMS.join(', ')}` };
  }
  const accountId = params.get('account-id');
  if (accountId === null) return { ok: false, message: 'the account-id parameter is required (your Cloudflare account id)' };
  if (!ACCOUNT_ID.test(accountId)) return { ok: false, message: `account-id "${accountId}" is not a 32-character lowercase hex account id` };
  if (params.get('access-key-id') === null || params.get('secret-access-key') === null) {
    return { ok: false, message: 'access-key-id and secret-access-key are required for R2' };
  }
  const s3 = new URLSearchParams({
    region: 'auto',
    endpoint: `https://${accountId}.r2.cloudflarestorage.com`,
    'access-key-id': params.get('access-key-id') ?? '',
    'secret-access-key': params.get('secret-access-key') ?? '',
  });
  return parseS3Conf(`s3://${location}?${s3.toString()}`);
}
