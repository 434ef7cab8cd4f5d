// Secrets from files, as Kubernetes mounts them: NAME_FILE names a file whose content becomes NAME.
import { readFileSync } from 'node:fs';

/**
 * The secrets that may come from a file. Kafka's SASL password (KAFKA_SASL_PASSWORD_FILE), its TLS material
 * (KAFKA_SSL_*_FILE) and the API's tokens (SLUICE_API_TOKENS_FILE) are read from files already; destination
 * credentials live in destination_conf (a jobs file, or the job store).
 */
export const FILE_SECRETS = ['SLUICE_API_TOKEN', 'SLUICE_OWNERSHIP_KEY', 'SLUICE_OWNERSHIP_PREVIOUS_KEYS', 'KAFKA_SASL_USERNAME', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

export type EnvFilesResult = { ok: true; loaded: string[] } | { ok: false; code: 'ENV_FILE_CONFLICT' | 'ENV_FILE_UNREADABLE' | 'ENV_FILE_EMPTY'; message: string };

/**
 * Sets each NAME of FILE_SECRETS whose NAME_FILE is set to that file's content, a trailing newline removed. Refuses
 * NAME and NAME_FILE together, an unreadable file and an empty one, naming the variable and the path, never the
 * content. `env` is changed only when every file was read.
 */
export function loadEnvFiles(env: NodeJS.ProcessEnv, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): EnvFilesResult {
  const values = new Map<string, string>();
  for (const name of FILE_SECRETS) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    if ((env[name] ?? '') !== '') return { ok: false, code: 'ENV_FILE_CONFLICT', message: `${name} and ${name}_FILE are both set: set one of them` };
    let content: string;
    try {
      content = read(path);
    } catch (error) {
      return { ok: false, code: 'ENV_FILE_UNREADABLE', message: `${name}_FILE names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    const value = content.replace(/\r?\n$/, '');
    if (value === '') return { ok: false, code: 'ENV_FILE_EMPTY', message: `${name}_FILE names ${path}, which is empty` };
    values.set(name, value);
  }
  for (const [name, value] of values) env[name] = value;
  return { ok: true, loaded: [...values.keys()] };
}
