// Reads `elasticsearch://[user:password@]host[:port]/<index>?tls=…&insecure-skip-verify=…&header_<Name>=…` (also `opensearch://`).
import { parseHostAuthority } from '../host-authority.js';
import type { ParseResult } from '../destination.js';
import { createHeaderParams, decodeOrUndefined, isHeaderParam, RESERVED_HEADERS } from '../http/header-params.js';
import { headerSecrets } from '../http/http-secrets.js';

export type ElasticsearchScheme = 'elasticsearch' | 'opensearch';

/** Holds credentials (header values, the URL's password): log `description`, never the config itself. */
export interface ElasticsearchConfig {
  scheme: ElasticsearchScheme;
  /** Host name or IP address as written in the URI (an IPv6 address keeps its brackets). */
  host: string;
  /** 9200 when the URI gives none: Elasticsearch's and OpenSearch's port, with or without TLS. */
  port: number;
  /** The index (or data stream, or alias with a write index) every document is created in. */
  index: string;
  /** True (the default): HTTPS. `tls=false` speaks plain HTTP, for a receiver on a trusted network or loopback. */
  tls: boolean;
  /** False only with `insecure-skip-verify=true`, and then only for this destination's connections. */
  rejectUnauthorized: boolean;
  /** From `header_<Name>` parameters and the URL's `user:password@` (as `Authorization: Basic …`), in the order given. */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** Every configured value that could be a credential, longest first: no message may contain one. */
  secrets: readonly string[];
  /** Scheme, host, port, index, the TLS choices and header names; never a header value or a password. */
  description: string;
  /** What a delivery reports: `<scheme>://host:port/<index>`. */
  location: string;
}

