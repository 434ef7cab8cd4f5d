// What the lifecycle needs to know about one managed server (the Kafka broker, S3Proxy, ClickHouse or OpenSearch).
import type { ArtifactLayout } from './maven-artifacts.js';
import type { LaunchSpec } from './process-control.js';
import type { Probe } from './readiness.js';

/** Enough to check ports, wait for, inspect and stop a server, however it is launched. */
export interface ManagedServer {
  readonly name: 'kafka' | 's3' | 'clickhouse' | 'opensearch';
  /** For messages, e.g. "Kafka 3.9.1 on 127.0.0.1:9092". */
  readonly title: string;
  readonly address: string;
  /** The variable a client can set to use another server instead, e.g. `KAFKA_BROKERS`. */
  readonly addressEnv: string;
  readonly host: string;
  /** Every port it listens on; each must be free before it starts. */
  readonly ports: readonly number[];
  readonly pidFile: string;
  /** Logs to read when it misbehaves, main one first. */
  readonly logFiles: readonly string[];
  /** A path on its command line that only our process has, to tell it from a recycled pid. */
  readonly marker: string;
  /** Deleted by `infraDown({ wipe: true })`. */
  readonly dataDirs: readonly string[];
  readonly readyTimeoutMs: number;
  /** How long SIGTERM gets before SIGKILL. */
  readonly stopGraceMs: number;
  readonly probe: Probe;
}

/** A server run on the JVM from jars fetched by Maven (Kafka, S3Proxy). */
export interface InfraComponent extends ManagedServer {
  readonly name: 'kafka' | 's3';
  /** Writes its config (and formats storage if needed); returns how to launch it. */
  prepare(java: string, artifacts: ArtifactLayout): Promise<LaunchSpec>;
}
