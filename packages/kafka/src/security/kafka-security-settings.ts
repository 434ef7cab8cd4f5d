// What a Kafka client needs to reach a secured cluster: TLS files and a SASL login, as plain data a worker thread can receive.

/** SASL mechanisms kafkajs speaks and Sluice supports, lower-case as kafkajs spells them. */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** TLS to the brokers. Every field is optional: `{}` is TLS trusting the system's CAs. */
export interface KafkaTlsSettings {
  /** PEM file of the CA(s) that signed the brokers' certificates; replaces the system CAs. */
  readonly caFile?: string;
  /** PEM client certificate (chain), for brokers that require mutual TLS; needs `keyFile`. */
  readonly certFile?: string;
  /** PEM private key (unencrypted) of `certFile`. */
  readonly keyFile?: string;
  /** Name the brokers' certificates must carry, when it is not the broker address (an IP, a load balancer). */
  readonly serverName?: string;
}

/** A SASL login: the password inline (from the environment) or in a file, never both. */
export interface KafkaSaslSettings {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password?: string;
  readonly passwordFile?: string;
}

/** What to tell a reader that names a setting: the environment variable or the config file path it came from. */
export type SecurityField = 'ssl' | 'caFile' | 'certFile' | 'keyFile' | 'serverName' | 'mechanism' | 'username' | 'password' | 'passwordFile';

export interface KafkaSecuritySettings {
  /** Absent: plaintext. */
  readonly tls?: KafkaTlsSettings;
  /** Absent: no authentication. */
  readonly sasl?: KafkaSaslSettings;
  /** How each setting was named where it was read (default: the KAFKA_* variables), so that later errors name it the same way. */
  readonly names?: Readonly<Partial<Record<SecurityField, string>>>;
}

/** A plaintext, unauthenticated client: the local broker's default listener. */
export const PLAINTEXT_SECURITY: KafkaSecuritySettings = {};

/** The environment variable behind each setting. */
export const SECURITY_ENV_NAMES: Readonly<Record<SecurityField, string>> = {
  ssl: 'KAFKA_SSL',
  caFile: 'KAFKA_SSL_CA_FILE',
  certFile: 'KAFKA_SSL_CERT_FILE',
  keyFile: 'KAFKA_SSL_KEY_FILE',
  serverName: 'KAFKA_SSL_SERVER_NAME',
  mechanism: 'KAFKA_SASL_MECHANISM',
  username: 'KAFKA_SASL_USERNAME',
  password: 'KAFKA_SASL_PASSWORD',
  passwordFile: 'KAFKA_SASL_PASSWORD_FILE',
};

/** The name a setting goes by in messages about `settings`. */
export function settingName(settings: KafkaSecuritySettings, field: SecurityField): string {
  return settings.names?.[field] ?? SECURITY_ENV_NAMES[field];
}
