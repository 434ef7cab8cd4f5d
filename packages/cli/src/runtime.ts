// What every command needs from its environment: a logger, the Kafka client, clean shutdown on signals.
import { InvalidArgumentError } from 'commander';
import { createLogger } from '@sluice/logging';
import type { Logger } from '@sluice/logging';
import { createKafkaClient, parseBrokers } from '@sluice/kafka';
import type { Kafka } from 'kafkajs';

export const DEFAULT_BROKERS = '127.0.0.1:9092';

export function kafkaFromEnv(logger: Logger, clientId: string): Kafka {
  return createKafkaClient({ brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS), clientId, logger });
}

export function commandLogger(name: string): Logger {
  return createLogger({ name });
}

/** Runs `stop` on the first SIGINT or SIGTERM; a second signal exits at once. */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void> | void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`\nsluice: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    void Promise.resolve(stop(signal)).catch((error: unknown) => {
      process.stderr.write(`sluice: shutdown failed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Prints a line for people on stderr; stdout is kept for results and JSON. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function parsePositiveNumber(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${text}"`);
    return value;
  };
}

export function parsePort(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new InvalidArgumentError(`${name} must be a port number from 0 to 65535, got "${text}"`);
    return value;
  };
}
