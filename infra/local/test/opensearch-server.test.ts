// Tests for how the local OpenSearch is configured, launched and recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickhouseServer } from '../src/clickhouse-server.js';
import { infraPaths } from '../src/infra-paths.js';
import { kafkaComponent, sharedKafkaBroker } from '../src/kafka-broker.js';
import { openSearchArtifacts } from '../src/maven-artifacts.js';
import { renderOpenSearchLog4j2, renderOpenSearchYml } from '../src/opensearch-config.js';
import { OPENSEARCH_MAIN_CLASS, openSearchFiles, openSearchLaunchArgs, openSearchServer } from '../src/opensearch-server.js';
import { s3Component } from '../src/s3-server.js';

const paths = infraPaths('/repo/infra/local');

test('OpenSearch serves http://127.0.0.1:9201 (transport 9301) and keeps its state under .run/opensearch', () => {
  const server = openSearchServer(paths);
  assert.equal(server.address, 'http://127.0.0.1:9201');
  assert.equal(server.addressEnv, 'OPENSEARCH_URL');
  assert.deepEqual(server.ports, [9201, 9301]);
  for (const file of [server.pidFile, ...server.logFiles, ...server.dataDirs, server.marker]) assert.ok(file.startsWith('/repo/infra/local/.run/opensearch/'), file);
});

test("its ports clash with none of Kafka's, S3's or ClickHouse's", () => {
  const taken = new Set([...kafkaComponent(sharedKafkaBroker(paths)).ports, ...s3Component(paths).ports, ...clickhouseServer(paths).ports]);
  for (const port of openSearchServer(paths).ports) assert.ok(!taken.has(port), String(port));
});

test('the runner starts one node whose HTTP port is base + 1, with our paths; the config folder on the command line is the marker', () => {
  const files = openSearchFiles(paths);
  const args = openSearchLaunchArgs(files, openSearchArtifacts(paths));
  const main = args.indexOf(OPENSEARCH_MAIN_CLASS);
  assert.ok(main > 0 && args[main - 2] === '-cp' && args[main - 1]?.endsWith('/libs/*'), args.join(' '));
  const option = (name: string): string | undefined => args[args.indexOf(name) + 1];
  assert.equal(option('-numOfNode'), '1');
  assert.equal(Number(option('-baseHttpPort')) + 1, 9201);
  assert.equal(option('-confPath'), '/repo/infra/local/.run/opensearch/config');
  assert.equal(option('-dataPath'), '/repo/infra/local/.run/opensearch/data');
  assert.ok(args.includes('-Xmx512m') && args.includes('-Xms512m'));
  assert.ok(args.some((arg) => arg.includes(openSearchServer(paths).marker)));
});

test('opensearch.yml binds loopback only, fixes the transport port, runs as a single node and never blocks writes on disk usage', () => {
  const yml = renderOpenSearchYml({ host: '127.0.0.1', transportPort: 9301 });
  for (const line of ['network.host: 127.0.0.1', 'transport.port: 9301', 'discovery.type: single-node', 'cluster.routing.allocation.disk.threshold_enabled: false']) {
    assert.ok(yml.split('\n').includes(line), line);
  }
  assert.doesNotMatch(yml, /plugins\.security/, 'the runner has no security plugin: such a setting would be refused as unknown');
});

test('logging goes to one file and not to the console', () => {
  const properties = renderOpenSearchLog4j2('/repo/infra/local/.run/opensearch/logs/opensearch.log');
  assert.match(properties, /^appender\.file\.fileName = \/repo\/infra\/local\/\.run\/opensearch\/logs\/opensearch\.log$/m);
  assert.match(properties, /^rootLogger\.appenderRef\.file\.ref = file$/m);
  assert.doesNotMatch(properties, /Console/);
});
