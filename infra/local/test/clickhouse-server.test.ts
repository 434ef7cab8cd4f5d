// Tests for how ClickHouse is found, launched and recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickhouseFiles, clickhouseLaunchArgs, clickhouseServer, findClickHouseServer } from '../src/clickhouse-server.js';
import { isInfraError } from '../src/infra-error.js';
import { infraPaths } from '../src/infra-paths.js';
import { kafkaComponent, sharedKafkaBroker } from '../src/kafka-broker.js';
import { s3Component } from '../src/s3-server.js';

const paths = infraPaths('/repo/infra/local');

test('ClickHouse serves http://127.0.0.1:18123 (native 19000) and keeps its state under .run/clickhouse', () => {
  const server = clickhouseServer(paths);
  assert.equal(server.address, 'http://127.0.0.1:18123');
  assert.equal(server.addressEnv, 'CLICKHOUSE_URL');
  assert.deepEqual(server.ports, [18123, 19000]);
  for (const file of [server.pidFile, ...server.logFiles, ...server.dataDirs]) assert.ok(file.startsWith('/repo/infra/local/.run/clickhouse/'), file);
});

test("its ports clash with neither Kafka's nor S3's", () => {
  const taken = new Set([...kafkaComponent(sharedKafkaBroker(paths)).ports, ...s3Component(paths).ports]);
  for (const port of clickhouseServer(paths).ports) assert.ok(!taken.has(port), String(port));
});

test('it runs with our config file only, and that path is the marker that recognises the process', () => {
  const files = clickhouseFiles(paths);
  const args = clickhouseLaunchArgs(files);
  assert.deepEqual(args, ['--config-file=/repo/infra/local/.run/clickhouse/config.xml']);
  assert.ok(args.some((arg) => arg.includes(clickhouseServer(paths).marker)));
});

test('a missing clickhouse-server is reported with its code and the apt-get command', () => {
  assert.throws(
    () => findClickHouseServer({ lookup: () => undefined, isExecutable: () => false }),
    (error) => isInfraError(error, 'INFRA_CLICKHOUSE_MISSING') && error.message.includes('apt-get install clickhouse-server'),
  );
});

test('PATH is searched first, then /usr/sbin where Debian puts it (not on a non-root PATH)', () => {
  assert.equal(findClickHouseServer({ lookup: () => '/opt/ch/clickhouse-server', isExecutable: () => true }), '/opt/ch/clickhouse-server');
  assert.equal(findClickHouseServer({ lookup: () => undefined, isExecutable: (path) => path === '/usr/sbin/clickhouse-server' }), '/usr/sbin/clickhouse-server');
});
