// Structured JSON logs for every Sluice process: pino on stderr, with credentials redacted.
import { pino, destination as pinoDestination, stdSerializers } from 'pino';
import type { Logger, LevelWithSilent, DestinationStream } from 'pino';
import { redactText } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  /** Component name, e.g. `pusher`. */
  name: string;
  /** Minimum level; defaults to `SLUICE_LOG_LEVEL` or `info`. */
  level?: LevelWithSilent;
  /** Where lines go; defaults to stderr so that stdout stays free for command output. */
  destination?: DestinationStream;
}

// Keys that hold credentials wherever they appear in a log object.
const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'secretAccessKey',
  '*.secretAccessKey',
  'accessKeyId',
  '*.accessKeyId',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? (process.env['SLUICE_LOG_LEVEL'] as LevelWithSilent | undefined) ?? 'info';
  return pino(
    {
      name: options.name,
      level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // Error messages may quote a URL with credentials in its query string.
      serializers: { err: serializeError },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pinoDestination(2),
  );
}

function serializeError(err: unknown): unknown {
  const serialized = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (typeof serialized['message'] === 'string') serialized['message'] = redactText(serialized['message']);
  if (typeof serialized['stack'] === 'string') serialized['stack'] = redactText(serialized['stack']);
  return serialized;
}
