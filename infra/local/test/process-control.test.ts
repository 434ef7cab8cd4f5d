// Tests for starting detached processes, recognising them by pid file and stopping them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, killProcess, processMatches, readPidFile, runningPid, startDetached, stopProcess } from '../src/process-control.js';

function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'infra-proc-'));
}

/** A node process that prints a line and then idles; with `ignoreTerm` it shrugs off SIGTERM. */
function idler(dir: string, ignoreTerm: boolean): { command: string; args: string[]; cwd: string; consoleFile: string; marker: string } {
  const marker = join(dir, 'idler-marker.js');
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} console.log('idler up'); setInterval(() => {}, 1000);`;
  writeFileSync(marker, code);
  return { command: process.execPath, args: [marker], cwd: dir, consoleFile: join(dir, 'console.log'), marker };
}

test('a started process gets a pid file, is recognised by its marker and writes to the console file', async () => {
  const dir = workDir();
  const spec = idler(dir, false);
  const pidFile = join(dir, 'idler.pid');
  const pid = startDetached(spec, pidFile);
  try {
    assert.equal(readPidFile(pidFile), pid);
    assert.equal(runningPid(pidFile, spec.marker), pid);
    assert.equal(processMatches(pid, join(dir, 'some-other-config')), false);
    for (let i = 0; i < 50 && !readFileSync(spec.consoleFile, 'utf8').includes('idler up'); i += 1) await sleep(50);
    assert.match(readFileSync(spec.consoleFile, 'utf8'), /idler up/);
  } finally {
    assert.equal(await stopProcess(pid, { graceMs: 5_000 }), 'terminated');
  }
  assert.equal(isProcessAlive(pid), false);
  assert.equal(runningPid(pidFile, spec.marker), undefined);
});

test('a process that ignores SIGTERM is killed once the grace period is over', async () => {
  const dir = workDir();
  const spec = idler(dir, true);
  const pid = startDetached(spec, join(dir, 'stubborn.pid'));
  for (let i = 0; i < 50 && !readFileSync(spec.consoleFile, 'utf8').includes('idler up'); i += 1) await sleep(50);
  const startedAt = Date.now();
  assert.equal(await stopProcess(pid, { graceMs: 300, pollMs: 20 }), 'killed');
  assert.ok(Date.now() - startedAt >= 300);
  assert.equal(isProcessAlive(pid), false);
});

test('killing sends SIGKILL at once, without waiting for a process that would ignore SIGTERM', async () => {
  const dir = workDir();
  const spec = idler(dir, true);
  const pid = startDetached(spec, join(dir, 'crashed.pid'));
  for (let i = 0; i < 50 && !readFileSync(spec.consoleFile, 'utf8').includes('idler up'); i += 1) await sleep(50);
  assert.equal(await killProcess(pid, 20), 'killed');
  assert.equal(isProcessAlive(pid), false);
  assert.equal(await killProcess(pid, 20), 'not-running');
});

test('stopping a pid that no longer exists says so instead of failing', async () => {
  const dir = workDir();
  const pid = startDetached({ command: process.execPath, args: ['-e', ''], cwd: dir, consoleFile: join(dir, 'c.log') }, join(dir, 'p.pid'));
  for (let i = 0; i < 100 && isProcessAlive(pid); i += 1) await sleep(20);
  assert.equal(await stopProcess(pid, { graceMs: 100 }), 'not-running');
});

test('a garbled or missing pid file reads as no pid', () => {
  const dir = workDir();
  writeFileSync(join(dir, 'bad.pid'), 'not a number\n');
  assert.equal(readPidFile(join(dir, 'bad.pid')), undefined);
  assert.equal(readPidFile(join(dir, 'missing.pid')), undefined);
  assert.equal(runningPid(join(dir, 'missing.pid'), 'x'), undefined);
});
