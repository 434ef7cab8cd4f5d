// Reads the TLS and SASL settings of the edge config's "kafka" section, checked by the same rules as the KAFKA_* variables.
import { showValue } from '@sluice/pipeline';
import { validateKafkaSecurity } from '@sluice/kafka';
import type { KafkaSecuritySettings, RawSecurity, SecurityField } from '@sluice/kafka';

/** Each setting's path in the config file; a config file names a password file, never a password. */
const PATHS: Readonly<Record<SecurityField, string>> = {
  ssl: '/kafka/tls',
  caFile: '/kafka/tls/ca_file',
  certFile: '/kafka/tls/cert_file',
  keyFile: '/kafka/tls/key_file',
  serverName: '/kafka/tls/server_name',
  mechanism: '/kafka/sasl/mechanism',
  username: '/kafka/sasl/username',
  password: '/kafka/sasl/password_file',
  passwordFile: '/kafka/sasl/password_file',
};
const TLS_KEYS = { ca_file: 'caFile', cert_file: 'certFile', key_file: 'keyFile', server_name: 'serverName' } as const;
const SASL_KEYS = { mechanism: 'mechanism', username: 'username', password_file: 'passwordFile' } as const;

export const KAFKA_SECTION_KEYS = ['brokers', 'tls', 'sasl'] as const;

/**
 * `"tls": true | {"ca_file", "cert_file", "key_file", "server_name"}` and `"sasl": {"mechanism", "username", "password_file"}`.
 * Neither present: undefined, and the KAFKA_SSL* / KAFKA_SASL_* variables apply. Files resolve against the config's folder.
 */
export function readKafkaSecurity(
  kafka: Readonly<Record<string, unknown>>,
  file: (path: string) => string,
  add: (path: string, message: string) => void,
): KafkaSecuritySettings | undefined {
  if (kafka['tls'] === undefined && kafka['sasl'] === undefined) return undefined;
  const raw: Partial<Record<SecurityField, unknown>> = {};
  const tls = kafka['tls'];
  if (typeof tls === 'boolean') raw.ssl = tls;
  else if (tls !== undefined) copySection(tls, '/kafka/tls', TLS_KEYS, raw, add, '{"ca_file": "kafka-ca.pem"} or true');
  if (kafka['sasl'] !== undefined) copySection(kafka['sasl'], '/kafka/sasl', SASL_KEYS, raw, add, '{"mechanism": "SCRAM-SHA-512", "username": "edge", "password_file": "/run/secrets/kafka-password"}');
  for (const field of ['caFile', 'certFile', 'keyFile', 'passwordFile'] as const) {
    const path = raw[field];
    if (typeof path === 'string' && path !== '') raw[field] = file(path);
  }
  const result = validateKafkaSecurity(raw satisfies RawSecurity, PATHS);
  if (!result.ok) {
    for (const issue of result.issues) add(issue.name, issue.message);
    return undefined;
  }
  return { ...result.settings, names: PATHS };
}

function copySection(
  value: unknown,
  path: string,
  keys: Readonly<Record<string, SecurityField>>,
  raw: Partial<Record<SecurityField, unknown>>,
  add: (path: string, message: string) => void,
  example: string,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    add(path, `${showValue(value)} is not allowed; expected ${example}`);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = keys[key];
    if (field !== undefined) raw[field] = item;
    else if (key === 'password') add(`${path}/password`, 'is not allowed: keep the password out of the config file; name a file holding it (password_file)');
    else add(`${path}/${key}`, `"${key}" is not a setting here; allowed: ${Object.keys(keys).join(', ')}`);
  }
}
