// Reads `splunk://host:port/services/collector/raw?channel=…&insecure-skip-verify=…&sourcetype=…&header_Authorization=Splunk%20<token>`.
import { BATCH_ID_HEADER } from '../http-client/batch-id-header.js';
import { parseHostAuthority } from '../host-authority.js';
import type { ParseResult } from '../destination.js';

/** `raw`: the body is the records, one event per line. `event`: each record wrapped in a JSON envelope. */
export type HecEndpoint = 'raw' | 'event';

/** Index-time fields Splunk gives every event; unset ones fall back to the token's defaults in Splunk. */
export interface HecMetadata {
  sourcetype: string | undefined;
  source: string | undefined;
  host: string | undefined;
  index: string | undefined;
}

export interface SplunkHecConfig {
  /** Host name or IP address as written in the URI (an IPv6 address keeps its brackets). */
  host: string;
  /** 443 when the URI gives none, as for any https URL; Splunk Enterprise's own default is 8088. */
  port: number;
  /** The path exactly as configured, e.g. `/services/collector/raw`. */
  path: string;
  endpoint: HecEndpoint;
  /** Request channel (a GUID); HEC requires one when the token has indexer acknowledgement on. */
  channel: string | undefined;
  /** False only with `insecure-skip-verify=true`, and then only for this destination's connections. */
  rejectUnauthorized: boolean;
  metadata: HecMetadata;
  /**
   * Request headers from every `header_<Name>` parameter, `authorization` included. Names are
   * lower-cased (HTTP headers are case-insensitive) so that a logged config meets the logger's
   * `headers.authorization` redaction path.
   */
  headers: Readonly<Record<string, string>>;
}

/** The paths HEC serves events on; `/services/collector` and the `/1.0` forms are Splunk's documented aliases. */
const ENDPOINT_BY_PATH: ReadonlyMap<string, HecEndpoint> = new Map([
  ['/services/collector/raw', 'raw'],
  ['/services/collector/raw/1.0', 'raw'],
  ['/services/collector/event', 'event'],
  ['/services/collector/event/1.0', 'event'],
  ['/services/collector', 'event'],
]);

/** The metadata fields, in the order they are written (query string, envelope, description). */
export const HEC_METADATA_FIELDS = ['sourcetype', 'source', 'host', 'index'] as const;
const KNOWN_PARAMS = ['channel', 'insecure-skip-verify', ...HEC_METADATA_FIELDS, 'header_<Name>'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 9110 token characters: anything else could not be sent as a header name.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
const SPLUNK_AUTHORIZATION = /^Splunk [^\s]+$/;
/** Headers the destination sets itself; letting a parameter override them would corrupt the request. */
const RESERVED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'host', 'connection', 'x-splunk-request-channel', BATCH_ID_HEADER]);
const EXAMPLE = 'splunk://splunk.example.com:8088/services/collector/raw?channel=<GUID>&sourcetype=cloudflare:json&header_Authorization=Splunk%20<token>';

/** Pure: checks a Splunk HEC `destination_conf`. No message quotes a header value, since those carry the token. */
export function parseSplunkConf(conf: string): ParseResult<SplunkHecConfig> {
  const match = /^splunk:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/i.exec(conf);
  if (!match) return fail(`expected ${EXAMPLE}`);
  const [, authority = '', path = '', query = ''] = match;
  if (authority.includes('@')) return fail('credentials go in header_Authorization=Splunk%20<token>, not in the host part of the URI');
  const host = parseHostAuthority(authority, EXAMPLE);
  if (!host.ok) return fail(host.message);
  const { url } = host;
  const endpoint = ENDPOINT_BY_PATH.get(path);
  if (endpoint === undefined) return fail(`path "${path}" is not a HEC endpoint; use one of ${[...ENDPOINT_BY_PATH.keys()].join(', ')}`);

  const params = new Map<string, string>();
  const headers: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    if (params.has(name)) return fail(`parameter "${name}" is given more than once`);
    params.set(name, value);
    if (name.startsWith('header_')) {
      const problem = checkHeader(name.slice('header_'.length), value, headers);
      if (problem) return fail(problem);
      headers[name.slice('header_'.length).toLowerCase()] = value;
    } else if (!(KNOWN_PARAMS as readonly string[]).includes(name)) {
      return fail(`unknown parameter "${name}"; known: ${KNOWN_PARAMS.join(', ')}`);
    }
  }

  const authorization = headers['authorization'];
  if (authorization === undefined) return fail(`header_Authorization is required, e.g. ${EXAMPLE}`);
  if (!SPLUNK_AUTHORIZATION.test(authorization)) {
    return fail('header_Authorization must be "Splunk <token>" (written Splunk%20<token> in the URI)');
  }

  const channel = params.get('channel');
  // The bad value is not quoted: HEC tokens are GUIDs too, and a token pasted here must not reach a log.
  if (channel !== undefined && !GUID.test(channel)) return fail('channel must be a GUID such as 0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba');

  const insecure = params.get('insecure-skip-verify') ?? 'false';
  if (insecure !== 'true' && insecure !== 'false') return fail(`insecure-skip-verify must be true or false, not "${insecure}"`);

  const metadata: HecMetadata = { sourcetype: undefined, source: undefined, host: undefined, index: undefined };
  for (const name of HEC_METADATA_FIELDS) {
    const value = params.get(name);
    if (value === '') return fail(`${name} may not be empty; leave it out to use the token's default`);
    metadata[name] = value;
  }

  return {
    ok: true,
    config: {
      host: url.hostname,
      port: url.port === '' ? 443 : Number(url.port),
      path,
      endpoint,
      channel,
      rejectUnauthorized: insecure === 'false',
      metadata,
      headers,
    },
  };
}

function checkHeader(name: string, value: string, seen: Record<string, string>): string | undefined {
  if (!HEADER_NAME.test(name)) return `header_${name} does not name a valid HTTP header`;
  const lower = name.toLowerCase();
  if (RESERVED_HEADERS.has(lower)) return `header_${name} is set by the destination itself${lower === 'x-splunk-request-channel' ? '; use the channel parameter' : ''}`;
  if (lower in seen) return `header_${name} is given more than once`;
  // A line break in a value would let it smuggle further headers into the request.
  if (/[\r\n\0]/.test(value)) return `header_${name} may not contain line breaks`;
  return undefined;
}

/** Where batches go, for logs and status APIs: every header value is replaced by REDACTED. */
export function describeSplunkConfig(config: SplunkHecConfig): string {
  const query = [
    ...(config.channel !== undefined ? [`channel=${config.channel}`] : []),
    ...(config.rejectUnauthorized ? [] : ['insecure-skip-verify=true']),
    ...HEC_METADATA_FIELDS.flatMap((name) => (config.metadata[name] !== undefined ? [`${name}=${encodeURIComponent(config.metadata[name])}`] : [])),
    ...Object.keys(config.headers).map((name) => `header_${name}=REDACTED`),
  ];
  return `splunk://${config.host}:${config.port}${config.path}?${query.join('&')}`;
}

function fail(message: string): ParseResult<SplunkHecConfig> {
  return { ok: false, message };
}
