// Tests for locating infra/local from the module's own file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInfraError } from '../src/infra-error.js';
import { findPackageRoot, infraPaths } from '../src/infra-paths.js';

test('the package root is found from the compiled file, whatever the current directory', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = infraPaths().root;
  assert.ok(here.startsWith(root));
  assert.equal((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name, '@sluice/infra-local');
  assert.ok(existsSync(infraPaths().pomFile));
});

test('runtime state and the Maven cache live in the git-ignored .run and .cache folders', () => {
  const paths = infraPaths('/repo/infra/local');
  assert.equal(paths.cacheDir, '/repo/infra/local/.cache');
  assert.equal(paths.runDir, '/repo/infra/local/.run');
  assert.ok(paths.kafkaRunDir.startsWith('/repo/infra/local/.run/'));
  assert.ok(paths.s3RunDir.startsWith('/repo/infra/local/.run/'));
  assert.ok(paths.lockFile.startsWith('/repo/infra/local/.run/'));
});

test('outside the package the root lookup fails with INFRA_LAYOUT_UNKNOWN', () => {
  assert.throws(() => findPackageRoot(tmpdir()), (error) => isInfraError(error, 'INFRA_LAYOUT_UNKNOWN'));
});
