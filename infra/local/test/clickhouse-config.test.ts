// Tests for the generated ClickHouse config: our ports, loopback only, every path under .run/clickhouse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderClickHouseConfig, renderClickHouseUsers } from '../src/clickhouse-config.js';

const input = {
  host: '127.0.0.1',
  httpPort: 18123,
  tcpPort: 19000,
  dataDir: '/repo/.run/clickhouse/data',
  tmpDir: '/repo/.run/clickhouse/tmp',
  userFilesDir: '/repo/.run/clickhouse/user_files',
  formatSchemaDir: '/repo/.run/clickhouse/format_schemas',
  logFile: '/repo/.run/clickhouse/clickhouse.log',
  errorLogFile: '/repo/.run/clickhouse/clickhouse.err.log',
  users: '/repo/.run/clickhouse/users.xml',
};

function element(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((match) => match[1] ?? '');
}

test('the server listens on 127.0.0.1 only, on the HTTP and native ports given', () => {
  const xml = renderClickHouseConfig(input);
  assert.deepEqual(element(xml, 'listen_host'), ['127.0.0.1']);
  assert.deepEqual(element(xml, 'http_port'), ['18123']);
  assert.deepEqual(element(xml, 'tcp_port'), ['19000']);
  // Ports a system install would also open are not configured at all.
  for (const name of ['https_port', 'tcp_port_secure', 'interserver_http_port', 'mysql_port']) assert.deepEqual(element(xml, name), [], name);
});

test('data, tmp and log paths are ours, folders with the trailing slash 18.16 needs', () => {
  const xml = renderClickHouseConfig(input);
  assert.deepEqual(element(xml, 'path'), ['/repo/.run/clickhouse/data/']);
  assert.deepEqual(element(xml, 'tmp_path'), ['/repo/.run/clickhouse/tmp/']);
  assert.deepEqual(element(xml, 'log'), ['/repo/.run/clickhouse/clickhouse.log']);
  assert.deepEqual(element(xml, 'errorlog'), ['/repo/.run/clickhouse/clickhouse.err.log']);
  assert.deepEqual(element(xml, 'users_config'), ['/repo/.run/clickhouse/users.xml']);
  assert.ok(!xml.includes('/var/lib/clickhouse') && !xml.includes('/var/log'));
});

test('paths with XML special characters are escaped', () => {
  const xml = renderClickHouseConfig({ ...input, dataDir: '/tmp/a&b<c>' });
  assert.deepEqual(element(xml, 'path'), ['/tmp/a&amp;b&lt;c&gt;/']);
});

test('the default user has no password and is reachable from loopback only', () => {
  const xml = renderClickHouseUsers();
  assert.deepEqual(element(xml, 'password'), ['']);
  assert.deepEqual(element(xml, 'ip'), ['127.0.0.1', '::1']);
});
