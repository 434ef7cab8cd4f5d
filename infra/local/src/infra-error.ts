// The one error type infra-local throws; callers and tests match on its stable `code`.

/** Every failure infra-local reports, one code per distinct cause and remedy. */
export type InfraErrorCode =
  | 'INFRA_JAVA_MISSING'
  | 'INFRA_JAVA_TOO_OLD'
  | 'INFRA_MAVEN_MISSING'
  | 'INFRA_MAVEN_FAILED'
  | 'INFRA_CLICKHOUSE_MISSING'
  | 'INFRA_LAYOUT_UNKNOWN'
  | 'INFRA_LOCK_TIMEOUT'
  | 'INFRA_PORT_IN_USE'
  | 'INFRA_BAD_PORT'
  | 'INFRA_BAD_USER'
  | 'INFRA_NO_FREE_PORT'
  | 'INFRA_KAFKA_FORMAT_FAILED'
  | 'INFRA_CERTIFICATES_FAILED'
  | 'INFRA_SPAWN_FAILED'
  | 'INFRA_PROCESS_EXITED'
  | 'INFRA_READY_TIMEOUT'
  | 'INFRA_STOP_FAILED'
  | 'INFRA_DISPOSED';

export class InfraError extends Error {
  override readonly name = 'InfraError';
  readonly code: InfraErrorCode;

  constructor(code: InfraErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isInfraError(error: unknown, code?: InfraErrorCode): error is InfraError {
  return error instanceof InfraError && (code === undefined || error.code === code);
}
