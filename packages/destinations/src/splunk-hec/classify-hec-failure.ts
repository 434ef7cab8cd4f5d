// Judges a request that got no HEC reply at all: network trouble (retry), a certificate problem (give up), abort, timeout.
import { redactText } from '@sluice/logging';
import type { Failure } from './classify-hec-response.js';

/** The transport's own error codes, for the two ways a request ends without a reply by our choice. */
export const HEC_TIMEOUT = 'HEC_TIMEOUT';
export const HEC_ABORTED = 'HEC_ABORTED';

// Node's certificate-verification failures (from OpenSSL's X509_V_ERR_* names) and its hostname check.
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

export function classifyHecFailure(error: unknown): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = redactText(`Splunk HEC request failed: ${typeof e.message === 'string' ? e.message : String(error)}`);
  if (code === HEC_TIMEOUT) return { status: 'retryable', code: HEC_TIMEOUT, message };
  // Shutting down is not a fault of the batch: it can be delivered later, so it is not rejected.
  if (e.name === 'AbortError' || code === HEC_ABORTED) return { status: 'retryable', code: HEC_ABORTED, message };
  // A certificate that cannot be trusted, or TLS spoken to a plain-HTTP port, will not mend itself
  // between two attempts: rejected, so it is reported loudly, until someone fixes the certificate,
  // trusts its CA, or (knowingly) sets insecure-skip-verify=true.
  if (code !== undefined && (CERTIFICATE_CODES.has(code) || code.startsWith('ERR_SSL_'))) return { status: 'rejected', code: `HEC_TLS_${code}`, message };
  // Refused, reset, DNS hiccups and anything unforeseen: worth another try.
  return { status: 'retryable', code: `HEC_NETWORK_${code ?? 'ERROR'}`, message };
}