export const DEFAULT_ELASTICSEARCH_PORT = 9200;
const SCHEMES: readonly ElasticsearchScheme[] = ['elasticsearch', 'opensearch'];
const KNOWN_PARAMS = ['tls', 'insecure-skip-verify', 'header_<Name>'];
/** The bulk body is NDJSON, and gzip: a configured Content-Type would make the receiver misread it. */
const RESERVED = new Set([...RESERVED_HEADERS, 'content-type']);
/** Elasticsearch's own rules for index names (OpenSearch's are the same). */
const INDEX_FORBIDDEN = /[\\/*?"<>| ,#:A-Z]/;
const INDEX_MAX_BYTES = 255;
const EXAMPLE = 'elasticsearch://es.example.com:9200/cloudflare-http?header_Authorization=ApiKey%20<base64 id:key>';

/** Pure: checks an Elasticsearch or OpenSearch `destination_conf`. No message quotes a header value or a password. */
export function parseElasticsearchConf(conf: string): ParseResult<ElasticsearchConfig> {
  const match = /^([a-z]+):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/i.exec(conf);
  const scheme = SCHEMES.find((name) => name === match?.[1]?.toLowerCase());
  if (!match || scheme === undefined) return fail(`expected ${EXAMPLE}`);
  const [, , rawAuthority = '', path = '', query = '', fragment] = match;
  if (fragment !== undefined) return fail('contains "#", which would cut the URI short; percent-encode it as %23');

  // The last @ ends the userinfo: a password may hold an unencoded @ of its own.
  const at = rawAuthority.lastIndexOf('@');
  const authority = at === -1 ? rawAuthority : rawAuthority.slice(at + 1);
  const host = parseHostAuthority(authority, EXAMPLE);
  if (!host.ok) return fail(host.message);
  const { url } = host;

  const index = readIndex(path);
  if (!index.ok) return index;

  const params = new Map<string, string>();
  const headerParams = createHeaderParams(RESERVED);
  for (const pair of query === '' ? [] : query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const name = decodeOrUndefined(rawName) ?? rawName;
    if (isHeaderParam(name)) {
      const problem = headerParams.add(name, rawValue);
      if (problem !== undefined) return fail(problem);
      continue;
    }
    if (!KNOWN_PARAMS.includes(name)) return fail(`unknown parameter "${name}"; known: ${KNOWN_PARAMS.join(', ')}`);
    if (params.has(name)) return fail(`parameter "${name}" is given more than once`);
    params.set(name, decodeOrUndefined(rawValue) ?? rawValue);
  }

  const tls = params.get('tls') ?? 'true';
  if (tls !== 'true' && tls !== 'false') return fail(`tls must be true or false, not "${tls}"`);
  const insecure = params.get('insecure-skip-verify') ?? 'false';
  if (insecure !== 'true' && insecure !== 'false') return fail(`insecure-skip-verify must be true or false, not "${insecure}"`);
  if (tls === 'false' && insecure === 'true') return fail('insecure-skip-verify=true only applies to TLS; leave it out with tls=false');

  const headers = [...headerParams.headers];
  const extraSecrets: string[] = [];
  if (at !== -1) {
    const credentials = readUserinfo(rawAuthority.slice(0, at));
    if (!credentials.ok) return credentials;
    if (headers.some(([name]) => name.toLowerCase() === 'authorization')) {
      return fail('credentials are given twice, as user:password@ and as header_Authorization; keep one');
    }
    const basic = Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64');
    headers.unshift(['Authorization', `Basic ${basic}`]);
    extraSecrets.push(credentials.password, `${credentials.user}:${credentials.password}`);
  }

  // Read from the text, not from `url.port`, which is empty for an explicit :443 (https's default port).
  const explicitPort = /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(authority)?.[1];
  const port = explicitPort === undefined ? DEFAULT_ELASTICSEARCH_PORT : Number(explicitPort);
  if (port === 0) return fail('port 0 is not a port a server listens on');
  const location = `${scheme}://${url.hostname}:${port}/${index.name}`;
  const shownParams = [...(tls === 'false' ? ['tls=false'] : []), ...(insecure === 'true' ? ['insecure-skip-verify=true'] : [])];
  const names = headers.map(([name]) => name);
  const description = `${location}${shownParams.length === 0 ? '' : `?${shownParams.join('&')}`}${names.length === 0 ? '' : ` (headers: ${names.join(', ')})`}`;
  const secrets = [...new Set([...headerSecrets(headers), ...extraSecrets.filter((secret) => secret.length >= 4)])].sort((a, b) => b.length - a.length);

  return {
    ok: true,
    config: {
      scheme,
      host: url.hostname,
      port,
      index: index.name,
      tls: tls === 'true',
      rejectUnauthorized: insecure === 'false',
      headers,
      secrets,
      description,
      location,
    },
  };
}

function readIndex(path: string): { ok: true; name: string } | { ok: false; message: string } {
  const segments = path.split('/').filter((segment, i, all) => !(segment === '' && (i === 0 || i === all.length - 1)));
  if (segments.length !== 1) {
    return { ok: false, message: `the path must be exactly one index name, e.g. /cloudflare-http; got "${path === '' ? '(none)' : path}"` };
  }
  const decoded = decodeOrUndefined(segments[0] ?? '');
  if (decoded === undefined || decoded === '') return { ok: false, message: `"${segments[0] ?? ''}" is not a valid index name` };
  const problem = indexNameProblem(decoded);
  return problem === undefined ? { ok: true, name: decoded } : { ok: false, message: `index "${decoded}" ${problem}` };
}

/** Checked here rather than left to the receiver, which would refuse every document, each as if it alone were bad. */
function indexNameProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return 'may not be "." or ".."';
  if (/^[-_+]/.test(name)) return 'may not start with -, _ or +';
  const bad = INDEX_FORBIDDEN.exec(name);
  if (bad) return /[A-Z]/.test(bad[0]) ? 'must be lower case' : `may not contain "${bad[0]}"`;
  if (Buffer.byteLength(name) > INDEX_MAX_BYTES) return `is longer than ${INDEX_MAX_BYTES} bytes`;
  return undefined;
}

/** `user:password`, percent-decoded; messages never quote either part. */
function readUserinfo(userinfo: string): { ok: true; user: string; password: string } | { ok: false; message: string } {
  const colon = userinfo.indexOf(':');
  if (colon === -1) return { ok: false, message: 'the userinfo before @ must be user:password (or use header_Authorization)' };
  const user = decodeOrUndefined(userinfo.slice(0, colon));
  const password = decodeOrUndefined(userinfo.slice(colon + 1));
  if (user === undefined || password === undefined) return { ok: false, message: 'the user:password before @ is not valid percent-encoding' };
  if (user === '' || password === '') return { ok: false, message: 'the userinfo before @ needs both a user and a password' };
  return { ok: true, user, password };
}

function fail(message: string): ParseResult<ElasticsearchConfig> {
  return { ok: false, message };
}
