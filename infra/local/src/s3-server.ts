// The local S3 server: S3Proxy's single jar, storing buckets as folders under .run/s3/data.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraComponent } from './infra-component.js';
import { LOCAL_HOST, S3_PORT, localInfraEnv } from './infra-env.js';
import type { InfraPaths } from './infra-paths.js';
import { S3PROXY_VERSION } from './maven-artifacts.js';
import type { ArtifactLayout } from './maven-artifacts.js';
import { probeS3 } from './readiness.js';
import { renderS3ProxyProperties } from './s3-config.js';

/** S3Proxy streams objects to disk, so a small heap does; the logback status lines are noise. */
export const S3PROXY_JVM_OPTIONS = ['-Xms64m', '-Xmx512m', '-Djava.awt.headless=true', '-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener'] as const;

export interface S3Files {
  readonly properties: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly pidFile: string;
}

export function s3Files(paths: InfraPaths): S3Files {
  const dir = paths.s3RunDir;
  return {
    properties: join(dir, 's3proxy.conf'),
    dataDir: join(dir, 'data'),
    logFile: join(dir, 's3proxy.log'),
    pidFile: join(dir, 's3proxy.pid'),
  };
}

export function s3LaunchArgs(files: S3Files, artifacts: ArtifactLayout): string[] {
  return [...S3PROXY_JVM_OPTIONS, '-jar', artifacts.s3proxyJar, '--properties', files.properties];
}

export function s3Component(paths: InfraPaths): InfraComponent {
  const files = s3Files(paths);
  const env = localInfraEnv();
  return {
    name: 's3',
    title: `S3Proxy ${S3PROXY_VERSION} on ${env.S3_ENDPOINT}`,
    address: env.S3_ENDPOINT,
    addressEnv: 'S3_ENDPOINT',
    host: LOCAL_HOST,
    ports: [S3_PORT],
    pidFile: files.pidFile,
    // S3Proxy logs to stdout, which goes to this file.
    logFiles: [files.logFile],
    marker: files.properties,
    dataDirs: [files.dataDir],
    readyTimeoutMs: 60_000,
    stopGraceMs: 10_000,
    probe: () => probeS3(env),
    prepare: (java, artifacts) => {
      mkdirSync(files.dataDir, { recursive: true });
      writeFileSync(
        files.properties,
        renderS3ProxyProperties({ endpoint: env.S3_ENDPOINT, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY, dataDir: files.dataDir }),
      );
      return Promise.resolve({ command: java, args: s3LaunchArgs(files, artifacts), cwd: files.dataDir, consoleFile: files.logFile });
    },
  };
}
