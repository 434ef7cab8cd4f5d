// `sluice destination validate --api`: the jobs API writes the test object, from where the pushers run.
import { redactText } from '@sluice/logging';
import type { ApiConnectionFlags, ScopeFlags } from '../api-client/api-target.js';
import { connect } from '../api-client/connect.js';
import { reportApiFailure } from '../api-client/report-failure.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../command-io.js';
import type { CommandIo } from '../command-io.js';

/** The API's code for a body field it refuses (here: destination_conf is not a string). */
const INVALID_FIELD = 1001;
/** The API reports an unusable URI as `valid: false` with this prefix; locally that is a usage error. */
const INVALID_CONF_PREFIX = 'destination_conf: ';

export async function validateDestinationViaApi(io: CommandIo, conf: string, flags: ApiConnectionFlags & ScopeFlags, timeoutMs: number): Promise<number> {
  const api = connect(io, flags, 'sluice destination validate', timeoutMs);
  if (api === undefined) return EXIT_USAGE;
  const answer = await api.client.request<{ valid: boolean; message: string }>('POST', `${api.scope.path}/logpush/validate/destination`, { destination_conf: conf });
  if (!answer.ok) {
    reportApiFailure(io, answer);
    return answer.kind === 'refused' && answer.errors.every((error) => error.code === INVALID_FIELD) ? EXIT_USAGE : EXIT_FAILED;
  }
  if (answer.result.valid) {
    io.err(`destination valid: the API at ${api.client.where} wrote its test object\n`);
    return EXIT_OK;
  }
  const message = redactText(answer.result.message);
  if (message.startsWith(INVALID_CONF_PREFIX)) {
    io.err(`destination not valid: invalid destination_conf: ${message.slice(INVALID_CONF_PREFIX.length)}\n`);
    return EXIT_USAGE;
  }
  io.err(`destination not valid: ${message}\n`);
  return EXIT_FAILED;
}
