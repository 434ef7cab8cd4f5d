// Tests for how S3Proxy is launched and recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infraPaths } from '../src/infra-paths.js';
import { artifactLayout } from '../src/maven-artifacts.js';
import { s3Component, s3Files, s3LaunchArgs } from '../src/s3-server.js';

const paths = infraPaths('/repo/infra/local');

test('S3Proxy runs its jar-with-dependencies with the generated properties file', () => {
  const files = s3Files(paths);
  const args = s3LaunchArgs(files, artifactLayout(paths));
  assert.deepEqual(args.slice(-4), ['-jar', artifactLayout(paths).s3proxyJar, '--properties', files.properties]);
  assert.ok(args.some((arg) => arg.startsWith('-Xmx')));
});

test('the marker that identifies our S3Proxy process is on its command line', () => {
  assert.ok(s3LaunchArgs(s3Files(paths), artifactLayout(paths)).includes(s3Component(paths).marker));
});

test('S3Proxy serves http://127.0.0.1:9000 and keeps its state under .run/s3', () => {
  const component = s3Component(paths);
  assert.equal(component.address, 'http://127.0.0.1:9000');
  assert.deepEqual(component.ports, [9000]);
  for (const file of [component.pidFile, ...component.logFiles, ...component.dataDirs]) assert.ok(file.startsWith('/repo/infra/local/.run/s3/'), file);
});
