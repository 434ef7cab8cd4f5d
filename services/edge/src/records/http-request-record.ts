// Turns one request's facts into its http_requests record, with the zone's scope fields.
import type { DatasetRecord } from '@sluice/schemas';
import type { RequestFacts } from './request-facts.js';

export interface RecordScope {
  readonly zoneId: string;
  readonly zoneName: string;
  readonly accountId: string;
}

export function httpRequestRecord(facts: RequestFacts, scope: RecordScope): DatasetRecord {
  const record: DatasetRecord = {
    ClientIP: facts.clientIp,
    ClientSrcPort: facts.clientPort,
    ClientRequestHost: facts.host,
    ClientRequestMethod: facts.method,
    ClientRequestURI: facts.uri,
    ClientRequestPath: pathOf(facts.uri),
    ClientRequestProtocol: facts.protocol,
    ClientRequestScheme: facts.scheme,
    ClientRequestUserAgent: facts.userAgent,
    ClientRequestReferer: facts.referer,
    ClientRequestBytes: facts.requestBytes,
    ClientRequestSource: 'eyeball',
    ClientXRequestedWith: facts.xRequestedWith,
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
    RequestHeaders: facts.requestHeaders,
    ResponseHeaders: facts.responseHeaders,
    Cookies: facts.cookies,
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

function pathOf(uri: string): string {
  const query = uri.indexOf('?');
  return query === -1 ? uri : uri.slice(0, query);
}
