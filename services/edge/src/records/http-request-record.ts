// Turns one request's facts into its http_requests record, with the zone's scope fields.
import type { DatasetRecord } from '@sluice/schemas';
import type { RequestFacts } from './request-facts.js';
import { redactCredentialParams, withoutSecret } from './credential-fields.js';

export interface RecordScope {
  readonly zoneId: string;
  readonly zoneName: string;
  readonly accountId: string;
}

/** Credentials are redacted here as well as where headers are picked: known query parameters, and the request's own token wherever it turns up. */
export function httpRequestRecord(facts: RequestFacts, scope: RecordScope): DatasetRecord {
  const secret = facts.credential;
  const clean = (text: string): string => withoutSecret(redactCredentialParams(text), secret);
  const uri = clean(facts.uri);
  const record: DatasetRecord = {
    ClientIP: facts.clientIp,
    ClientSrcPort: facts.clientPort,
    ClientRequestHost: facts.host,
    ClientRequestMethod: facts.method,
    ClientRequestURI: uri,
    ClientRequestPath: pathOf(uri),
    ClientRequestProtocol: facts.protocol,
    ClientRequestScheme: facts.scheme,
    ClientRequestUserAgent: withoutSecret(facts.userAgent, secret),
    ClientRequestReferer: clean(facts.referer),
    ClientRequestBytes: facts.requestBytes,
    ClientRequestSource: 'eyeball',
    ClientXRequestedWith: withoutSecret(facts.xRequestedWith, secret),
    ClientSSLProtocol: facts.tlsProtocol,
    ClientSSLCipher: facts.tlsCipher,
    EdgeStartTimestamp: facts.startNs,
    EdgeEndTimestamp: facts.endNs,
    EdgeRequestHost: facts.host,
    EdgeServerIP: facts.serverIp,
    EdgeResponseStatus: facts.status,
    EdgeResponseBytes: facts.responseBytes,
    EdgeResponseBodyBytes: facts.responseBodyBytes,
    EdgeResponseContentType: facts.contentType,
    EdgeTimeToFirstByteMs: facts.timeToFirstByteMs,
    RayID: facts.rayId,
    SecurityAction: facts.action,
    SecuritySources: facts.action === 'block' ? ['access'] : [],
    RequestHeaders: scrubbed(facts.requestHeaders, secret),
    ResponseHeaders: scrubbed(facts.responseHeaders, secret),
    Cookies: scrubbed(facts.cookies, secret),
    ZoneName: scope.zoneName,
    _zone_id: scope.zoneId,
    _account_id: scope.accountId,
  };
  if (facts.blockReason !== '') record['SecurityRuleDescription'] = facts.blockReason;
  const origin = facts.origin;
  if (origin !== undefined) {
    record['OriginIP'] = origin.ip;
    record['OriginResponseStatus'] = origin.status;
    record['OriginResponseDurationMs'] = origin.durationMs;
    record['OriginResponseHeaderReceiveDurationMs'] = origin.headerReceiveMs;
    record['OriginTCPHandshakeDurationMs'] = origin.tcpHandshakeMs;
    record['OriginResponseBytes'] = origin.responseBytes;
    if (origin.expires !== '') record['OriginResponseHTTPExpires'] = origin.expires;
    if (origin.lastModified !== '') record['OriginResponseHTTPLastModified'] = origin.lastModified;
  }
  return record;
}

/** A logged header or cookie map without the secret in any value (a header the zone lists may quote the token). */
function scrubbed(values: Record<string, string>, secret: string): Record<string, string> {
  if (secret === '') return values;
  const out: Record<string, string> = {};
  for (const name in values) out[name] = withoutSecret(values[name], secret);
  return out;
}

function pathOf(uri: string): string {
  const query = uri.indexOf('?');
  return query === -1 ? uri : uri.slice(0, query);
}
