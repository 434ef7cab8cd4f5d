// Tests for finding java and mvn and for reading Java's version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInfraError } from '../src/infra-error.js';
import { checkJavaVersion, findJava, findMaven, parseJavaMajorVersion, pathLookup } from '../src/toolchain.js';

const nothing = (): undefined => undefined;

test('a missing java is reported with its code and how to install it', () => {
  assert.throws(
    () => findJava({ lookup: nothing, javaHome: undefined }),
    (error) => isInfraError(error, 'INFRA_JAVA_MISSING') && /apt-get install openjdk-17-jre-headless maven/.test(error.message),
  );
});

test('a missing mvn is reported with its own code and the same install hint', () => {
  assert.throws(
    () => findMaven(nothing),
    (error) => isInfraError(error, 'INFRA_MAVEN_MISSING') && /apt-get install openjdk-17-jre-headless maven/.test(error.message),
  );
});

test('java is taken from JAVA_HOME before PATH', () => {
  const java = findJava({ lookup: () => '/usr/bin/java', javaHome: '/opt/jdk-21', isExecutable: (path) => path === '/opt/jdk-21/bin/java' });
  assert.equal(java, '/opt/jdk-21/bin/java');
});

test('a JAVA_HOME without bin/java falls back to PATH', () => {
  const java = findJava({ lookup: (name) => (name === 'java' ? '/usr/bin/java' : undefined), javaHome: '/opt/broken', isExecutable: () => false });
  assert.equal(java, '/usr/bin/java');
});

test('the PATH lookup returns the first directory holding an executable of that name', () => {
  const [first, second] = [mkdtempSync(join(tmpdir(), 'infra-path-')), mkdtempSync(join(tmpdir(), 'infra-path-'))];
  writeFileSync(join(first, 'mvn'), '#!/bin/sh\n');
  chmodSync(join(first, 'mvn'), 0o644);
  writeFileSync(join(second, 'mvn'), '#!/bin/sh\n');
  chmodSync(join(second, 'mvn'), 0o755);
  const lookup = pathLookup(`${first}:${second}`);
  assert.equal(lookup('mvn'), join(second, 'mvn'));
  assert.equal(lookup('java'), undefined);
});

test('Java versions are read from both the modern and the 1.x scheme', () => {
  assert.equal(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'), 17);
  assert.equal(parseJavaMajorVersion('openjdk version "21" 2023-09-19'), 21);
  assert.equal(parseJavaMajorVersion('java version "1.8.0_392"'), 8);
  assert.equal(parseJavaMajorVersion('something else'), undefined);
});

test('a java older than 17 is refused with INFRA_JAVA_TOO_OLD', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-java-'));
  const fakeJava = join(dir, 'java');
  writeFileSync(fakeJava, '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n');
  chmodSync(fakeJava, 0o755);
  await assert.rejects(checkJavaVersion(fakeJava), (error) => isInfraError(error, 'INFRA_JAVA_TOO_OLD') && error.message.includes('Java 11'));
});
