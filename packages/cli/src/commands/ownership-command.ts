// `sluice ownership <destination_conf>` writes Logpush's ownership challenge; `sluice ownership verify` checks a token.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createOwnershipChallenge, defaultDestinations, ownershipKeysFromEnv, ownershipScope, verifyOwnership } from '@sluice/destinations';
import type { OwnershipKeyring, OwnershipScope } from '@sluice/destinations';
import { addApiConnectionOptions } from '../api-client/api-target.js';
import type { ApiConnectionFlags } from '../api-client/api-target.js';
import { EXIT_FAILED, EXIT_USAGE, processIo } from '../command-io.js';
import type { CommandIo } from '../command-io.js';
import { parsePositiveNumber } from '../runtime.js';
import { verifyViaApi, writeChallengeViaApi } from '../via-api/ownership-via-api.js';

interface ScopeFlags {
  zone?: string;
  account?: string;
}

/** `--api`, or an explicit `--api-url`, sends the work to the jobs API; SLUICE_API_URL alone does not switch modes. */
interface ApiModeFlags extends ApiConnectionFlags {
  api?: boolean;
}

const CONF_HELP = 'a destination URI as a job would hold it, e.g. s3://bucket/dir/{DATE}?region=us-east-1';
const API_HELP = 'ask the jobs API instead (at --api-url, $SLUICE_API_URL or the default): it signs and checks with its own key, so SLUICE_OWNERSHIP_KEY is not needed here';

export function registerOwnershipCommand(program: Command, io: CommandIo = processIo()): void {
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
    .option('--api', API_HELP);
  addApiConnectionOptions(ownership).action(async (conf: string, flags: ScopeFlags & ApiModeFlags & { timeout: number }) => {
    if (viaApi(flags)) {
      io.setExitCode(await writeChallengeViaApi(io, conf, flags, flags.timeout * 1000));
      return;
    }
    const setup = prepare(io, flags);
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
        io.out(`${result.filename}\n`);
        io.err(`ownership challenge ${result.message}\n`);
        return;
      case 'not_supported':
        io.err(`no ownership challenge needed: ${result.message}\n`);
        return;
      case 'invalid':
        usage(io, `invalid destination_conf: ${result.message}`);
        return;
      default:
        io.err(`ownership challenge not written: ${result.status === 'retryable' ? 'failed (may pass later)' : 'refused'}: ${result.code}: ${result.message}\n`);
        io.setExitCode(EXIT_FAILED);
    }
  });

  const verify = ownership
    .command('verify')
    .description('check an ownership_challenge token against a destination and a zone or account: exit 0 valid, 1 refused, 2 usage')
    .argument('<destination_conf>', CONF_HELP)
    .option('--token <token|@file>', 'the token, or @path to a file holding it (@- reads standard input)')
    .option('--zone <id>', 'the zone the job belongs to (32 hex characters)')
    .option('--account <id>', 'the account the job belongs to (32 hex characters)')
    .option('--api', API_HELP);
  addApiConnectionOptions(verify).action(async (conf: string, _flags: unknown, command: Command) => {
    // `--zone` after `verify` is taken by `ownership` itself (same name): read both levels.
    const flags = command.optsWithGlobals<ScopeFlags & ApiModeFlags & { token?: string }>();
    const api = viaApi(flags);
    const setup = api ? undefined : prepare(io, flags);
    if (!api && setup === undefined) return;
    const token = tokenFrom(io, flags.token);
    if (token === undefined) return;
    if (setup === undefined) {
      io.setExitCode(await verifyViaApi(io, conf, token, flags));
      return;
    }
    const verdict = verifyOwnership({ registry: defaultDestinations, destinationConf: conf, scope: setup.scope, token, keys: setup.keyring.accepted });
    if (verdict.valid) {
      io.err(`ownership valid: challenge ${verdict.challengeId} for ${verdict.scope}, issued ${verdict.issuedAt.toISOString()}, valid until ${verdict.expiresAt.toISOString()}\n`);
      return;
    }
    if (verdict.code === 'OWNERSHIP_INVALID_DESTINATION') {
      usage(io, verdict.message);
      return;
    }
    io.err(`ownership not valid: ${verdict.code}: ${verdict.message}\n`);
    io.setExitCode(EXIT_FAILED);
  });
}

function viaApi(flags: ApiModeFlags): boolean {
  return flags.api === true || flags.apiUrl !== undefined;
}

/** The scope and the keys, or undefined after reporting a usage error (exit 2). */
function prepare(io: CommandIo, flags: ScopeFlags): { scope: OwnershipScope; keyring: OwnershipKeyring } | undefined {
  if ((flags.zone === undefined) === (flags.account === undefined)) {
    usage(io, 'give exactly one of --zone <id> or --account <id>: the token is bound to it');
    return undefined;
  }
  const scope = flags.zone !== undefined ? ownershipScope('zone', flags.zone) : ownershipScope('account', flags.account ?? '');
  if (!scope.ok) {
    usage(io, scope.message);
    return undefined;
  }
  const keys = ownershipKeysFromEnv();
  if (!keys.ok) {
    usage(io, keys.message);
    return undefined;
  }
  return { scope: scope.scope, keyring: keys.keyring };
}

/**
 * The token of `--token`: `@path` and `@-` read it from a file or stdin; surrounding whitespace (a
 * final newline) is dropped. Undefined after a usage error.
 */
function tokenFrom(io: CommandIo, flag: string | undefined): string | undefined {
  if (flag === undefined) {
    usage(io, '--token <token|@file> is required: the contents of the ownership-challenge-<id>.txt file');
    return undefined;
  }
  if (!flag.startsWith('@')) return flag.trim();
  const path = flag.slice(1);
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8').trim();
  } catch (error) {
    usage(io, `cannot read the token from ${path === '-' ? 'standard input' : path}: ${(error as Error).message}`);
    return undefined;
  }
}

function usage(io: CommandIo, message: string): void {
  io.err(`sluice ownership: ${message}\n`);
  io.setExitCode(EXIT_USAGE);
}
