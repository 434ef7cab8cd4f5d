// `sluice api`'s access-log index: where its SQLite file lives and how long each kind of event is kept.
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import { createAccessIndex } from '@sluice/api';
import type { AccessIndex } from '@sluice/api';
import { DEFAULT_ACCESS_RETENTION } from '@sluice/kafka';
import type { Logger } from '@sluice/logging';

const DAY_MS = 86_400_000;

export interface AccessIndexFlags {
  accessIndex?: string;
  accessAllowedDays: number;
  accessDeniedDays: number;
}

export function addAccessIndexOptions(command: Command): Command {
  return command
    .option('--access-index <file>', 'keep the access-log index (GET /accounts/{id}/access/logs/access_requests) in this SQLite file and catch it up at start (default: in memory, rebuilt from Kafka at every start)')
    .option('--access-allowed-days <d>', 'days allowed logins stay in the access-log index; the topic keeps events for the longer of the two', parseDays('--access-allowed-days'), DEFAULT_ACCESS_RETENTION.allowedMs / DAY_MS)
    .option('--access-denied-days <d>', 'days denied attempts stay in the access-log index', parseDays('--access-denied-days'), DEFAULT_ACCESS_RETENTION.deniedMs / DAY_MS);
}

export function openAccessIndex(kafka: Kafka, flags: AccessIndexFlags, logger: Logger): AccessIndex {
  return createAccessIndex({
    kafka,
    logger,
    retention: { allowedMs: flags.accessAllowedDays * DAY_MS, deniedMs: flags.accessDeniedDays * DAY_MS },
    ...(flags.accessIndex !== undefined ? { path: flags.accessIndex } : {}),
  });
}

function parseDays(name: string) {
  return (text: string): number => {
    const days = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || !(days > 0) || days > 36_500) throw new InvalidArgumentError(`${name} must be a number of days above 0, e.g. 7; got "${text}"`);
    return days;
  };
}
