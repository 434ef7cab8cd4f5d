// `sluice ownership --api` and `ownership verify --api`: the same checks, done by the jobs API with the server's signing key.
import { redactText } from '@sluice/logging';
import type { ApiFailure } from '../api-client/api-client.js';
import type { ApiConnectionFlags, ScopeFlags } from '../api-client/api-target.js';
import { connect } from '../api-client/connect.js';
import { reportApiFailure } from '../api-client/report-failure.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../command-io.js';
import type { CommandIo } from '../command-io.js';

/** The API's code for a body field it refuses; here always destination_conf, which is what a usage error means locally. */
const INVALID_FIELD = 1001;
/**
 * The API answers 1001 for destinations that take no challenge (HTTP, Splunk), where the local command
 * says "not needed" and exits 0; its message is the only thing that tells the two apart.
 */
const NO_CHALLENGE_NEEDED = /take no ownership challenge/;
const CONTEXT = 'sluice ownership';

export async function writeChallengeViaApi(io: CommandIo, conf: string, flags: ApiConnectionFlags & ScopeFlags, timeoutMs: number): Promise<number> {
  const api = connect(io, flags, CONTEXT, timeoutMs);
  if (api === undefined) return EXIT_USAGE;
  const written = await api.client.request<{ filename: string; message: string }>('POST', `${api.scope.path}/logpush/ownership`, { destination_conf: conf });
  if (written.ok) {
    // stdout: the file's key, for scripts; the token itself is only in the file.
    io.out(`${written.result.filename}\n`);
    io.err(`ownership challenge ${redactText(written.result.message)}\n`);
    return EXIT_OK;
  }
  const notNeeded = written.kind === 'refused' ? written.errors.find((error) => error.code === INVALID_FIELD && NO_CHALLENGE_NEEDED.test(error.message)) : undefined;
  if (notNeeded !== undefined) {
    io.err(`no ownership challenge needed: ${redactText(notNeeded.message.replace(/^destination_conf: /, ''))}\n`);
    return EXIT_OK;
  }
  return refused(io, written);
}

export async function verifyViaApi(io: CommandIo, conf: string, token: string, flags: ApiConnectionFlags & ScopeFlags): Promise<number> {
  const api = connect(io, flags, CONTEXT);
  if (api === undefined) return EXIT_USAGE;
  const verdict = await api.client.request<{ valid: boolean; message?: string }>('POST', `${api.scope.path}/logpush/ownership/validate`, {
    destination_conf: conf,
    ownership_challenge: token,
  });
  if (!verdict.ok) return refused(io, verdict);
  if (verdict.result.valid) {
    io.err(`ownership valid for ${api.scope.path} (checked by ${api.client.where})\n`);
    return EXIT_OK;
  }
  // The API says "<message> [OWNERSHIP_CODE]"; shown as the local command shows it: "OWNERSHIP_CODE: <message>".
  const message = redactText(verdict.result.message ?? '');
  const coded = /^(.*) \[([A-Z_]+)\]$/s.exec(message);
  io.err(`ownership not valid: ${coded ? `${coded[2]}: ${coded[1]}` : message}\n`);
  return EXIT_FAILED;
}

/** A refused destination_conf is a usage error (2), as in local mode; anything else the API refuses, or no answer, is 1. */
function refused(io: CommandIo, failure: ApiFailure): number {
  reportApiFailure(io, failure);
  return failure.kind === 'refused' && failure.errors.every((error) => error.code === INVALID_FIELD) ? EXIT_USAGE : EXIT_FAILED;
}
