// Everything the gateway learns about one request as it handles it; becomes its http_requests record at the end.

export interface OriginFacts {
  ip: string;
  status: number;
  /** From sending the request to the end of the origin's response. */
  durationMs: number;
  /** From sending the request to the origin's response headers. */
  headerReceiveMs: number;
  /** TCP connect time when this request opened a new connection to the origin (0 on a reused one). */
  tcpHandshakeMs: number;
  /** Body bytes the origin sent. */
  responseBytes: number;
  expires: string;
  lastModified: string;
}

export interface RequestFacts {
  readonly rayId: string;
  readonly startNs: bigint;
  endNs: bigint;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly scheme: 'http' | 'https';
  readonly protocol: string;
  readonly method: string;
  readonly host: string;
  readonly uri: string;
  readonly userAgent: string;
  readonly referer: string;
  readonly xRequestedWith: string;
  readonly tlsProtocol: string;
  readonly tlsCipher: string;
  readonly serverIp: string;
  /** Request line, headers and body as received. */
  requestBytes: number;
  status: number;
  /** Status line, headers and body as sent. */
  responseBytes: number;
  responseBodyBytes: number;
  contentType: string;
  /** From the start of the request to the response headers going out. */
  timeToFirstByteMs: number;
  origin: OriginFacts | undefined;
  action: 'allow' | 'block';
  /** Why a request was blocked: the identity, target or parser error code, e.g. `IDENTITY_EXPIRED`, `HPE_HEADER_OVERFLOW`. */
  blockReason: string;
  /** The token the request presented ('' when none): never logged, kept only so the record can be scrubbed of it. */
  credential: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  cookies: Record<string, string>;
}
