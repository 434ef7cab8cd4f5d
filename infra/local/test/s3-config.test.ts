// Tests for the rendered S3Proxy properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProperties } from '../src/java-properties.js';
import { renderS3ProxyProperties } from '../src/s3-config.js';

const input = { endpoint: 'http://127.0.0.1:9000', accessKeyId: 'sluice-local', secretAccessKey: 'sluice-local-secret', dataDir: '/srv/sluice/.run/s3/data' };

test('S3Proxy listens on the loopback endpoint and checks v2 and v4 signatures with the local keys', () => {
  const settings = parseProperties(renderS3ProxyProperties(input));
  assert.equal(settings.get('s3proxy.endpoint'), 'http://127.0.0.1:9000');
  assert.equal(settings.get('s3proxy.authorization'), 'aws-v2-or-v4');
  assert.equal(settings.get('s3proxy.identity'), 'sluice-local');
  assert.equal(settings.get('s3proxy.credential'), 'sluice-local-secret');
});

test('S3Proxy stores objects as files under the data dir with the nio2 provider', () => {
  const settings = parseProperties(renderS3ProxyProperties(input));
  assert.equal(settings.get('jclouds.provider'), 'filesystem-nio2');
  assert.equal(settings.get('jclouds.filesystem.basedir'), '/srv/sluice/.run/s3/data');
  assert.equal(settings.has('s3proxy.virtual-host'), false);
});
