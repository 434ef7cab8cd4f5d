// `sluice token` mints a development Access token with the local dev key; `sluice token --jwks` prints the key for the gateway.
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { DEV_ISSUER, defaultDevKeyFile, loadOrCreateDevSigningKey } from '@sluice/edge';
import type { DevSigningKey } from '@sluice/edge';
import { EXIT_FAILED, EXIT_USAGE, processIo } from '../command-io.js';
import type { CommandIo } from '../command-io.js';

interface TokenFlags {
  email?: string;
  aud?: string[];
  groups?: string[];
  ttl: number;
  issuer?: string;
  country?: string;
  keyFile?: string;
  jwks?: boolean;
}

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function registerTokenCommand(program: Command, io: CommandIo = processIo()): void {
  program
    .command('token')
    .description(
      'mint a development Access token (RS256, the Cf-Access-Jwt-Assertion a gateway checks) signed with the local dev key, ' +
        'or print that key as a JWKS (--jwks) for the gateway to trust. The key is created on first use',
    )
    .option('--email <address>', 'the user the token is for (its email claim)')
    .option('--aud <tag>', "the application's AUD tag; comma-separate several", parseList('--aud'))
    .option('--groups <names>', 'groups claim, comma-separated, e.g. admins,sre', parseList('--groups'))
    .option('--ttl <duration>', 'lifetime: 90s, 30m, 1h, 2d or plain seconds', parseDuration('--ttl'), 3600)
    .option('--issuer <url>', `iss claim (default ${DEV_ISSUER}; the gateway must be configured with the same)`)
    .option('--country <code>', 'country claim, two letters, e.g. GB', parseCountry)
    .option('--key-file <file>', 'the signing key (default $SLUICE_DEV_KEY_FILE, else ~/.sluice/dev-signing-key.json)')
    .option('--jwks', 'print the public key as a JWKS instead of a token (never the private key)')
    .action(async (flags: TokenFlags) => {
      const problem = usageProblem(flags);
      if (problem !== undefined) {
        io.err(`sluice token: ${problem}\n`);
        io.setExitCode(EXIT_USAGE);
        return;
      }
      const file = flags.keyFile ?? defaultDevKeyFile(io.env);
      const existed = existsSync(file);
      let key: DevSigningKey;
      try {
        key = await loadOrCreateDevSigningKey(file);
      } catch (error) {
        io.err(`sluice token: ${(error as Error).message}\n`);
        io.setExitCode(EXIT_FAILED);
        return;
      }
      if (!existed) io.err(`created development signing key ${file} (kid ${key.kid})\n`);
      if (flags.jwks === true) {
        io.out(`${JSON.stringify(key.jwks(), null, 2)}\n`);
        return;
      }
      const email = flags.email ?? '';
      const audience = flags.aud ?? [];
      const nowMs = Date.now();
      const token = await key.mint({ email, audience, groups: flags.groups, ttlSeconds: flags.ttl, issuer: flags.issuer, country: flags.country, nowMs });
      io.out(`${token}\n`);
      io.err(`token for ${email}, aud ${audience.join(',')}, expires ${new Date(nowMs + flags.ttl * 1000).toISOString()} (kid ${key.kid})\n`);
    });
}

/** What is wrong with the flags as a whole, or undefined: each flag's own value is checked by its parser. */
function usageProblem(flags: TokenFlags): string | undefined {
  if (flags.jwks === true) {
    return flags.email !== undefined || flags.aud !== undefined ? '--jwks prints the public key only; drop --email and --aud, or drop --jwks to mint a token' : undefined;
  }
  const missing = [flags.email === undefined ? '--email <address>' : '', flags.aud === undefined ? '--aud <tag>' : ''].filter((name) => name !== '');
  if (missing.length > 0) return `missing ${missing.join(' and ')} (or --jwks to print the public key)`;
  if (!/^[^\s@]+@[^\s@]+$/.test(flags.email ?? '')) return `--email must be an email address, got "${flags.email}"`;
  return undefined;
}

/** `90s`, `30m`, `1h`, `2d` or plain seconds, as a positive whole number of seconds. */
export function parseDuration(name: string) {
  return (text: string): number => {
    const match = /^(\d+)([smhd]?)$/.exec(text.trim());
    const seconds = match === null ? NaN : Number(match[1]) * (SECONDS_PER_UNIT[match[2] || 's'] ?? NaN);
    if (!Number.isSafeInteger(seconds) || seconds <= 0) throw usageError(`${name} must be a duration such as 90s, 30m, 1h, 2d or a number of seconds, got "${text}"`);
    return seconds;
  };
}

function parseList(name: string) {
  return (text: string, previous: string[] | undefined): string[] => {
    const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    if (items.length === 0) throw usageError(`${name} needs at least one value, got "${text}"`);
    return [...(previous ?? []), ...items];
  };
}

function parseCountry(text: string): string {
  if (!/^[A-Za-z]{2}$/.test(text)) throw usageError(`--country must be a two-letter country code such as GB, got "${text}"`);
  return text.toUpperCase();
}

/** Commander prints these as usage errors; exit 2 as every other usage error of this CLI. */
function usageError(message: string): InvalidArgumentError {
  const error = new InvalidArgumentError(message);
  error.exitCode = EXIT_USAGE;
  return error;
}
