// Tests for reading elasticsearch:// and opensearch:// destination_conf URIs: defaults, TLS switches, index names, credentials never echoed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseElasticsearchConf } from '../../src/elasticsearch/elasticsearch-config.js';
import type { ElasticsearchConfig } from '../../src/elasticsearch/elasticsearch-config.js';
import { defaultDestinations } from '../../src/registry.js';

const KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAy';

function parsed(conf: string): ElasticsearchConfig {
  const result = parseElasticsearchConf(conf);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.config;
}

function refusal(conf: string): string {
  const result = parseElasticsearchConf(conf);
  assert.equal(result.ok, false, `expected ${conf} to be refused`);
  return result.ok ? '' : result.message;
}

test('host, port, index and headers are read; TLS with verification is the default', () => {
  const config = parsed(`elasticsearch://es.example.com:9243/cloudflare-http?header_Authorization=ApiKey%20${KEY}&header_X-Opaque-Id=sluice`);
  assert.deepEqual(
    [config.scheme, config.host, config.port, config.index, config.tls, config.rejectUnauthorized],
    ['elasticsearch', 'es.example.com', 9243, 'cloudflare-http', true, true],
  );
  assert.deepEqual(config.headers, [
    ['Authorization', `ApiKey ${KEY}`],
    ['X-Opaque-Id', 'sluice'],
  ]);
  assert.equal(config.location, 'elasticsearch://es.example.com:9243/cloudflare-http');
  assert.equal(config.description, 'elasticsearch://es.example.com:9243/cloudflare-http (headers: Authorization, X-Opaque-Id)');
  assert.ok(config.secrets.includes(KEY) && config.secrets.includes(`ApiKey ${KEY}`));
});

test('without a port it is 9200, an explicit :443 stays 443, and opensearch:// is read the same way', () => {
  assert.equal(parsed('elasticsearch://10.0.0.5/logs').port, 9200);
  assert.equal(parsed('elasticsearch://es.example.com:443/logs').port, 443);
  const config = parsed('OpenSearch://[::1]:9201/logs/?tls=false');
  assert.deepEqual([config.scheme, config.host, config.port, config.index, config.tls], ['opensearch', '[::1]', 9201, 'logs', false]);
  assert.equal(config.description, 'opensearch://[::1]:9201/logs?tls=false');
});

test('tls and insecure-skip-verify take only true or false, and skipping verification needs TLS', () => {
  assert.equal(parsed('elasticsearch://h/logs?insecure-skip-verify=true').rejectUnauthorized, false);
  assert.match(parsed('elasticsearch://h/logs?insecure-skip-verify=true').description, /\?insecure-skip-verify=true$/);
  assert.match(refusal('elasticsearch://h/logs?tls=no'), /tls must be true or false, not "no"/);
  assert.match(refusal('elasticsearch://h/logs?insecure-skip-verify=1'), /insecure-skip-verify must be true or false/);
  assert.match(refusal('elasticsearch://h/logs?tls=false&insecure-skip-verify=true'), /only applies to TLS/);
});

test('user:password@ becomes a Basic Authorization header; the password is a secret and is never described', () => {
  const config = parsed('elasticsearch://elastic:pa%40ss-w0rd@es.example.com/logs');
  assert.deepEqual(config.headers, [['Authorization', `Basic ${Buffer.from('elastic:pa@ss-w0rd').toString('base64')}`]]);
  assert.ok(config.secrets.includes('pa@ss-w0rd'));
  assert.ok(!config.description.includes('pa@ss') && !config.description.includes('elastic:'), config.description);
});

test('credentials given twice, or half given, are refused without quoting them', () => {
  const twice = refusal(`elasticsearch://elastic:S3CRETPW@h/logs?header_Authorization=ApiKey%20${KEY}`);
  assert.match(twice, /credentials are given twice/);
  const half = refusal('elasticsearch://S3CRETPW@h/logs');
  assert.match(half, /must be user:password/);
  for (const message of [twice, half]) assert.ok(!message.includes('S3CRETPW') && !message.includes(KEY), message);
});

test('the path must be exactly one valid index name', () => {
  assert.match(refusal('elasticsearch://h'), /exactly one index name.*got "\(none\)"/);
  assert.match(refusal('elasticsearch://h/a/b'), /exactly one index name.*got "\/a\/b"/);
  assert.match(refusal('elasticsearch://h/Logs'), /index "Logs" must be lower case/);
  assert.match(refusal('elasticsearch://h/_logs'), /may not start with -, _ or \+/);
  assert.match(refusal('elasticsearch://h/lo%2Ags'), /may not contain "\*"/);
  assert.match(refusal('elasticsearch://h/..'), /may not be "\." or "\.\."/);
  assert.match(refusal(`elasticsearch://h/${'a'.repeat(256)}`), /longer than 255 bytes/);
  assert.equal(parsed('elasticsearch://h/logs-2026.01_x').index, 'logs-2026.01_x');
});

test('unknown or repeated parameters, reserved headers and bad header names are refused, never quoting a value', () => {
  assert.match(refusal('elasticsearch://h/logs?pipeline=geoip'), /unknown parameter "pipeline"; known: tls, insecure-skip-verify, header_<Name>/);
  assert.match(refusal('elasticsearch://h/logs?tls=true&tls=false'), /"tls" is given more than once/);
  assert.match(refusal('elasticsearch://h/logs?header_Content-Type=application%2Fjson'), /Content-Type is set by Sluice itself/);
  assert.match(refusal('elasticsearch://h/logs?header_Content-Encoding=br'), /Content-Encoding is set by Sluice itself/);
  const badName = refusal(`elasticsearch://h/logs?header_Authorization:ApiKey%20${KEY}`);
  assert.match(badName, /"header_Authorization…" is not a valid header name/);
  assert.ok(!badName.includes(KEY), badName);
});

test('other schemes, a fragment and bad hosts are refused with an example', () => {
  assert.match(refusal('https://h/logs'), /expected elasticsearch:\/\//);
  assert.match(refusal('elasticsearch://h/logs#x'), /percent-encode it as %23/);
  assert.match(refusal('elasticsearch://h:99999/logs'), /"h:99999" is not a host\[:port\]/);
  assert.match(refusal('elasticsearch://h:0/logs'), /port 0/);
});

test('the default registry serves elasticsearch:// and opensearch:// with this kind', () => {
  assert.equal(defaultDestinations.check(`elasticsearch://es.example.com/logs?header_Authorization=ApiKey%20${KEY}`), undefined);
  const destination = defaultDestinations.create('opensearch://127.0.0.1:9201/logs?tls=false');
  assert.equal(destination.kind, 'elasticsearch');
  assert.equal(destination.description, 'opensearch://127.0.0.1:9201/logs?tls=false');
  return destination.close();
});
