// The one error type for Kafka security: a stable code, a retriable flag, and a message that never holds a secret.

export type KafkaSecurityErrorCode =
  /** A setting is missing, malformed or contradicts another; fix the configuration. */
  | 'KAFKA_SECURITY_INVALID'
  /** A CA, certificate, key or password file cannot be read or holds the wrong thing. */
  | 'KAFKA_SECURITY_FILE'
  /** The broker's certificate is not signed by a trusted CA, or does not name the broker. */
  | 'KAFKA_TLS_UNTRUSTED'
  /** The broker requires a client certificate and refused this one (or its absence). */
  | 'KAFKA_TLS_CLIENT_CERT_REFUSED'
  /** The broker refused the SASL login: wrong user name, password or mechanism. */
  | 'KAFKA_AUTH_FAILED';

export class KafkaSecurityError extends Error {
  override readonly name = 'KafkaSecurityError';
  readonly code: KafkaSecurityErrorCode;
  /** Never: each of these needs a change of configuration or credentials, not another try. */
  readonly retriable = false;

  constructor(code: KafkaSecurityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isKafkaSecurityError(error: unknown, code?: KafkaSecurityErrorCode): error is KafkaSecurityError {
  return error instanceof KafkaSecurityError && (code === undefined || error.code === code);
}
