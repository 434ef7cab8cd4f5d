// Realistic synthetic http_requests records: zones, hosts, users, paths, agents, statuses and sizes.
import { deriveHexId } from '@sluice/schemas';
import type { DatasetRecord } from '@sluice/schemas';
import { createRandom } from './random.js';

export interface SyntheticZone {
  name: string;
  zoneId: string;
  accountId: string;
}

export interface TrafficOptions {
  zones: readonly string[];
  seed: number;
  /** Time of the first record, ms since the epoch; records then advance monotonically. */
  startTimeMs: number;
}

export interface SyntheticRecord {
  zone: SyntheticZone;
  record: DatasetRecord;
  /** Edge start time in ms: the Kafka message timestamp. */
  timeMs: number;
}

const APPS = ['jira', 'wiki', 'grafana', 'git', 'hr', 'payroll', 'crm', 'admin'];
const USERS = ['srhea', 'mkowalski', 'aokafor', 'lchen', 'jdoe', 'pnair', 'tmueller', 'ysato', 'fgarcia', 'ebrown', 'kim', 'rossi'];
const PATHS = ['/', '/login', '/dashboard', '/browse/EXP-{n}', '/secure/Dashboard.jspa', '/api/v2/search', '/api/v2/items/{n}', '/static/app.{n}.js', '/static/styles.css', '/reports/q{n}', '/admin/users/{n}', '/favicon.ico'];
const METHODS: readonly (readonly [string, number])[] = [['GET', 80], ['POST', 12], ['PUT', 4], ['DELETE', 2], ['PATCH', 2]];
const STATUSES: readonly (readonly [number, number])[] = [[200, 78], [304, 8], [302, 4], [404, 4], [401, 2], [403, 1], [500, 2], [502, 1]];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
];
const COUNTRIES = ['us', 'gb', 'de', 'fr', 'jp', 'in', 'br', 'ca', 'nl', 'pl'];
const COLOS = ['SJC', 'LHR', 'FRA', 'CDG', 'NRT', 'BOM', 'GRU', 'YYZ', 'AMS', 'WAW'];
const CONTENT_TYPES = ['text/html', 'application/json', 'application/javascript', 'text/css', 'image/x-icon'];

export function syntheticZone(name: string): SyntheticZone {
  return { name, zoneId: deriveHexId(`zone:${name}`), accountId: deriveHexId('account:sluice-demo') };
}

/** An endless, deterministic stream of records spread over the given zones. */
export function* syntheticTraffic(options: TrafficOptions): Generator<SyntheticRecord, never, undefined> {
  const random = createRandom(options.seed);
  const zones = options.zones.map(syntheticZone);
  // Nanoseconds since the epoch, advancing 0–2 ms per record with a sub-millisecond part.
  let nanos = BigInt(options.startTimeMs) * 1_000_000n;
  for (;;) {
    const zone = random.pick(zones);
    nanos += BigInt(random.int(2_000_000));
    const start = nanos;
    const durationMs = 2 + random.int(400);
    const end = start + BigInt(durationMs) * 1_000_000n + BigInt(random.int(1_000_000));
    const host = `${random.pick(APPS)}.${zone.name}`;
    const path = random.pick(PATHS).replace('{n}', String(random.int(5000)));
    const query = random.next() < 0.3 ? `?page=${random.int(20)}&sort=desc` : '';
    const status = random.weighted(STATUSES);
    const bytes = status === 304 ? 220 : 400 + random.int(60_000);
    const user = random.pick(USERS);
    const ip = `198.51.100.${random.int(256)}`;
    const countryIndex = random.int(COUNTRIES.length);
    const ray = random.hex(16);
    const agent = random.pick(AGENTS);
    const contentType = random.pick(CONTENT_TYPES);
    const record: DatasetRecord = {
      ClientIP: ip,
      ClientSrcPort: 1024 + random.int(64_000),
      ClientASN: 13335 + random.int(50_000),
      ClientCountry: COUNTRIES[countryIndex],
      ClientDeviceType: random.next() < 0.8 ? 'desktop' : 'mobile',
      ClientRequestHost: host,
      ClientRequestMethod: random.weighted(METHODS),
      ClientRequestPath: path,
      ClientRequestURI: path + query,
      ClientRequestProtocol: random.next() < 0.7 ? 'HTTP/2' : 'HTTP/1.1',
      ClientRequestScheme: 'https',
      ClientRequestReferer: random.next() < 0.5 ? `https://${host}/dashboard` : '',
      ClientRequestUserAgent: agent,
      ClientRequestBytes: 300 + random.int(4_000),
      ClientRequestSource: 'eyeball',
      ClientSSLProtocol: 'TLSv1.3',
      ClientSSLCipher: 'AEAD-AES128-GCM-SHA256',
      ClientTCPRTTMs: 5 + random.int(150),
      ClientXRequestedWith: '',
      EdgeColoCode: COLOS[countryIndex],
      EdgeColoID: 10 + countryIndex,
      EdgeStartTimestamp: start,
      EdgeEndTimestamp: end,
      EdgeRequestHost: host,
      EdgeResponseStatus: status,
      EdgeResponseBytes: bytes + 350,
      EdgeResponseBodyBytes: bytes,
      EdgeResponseContentType: contentType,
      EdgeResponseCompressionRatio: Math.round(random.next() * 400) / 100,
      EdgeServerIP: `172.70.${random.int(256)}.${random.int(256)}`,
      EdgeTimeToFirstByteMs: 1 + random.int(durationMs),
      EdgePathingOp: 'wl',
      EdgePathingSrc: 'macro',
      EdgePathingStatus: 'nr',
      CacheCacheStatus: random.next() < 0.2 ? 'hit' : 'dynamic',
      CacheResponseBytes: bytes,
      CacheResponseStatus: status,
      OriginIP: `10.0.${random.int(4)}.${random.int(256)}`,
      OriginResponseStatus: status,
      OriginResponseBytes: bytes,
      OriginResponseDurationMs: random.int(durationMs),
      OriginDNSResponseTimeMs: random.int(5),
      OriginTCPHandshakeDurationMs: random.int(10),
      OriginTLSHandshakeDurationMs: random.int(20),
      SecurityAction: status === 403 ? 'block' : 'allow',
      SecuritySources: [],
      WAFAttackScore: 80 + random.int(20),
      BotScore: 1 + random.int(99),
      BotScoreSrc: 'Machine Learning',
      JA3Hash: random.hex(32),
      JA4: `t13d1516h2_${random.hex(12)}_${random.hex(12)}`,
      RayID: ray,
      ParentRayID: '00',
      // More than a zone would list, as a gateway logging broadly would: the pusher keeps only the
      // zone's custom fields (cf-access-user is the one Sluice's examples list).
      RequestHeaders: { 'cf-access-user': user, 'user-agent': agent, accept: '*/*', 'accept-language': 'en-US,en;q=0.9', 'x-forwarded-proto': 'https' },
      ResponseHeaders: { 'content-type': contentType, server: 'sluice-demo-origin' },
      Cookies: { __cfruid: ray, theme: 'dark' },
      WorkerSubrequest: false,
      ZoneName: zone.name,
      _zone_id: zone.zoneId,
      _account_id: zone.accountId,
    };
    yield { zone, record, timeMs: Number(start / 1_000_000n) };
  }
}
