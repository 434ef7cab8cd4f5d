// What the lifecycle needs to know about one managed server (the Kafka broker or S3Proxy).
import type { ArtifactLayout } from './maven-artifacts.js';
import type { LaunchSpec } from './process-control.js';
import type { Probe } from './readiness.js';

export interface InfraComponent {
  readonly name: 'kafka' | 's3';
  /** For messages, e.g. "Kafka 3.9.1 on 127.0.0.1:9092". */
  readonly title: string;
  readonly address: string;
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
  /** Writes its config (and formats storage if needed); returns how to launch it. */
  prepare(java: string, artifacts: ArtifactLayout): Promise<LaunchSpec>;
  readonly probe: Probe;
}
