// Checks Kafka security settings purely, from the environment or a config file section: every issue names its
// setting and shows the bad value, except a password's, which is never shown.
import { SASL_MECHANISMS } from './kafka-security-settings.js';
import type { KafkaSaslSettings, KafkaSecuritySettings, KafkaTlsSettings, SaslMechanism, SecurityField } from './kafka-security-settings.js';

/** Settings as read: strings from the environment; strings or booleans from JSON. */
export type RawSecurity = Readonly<Partial<Record<SecurityField, unknown>>>;

export interface SecurityIssue {
  /** The setting as its reader knows it, e.g. `KAFKA_SASL_MECHANISM` or `/kafka/sasl/mechanism`. */
  readonly name: string;
  readonly message: string;
}

export type SecurityValidation = { readonly ok: true; readonly settings: KafkaSecuritySettings } | { readonly ok: false; readonly issues: readonly SecurityIssue[] };

const SECRET_FIELDS: ReadonlySet<SecurityField> = new Set(['password']);
const MECHANISM_LIST = 'PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512';
const SERVER_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Validates `raw`, naming each setting with `names` (environment variables or config paths). */
export function validateKafkaSecurity(raw: RawSecurity, names: Readonly<Record<SecurityField, string>>): SecurityValidation {
  const issues: SecurityIssue[] = [];
  const add = (field: SecurityField, message: string): undefined => {
    issues.push({ name: names[field], message });
    return undefined;
  };
  const text = (field: SecurityField): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string') return value;
    return add(field, SECRET_FIELDS.has(field) ? 'is not a string' : `${show(value)} is not allowed; expected a string`);
  };

  const ssl = readBoolean(raw.ssl, (message) => add('ssl', message), names.ssl);
  const tlsFields = { caFile: text('caFile'), certFile: text('certFile'), keyFile: text('keyFile'), serverName: text('serverName') };
  const setTls = (Object.keys(tlsFields) as (keyof typeof tlsFields)[]).filter((key) => tlsFields[key] !== undefined);
  if (ssl === false && setTls.length > 0) add('ssl', `is false, but ${setTls.map((key) => names[key]).join(' and ')} ${setTls.length > 1 ? 'are' : 'is'} set: TLS settings need TLS; drop one or the other`);
  if (tlsFields.certFile !== undefined && tlsFields.keyFile === undefined) add('keyFile', `is required when ${names.certFile} is set: the client certificate's private key`);
  if (tlsFields.keyFile !== undefined && tlsFields.certFile === undefined) add('certFile', `is required when ${names.keyFile} is set: the certificate of that private key`);
  if (tlsFields.serverName !== undefined && !SERVER_NAME.test(tlsFields.serverName)) add('serverName', `${show(tlsFields.serverName)} is not a host name (example: kafka.example.com)`);
  const tls: KafkaTlsSettings | undefined = ssl === true || (ssl === undefined && setTls.length > 0) ? definedOnly(tlsFields) : undefined;

  const sasl = readSasl(raw, text, add, names);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, settings: { ...(tls !== undefined ? { tls } : {}), ...(sasl !== undefined ? { sasl } : {}) } };
}

function readBoolean(value: unknown, add: (message: string) => undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && TRUE.has(value.toLowerCase())) return true;
  if (typeof value === 'string' && FALSE.has(value.toLowerCase())) return false;
  return add(`${show(value)} is not allowed; expected true or false (example: ${name}=true)`);
}

function readSasl(
  raw: RawSecurity,
  text: (field: SecurityField) => string | undefined,
  add: (field: SecurityField, message: string) => undefined,
  names: Readonly<Record<SecurityField, string>>,
): KafkaSaslSettings | undefined {
  const mechanismText = text('mechanism');
  const username = text('username');
  const password = text('password');
  const passwordFile = text('passwordFile');
  if (mechanismText === undefined) {
    const given = (['username', 'password', 'passwordFile'] as const).filter((field) => raw[field] !== undefined && raw[field] !== '');
    if (given.length > 0) add('mechanism', `is required when ${given.map((field) => names[field]).join(' and ')} ${given.length > 1 ? 'are' : 'is'} set: ${MECHANISM_LIST} (example: ${names.mechanism}=SCRAM-SHA-512)`);
    return undefined;
  }
  const mechanism = SASL_MECHANISMS.find((m) => m === mechanismText.toLowerCase());
  if (mechanism === undefined) add('mechanism', `${show(mechanismText)} is not allowed; expected ${MECHANISM_LIST}`);
  if (username === undefined) add('username', `is required with ${names.mechanism}: the SASL user name`);
  if (password !== undefined && passwordFile !== undefined) add('password', `is set together with ${names.passwordFile}; set one of them`);
  if (password === undefined && passwordFile === undefined) {
    // A config file offers only password_file (passwords stay out of config files): both then go by one name.
    const what = names.password === names.passwordFile ? 'a file holding the SASL password' : `or ${names.passwordFile} is required with ${names.mechanism}: the SASL password, or a file holding it`;
    add('password', names.password === names.passwordFile ? `is required with ${names.mechanism}: ${what}` : what);
  }
  if (mechanism === undefined || username === undefined) return undefined;
  const secret = password !== undefined ? { password } : passwordFile !== undefined ? { passwordFile } : undefined;
  return secret === undefined ? undefined : { mechanism: mechanism satisfies SaslMechanism, username, ...secret };
}

function definedOnly(fields: Record<keyof KafkaTlsSettings, string | undefined>): KafkaTlsSettings {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) settings[key] = value;
  return settings;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}
