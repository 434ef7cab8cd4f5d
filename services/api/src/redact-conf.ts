// A destination_conf as a read-scope caller may see it: the same URI with every credential replaced by REDACTED.
import { redactUrl } from '@sluice/logging';

/** A Sumo collector's code is its password, though it sits in the path. */
const SUMO_CODE = /^(sumo:\/\/[^/?#]*\/receiver\/v1\/http\/)[^/?#]+/i;

/**
 * Userinfo, credential-looking parameters (access and secret keys, tokens, passwords, every
 * `header_*` value such as Authorization or DD-API-KEY, URLs with userinfo as values) and Sumo's
 * collector code. What is left still reads as the conf: scheme, host, path, other parameters.
 */
export function redactDestinationConf(conf: string): string {
  return redactUrl(conf).replace(SUMO_CODE, '$1REDACTED');
}
