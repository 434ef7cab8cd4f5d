// Tests for quoting the end of a log file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSize, tailFile } from '../src/log-tail.js';

function log(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'infra-tail-')), 'x.log');
  writeFileSync(file, text);
  return file;
}

test('the tail keeps the last lines, indented, without blank ones', () => {
  assert.equal(tailFile(log('one\ntwo\n\nthree\nfour\n'), 2), '    three\n    four');
});

test('a file shorter than the start offset was rolled over and is read from its beginning', () => {
  const file = log('fresh line\n');
  assert.equal(tailFile(file, 5, 10_000), '    fresh line');
  assert.equal(tailFile(file, 5, fileSize(file)), '    (nothing logged)');
});

test('a missing file is described rather than thrown about', () => {
  assert.equal(tailFile('/nonexistent/x.log', 5), '    (no log file yet)');
  assert.equal(fileSize('/nonexistent/x.log'), 0);
});
