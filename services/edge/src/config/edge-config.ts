// The gateway's configuration after validation: what `sluice edge --config FILE` runs with.
import type { KafkaSecuritySettings } from '@sluice/kafka';
import type { CustomFieldSet } from '@sluice/pipeline';
import type { AccessPolicy } from '../identity/access-policy.js';
import type { JwksLocation } from '../identity/jwks-key-source.js';
import type { Durability, RefusedRecordsConfig } from './publishing-section.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface IdentityConfig {
  readonly issuer: string;
  readonly jwks: JwksLocation;
  /** Clock skew allowed on `exp`/`nbf`, seconds (default 30). */
  readonly leewaySeconds: number;
  /** Claim holding the user's groups (default `groups`). */
  readonly groupsClaim: string;
  /** Claim naming the IdP connection (default `idp`; a string, or an object whose `type` names it). */
  readonly connectionClaim: string;
  /** Claim whose value becomes the `cf-access-user` header: `email` (default) or `sub`. */
  readonly userClaim: 'email' | 'sub';
  /** Browsers without a valid token are sent here, with `?redirect_url=<the URL they asked for>`. */
  readonly loginUrl: string | undefined;
}

export interface AppConfig {
  readonly name: string;
  /** Lower-case host names, without port. */
  readonly hostnames: readonly string[];
  /** Origin base URL, e.g. `http://127.0.0.1:3000`; the request path is appended. */
  readonly origin: URL;
  readonly zone: { readonly id: string; readonly name: string };
  /** The application's AUD tag: tokens must name it in `aud`. */
  readonly aud: string;
  /** `AppUUID` in access_requests records (default: derived from the AUD tag). */
  readonly appUuid: string;
  readonly allow: AccessPolicy;
}

export interface SpoolConfig {
  readonly dir: string;
  readonly maxBytes: number;
}

export interface EdgeConfig {
  readonly listen: ListenAddress;
  readonly tls: TlsFiles | undefined;
  /** `/metrics` and `/healthz`; off when absent. */
  readonly admin: ListenAddress | undefined;
  readonly accountId: string;
  readonly identity: IdentityConfig;
  readonly apps: readonly AppConfig[];
  /** Each zone's custom fields; zones without an entry log no headers or cookies. */
  readonly customFields: ReadonlyMap<string, CustomFieldSet>;
  /** Kafka brokers (`host:port,...`); absent means KAFKA_BROKERS, else 127.0.0.1:9092. */
  readonly kafkaBrokers: string | undefined;
  /** Kafka TLS and SASL (`kafka.tls`, `kafka.sasl`); absent means the KAFKA_SSL* / KAFKA_SASL_* variables. */
  readonly kafkaSecurity: KafkaSecuritySettings | undefined;
  readonly spool: SpoolConfig;
  /** `sync`: a request is answered only once its record is in Kafka or on disk (fsync'd). Absent: `async`. */
  readonly durability?: Durability;
  /** Sync durability: a response whose record is not stored within this many milliseconds has its connection cut. Absent: 5,000. */
  readonly durabilityTimeoutMs?: number;
  /** How refused requests are recorded under a flood. Absent: DEFAULT_REFUSED_RECORDS. */
  readonly refusedRecords?: RefusedRecordsConfig;
  /** Give up on an origin that has not sent response headers after this long (default 30 s). */
  readonly originTimeoutMs: number;
  /**
   * Listener processes sharing the port, each with its own publisher thread and spool (`spool.dir` for
   * worker 0, `spool.dir/worker-<n>` for the others). Absent: the number of cores. `sluice edge --workers` overrides it.
   */
  readonly workers?: number;
  /** The zone whose records hold requests refused before their host could be read (malformed, head too large); default: the first app's. */
  readonly malformedRequestZone: string;
}
