// `sluice ownership <destination_conf>` writes Logpush's ownership challenge; `sluice ownership verify` checks a token.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createOwnershipChallenge, defaultDestinations, ownershipKeysFromEnv, ownershipScope, verifyOwnership } from '@sluice/destinations';
import type { OwnershipKeyring, OwnershipScope } from '@sluice/destinations';
import { parsePositiveNumber, say } from '../runtime.js';

interface ScopeFlags {
  zone?: string;
  account?: string;
}

const CONF_HELP = 'a destination URI as a job would hold it, e.g. s3://bucket/dir/{DATE}?region=us-east-1';

export function registerOwnershipCommand(program: Command): void {
  const ownership = program
    .command('ownership')
    .description(
      'write an ownership challenge into a destination (object stores: <dir>/ownership-challenge-<id>.txt, {DATE} expanded); ' +
        'the token in that file goes into the job as ownership_challenge. Tokens are signed with SLUICE_OWNERSHIP_KEY (32+ bytes)',
    )
    .argument('<destination_conf>', CONF_HELP)
    .option('--zone <id>', 'the zone the job belongs to (32 hex characters)')
    .option('--account <id>', 'the account the job belongs to (32 hex characters)')
    .option('--timeout <seconds>', 'give up after this long', parsePositiveNumber('--timeout'), 30)
    .action(async (conf: string, flags: ScopeFlags & { timeout: number }) => {
      const setup = prepare(flags);
      if (!setup) return;
      const result = await createOwnershipChallenge({
        registry: defaultDestinations,
        destinationConf: conf,
        scope: setup.scope,
        key: setup.keyring.current,
        signal: AbortSignal.timeout(flags.timeout * 1000),
      });
      switch (result.status) {
        case 'written':
          // stdout: the file's key, for scripts; the token itself is only in the file.
          process.stdout.write(`${result.filename}\n`);
          say(`ownership challenge ${result.message}`);
          return;
        case 'not_supported':
          say(`no ownership challenge needed: ${result.message}`);
          return;
        case 'invalid':
          usage(`invalid destination_conf: ${result.message}`);
          return;
        default:
          say(`ownership challenge not written: ${result.status === 'retryable' ? 'failed (may pass later)' : 'refused'}: ${result.code}: ${result.message}`);
          process.exitCode = 1;
      }
    });

  ownership
    .command('verify')
    .description('check an ownership_challenge token against a destination and a zone or account: exit 0 valid, 1 refused, 2 usage')
    .argument('<destination_conf>', CONF_HELP)
    .option('--token <token|@file>', 'the token, or @path to a file holding it (@- reads standard input)')
    .option('--zone <id>', 'the zone the job belongs to (32 hex characters)')
    .option('--account <id>', 'the account the job belongs to (32 hex characters)')
    .action((conf: string, _flags: unknown, command: Command) => {
      // `--zone` after `verify` is taken by `ownership` itself (same name): read both levels.
      const flags = command.optsWithGlobals<ScopeFlags & { token?: string }>();
      const setup = prepare(flags);
      if (!setup) return;
      if (flags.token === undefined) {
        usage('--token <token|@file> is required: the contents of the ownership-challenge-<id>.txt file');
        return;
      }
      const token = readToken(flags.token);
      if (token === undefined) return;
      const verdict = verifyOwnership({ registry: defaultDestinations, destinationConf: conf, scope: setup.scope, token, keys: setup.keyring.accepted });
      if (verdict.valid) {
        say(`ownership valid: challenge ${verdict.challengeId} for ${verdict.scope}, issued ${verdict.issuedAt.toISOString()}, valid until ${verdict.expiresAt.toISOString()}`);
        return;
      }
      if (verdict.code === 'OWNERSHIP_INVALID_DESTINATION') {
        usage(verdict.message);
        return;
      }
      say(`ownership not valid: ${verdict.code}: ${verdict.message}`);
      process.exitCode = 1;
    });
}

/** The scope and the keys, or undefined after reporting a usage error (exit 2). */
function prepare(flags: ScopeFlags): { scope: OwnershipScope; keyring: OwnershipKeyring } | undefined {
  if ((flags.zone === undefined) === (flags.account === undefined)) {
    usage('give exactly one of --zone <id> or --account <id>: the token is bound to it');
    return undefined;
  }
  const scope = flags.zone !== undefined ? ownershipScope('zone', flags.zone) : ownershipScope('account', flags.account ?? '');
  if (!scope.ok) {
    usage(scope.message);
    return undefined;
  }
  const keys = ownershipKeysFromEnv();
  if (!keys.ok) {
    usage(keys.message);
    return undefined;
  }
  return { scope: scope.scope, keyring: keys.keyring };
}

/** `@path` and `@-` read the token from a file or stdin; surrounding whitespace (a final newline) is dropped. */
function readToken(flag: string): string | undefined {
  if (!flag.startsWith('@')) return flag.trim();
  const path = flag.slice(1);
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8').trim();
  } catch (error) {
    usage(`cannot read the token from ${path === '-' ? 'standard input' : path}: ${(error as Error).message}`);
    return undefined;
  }
}

function usage(message: string): void {
  say(`sluice ownership: ${message}`);
  process.exitCode = 2;
}
