// `sluice edge` as a real child process that a test kills with SIGKILL: its ports (the config says port 0 for both listeners), its /healthz, the kill.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { SLUICE_BIN } from './run-sluice.js';

export interface KillableEdge {
  readonly pid: number;
  /** The gateway's port and its admin port (/healthz), as it printed them. */
  readonly port: number;
  readonly adminPort: number;
  /** The publisher's figures from /healthz. */
  health(): Promise<{ readonly publisher: Readonly<Record<string, unknown>> }>;
  /** SIGKILL, and waits for the exit: nothing of the process's shutdown runs. */
  kill9(): Promise<void>;
  /** SIGTERM (a graceful stop), then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `sluice edge --config FILE` (the config should say port 0 for both listeners) and resolves once it listens. */
export function startKillableEdge(configFile: string, timeoutMs = 60_000, bin = SLUICE_BIN): Promise<KillableEdge> {
  const child = spawn(process.execPath, [bin, 'edge', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sluice edge did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const port = /listening on https?:\/\/[^\s]*:(\d+) /.exec(output)?.[1];
      const adminPort = /metrics on http:\/\/[^\s]*:(\d+)\/metrics/.exec(output)?.[1];
      if (port === undefined || adminPort === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      resolve(handle(child, exited, Number(port), Number(adminPort)));
    };
    // It says where it listens on stderr (lines for people), and logs JSON on stdout.
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sluice edge exited with ${String(code)} before listening:\n${output}`));
    });
  });
}

function handle(child: ChildProcess, exited: Promise<number | null>, port: number, adminPort: number): KillableEdge {
  // Nobody reads its logs from here on; they must not fill a pipe and stall it.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    pid: child.pid ?? 0,
    port,
    adminPort,
    async health() {
      const res = await fetch(`http://127.0.0.1:${adminPort}/healthz`);
      return (await res.json()) as { publisher: Record<string, unknown> };
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
