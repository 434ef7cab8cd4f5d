// Tests for which servers the lifecycle manages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { managedServers } from '../src/infra-lifecycle.js';
import { infraPaths } from '../src/infra-paths.js';

test('infraDown stops ClickHouse and OpenSearch too, along with Kafka and S3', () => {
  assert.deepEqual(
    managedServers(infraPaths('/repo/infra/local')).map((server) => server.name),
    ['kafka', 's3', 'clickhouse', 'opensearch'],
  );
});

test('no two managed servers share a port, a pid file or a marker', () => {
  const servers = managedServers(infraPaths('/repo/infra/local'));
  for (const key of ['pidFile', 'marker'] as const) assert.equal(new Set(servers.map((server) => server[key])).size, servers.length, key);
  const ports = servers.flatMap((server) => server.ports);
  assert.equal(new Set(ports).size, ports.length, ports.join(','));
});
