// The addresses and fixed local credentials clients use to reach the local Kafka, S3, ClickHouse and OpenSearch.

/** What a process needs in its environment to use Kafka and S3 (the names tests and services read). */
export interface InfraEnv {
  KAFKA_BROKERS: string;
  S3_ENDPOINT: string;
  S3_REGION: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}

/** Loopback by address: Node may resolve `localhost` to ::1 first, where nothing listens. */
export const LOCAL_HOST = '127.0.0.1';
export const KAFKA_PORT = 9092;
export const KAFKA_CONTROLLER_PORT = 9093;
export const S3_PORT = 9000;
/** ClickHouse's own defaults (8123, 9000) are moved: 9000 is S3's, and 8123 is often taken by a system ClickHouse. */
export const CLICKHOUSE_HTTP_PORT = 18123;
export const CLICKHOUSE_TCP_PORT = 19000;
/**
 * The OpenSearch runner numbers its nodes from 1 and gives node n the HTTP port base + n: with its
 * base 9200, the single node answers on 9201. Its transport port is fixed next to it, 9301.
 */
export const OPENSEARCH_HTTP_PORT = 9201;
export const OPENSEARCH_TRANSPORT_PORT = 9301;
export const LOCAL_S3_REGION = 'us-east-1';
/** Fixed, deliberately non-secret credentials for a loopback-only server. */
export const LOCAL_S3_ACCESS_KEY_ID = 'sluice-local';
export const LOCAL_S3_SECRET_ACCESS_KEY = 'sluice-local-secret';

export function localInfraEnv(): InfraEnv {
  return {
    KAFKA_BROKERS: `${LOCAL_HOST}:${KAFKA_PORT}`,
    S3_ENDPOINT: `http://${LOCAL_HOST}:${S3_PORT}`,
    S3_REGION: LOCAL_S3_REGION,
    S3_ACCESS_KEY_ID: LOCAL_S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: LOCAL_S3_SECRET_ACCESS_KEY,
  };
}

/** Quotes a value for POSIX sh: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `export NAME=value` lines, one per variable, each ending in a newline, for `eval "$(...)"` in a POSIX shell. */
export function formatExports(env: InfraEnv): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${shellQuote(String(value))}\n`)
    .join('');
}

/** The local OpenSearch's HTTP interface (plain HTTP, no credentials), the value of `OPENSEARCH_URL` for tests. */
export function localOpenSearchUrl(): string {
  return `http://${LOCAL_HOST}:${OPENSEARCH_HTTP_PORT}`;
}

/** The local ClickHouse's HTTP interface, the value of `CLICKHOUSE_URL` for tests. */
export function localClickHouseUrl(): string {
  return `http://${LOCAL_HOST}:${CLICKHOUSE_HTTP_PORT}`;
}
