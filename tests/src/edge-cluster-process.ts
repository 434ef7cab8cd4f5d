// `sluice edge --workers N` as a child process: its ports, and the pids of its workers as the primary reports them on stderr.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { SLUICE_BIN } from './run-sluice.js';

export interface EdgeClusterProcess {
  readonly pid: number;
  readonly port: number;
  readonly adminPort: number;
  /** Everything it printed on stderr so far. */
  output(): string;
  /** The pid of worker `index` as the primary last reported it ("worker 1 (pid 123) listening", "worker 1 restarted (pid 456)"). */
  workerPid(index: number): number | undefined;
  /** Resolves once stderr matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM (each worker stops gracefully), then SIGKILL after `graceMs`; the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export function startEdgeCluster(configFile: string, workers: number, timeoutMs = 60_000): Promise<EdgeClusterProcess> {
  const child = spawn(process.execPath, [SLUICE_BIN, 'edge', '--config', configFile, '--workers', String(workers)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_LOG_LEVEL: 'warn' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sluice edge did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (): void => {
      const port = /listening on https?:\/\/[^\s]*:(\d+) /.exec(output)?.[1];
      const adminPort = /metrics on http:\/\/[^\s]*:(\d+)\/metrics/.exec(output)?.[1];
      if (port === undefined || adminPort === undefined) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      resolve(handle(child, exited, () => output, Number(port), Number(adminPort)));
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`sluice edge exited with ${String(code)} before listening:\n${output}`));
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function handle(child: ChildProcess, exited: Promise<number | null>, output: () => string, port: number, adminPort: number): EdgeClusterProcess {
  return {
    pid: child.pid ?? 0,
    port,
    adminPort,
    output,
    workerPid(index) {
      const pattern = new RegExp(`worker ${index} (?:\\(pid (\\d+)\\) listening|restarted \\(pid (\\d+)\\))`, 'g');
      let pid: number | undefined;
      for (const match of output().matchAll(pattern)) pid = Number(match[1] ?? match[2]);
      return pid;
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output());
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`sluice edge did not print ${String(pattern)} within ${timeoutMs} ms:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
