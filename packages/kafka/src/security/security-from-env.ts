// Reads Kafka security from KAFKA_SSL* and KAFKA_SASL_* environment variables, the way Kafka clients are usually configured.
import { KafkaSecurityError } from './kafka-security-error.js';
import { SECURITY_ENV_NAMES } from './kafka-security-settings.js';
import type { KafkaSecuritySettings, SecurityField } from './kafka-security-settings.js';
import { validateKafkaSecurity } from './validate-security.js';
import type { RawSecurity, SecurityIssue } from './validate-security.js';

const KNOWN = new Set(Object.values(SECURITY_ENV_NAMES));

/**
 * The settings the environment describes (none set: plaintext). Throws KAFKA_SECURITY_INVALID listing every
 * problem, including a misspelt KAFKA_SSL_* / KAFKA_SASL_* variable, which would otherwise be ignored silently.
 */
export function kafkaSecurityFromEnv(env: Readonly<Record<string, string | undefined>>): KafkaSecuritySettings {
  const raw: Partial<Record<SecurityField, string>> = {};
  for (const [field, name] of Object.entries(SECURITY_ENV_NAMES) as [SecurityField, string][]) {
    const value = env[name];
    if (value !== undefined) raw[field] = value;
  }
  const unknown: SecurityIssue[] = Object.keys(env)
    .filter((name) => /^KAFKA_(SSL|SASL)(_|$)/.test(name) && !KNOWN.has(name))
    .map((name) => ({ name, message: `is not a Kafka security setting; known: ${[...KNOWN].join(', ')}` }));
  const result = validateKafkaSecurity(raw satisfies RawSecurity, SECURITY_ENV_NAMES);
  const issues = [...unknown, ...(result.ok ? [] : result.issues)];
  if (issues.length > 0 || !result.ok) throw securityInvalid(issues);
  return result.settings;
}

export function securityInvalid(issues: readonly SecurityIssue[]): KafkaSecurityError {
  const lines = issues.map((issue) => `  ${issue.name}: ${issue.message}`).join('\n');
  return new KafkaSecurityError('KAFKA_SECURITY_INVALID', `Kafka security settings are invalid:\n${lines}`);
}
