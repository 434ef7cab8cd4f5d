// A long-running `sluice <command>` child process: started until its output says it is ready, stopped with SIGTERM as
// Kubernetes stops a pod, with the exit code and how long the stop took.
import { spawn } from 'node:child_process';
import { SLUICE_BIN } from './run-sluice.js';

export interface SluiceServiceOptions {
  /** The command line after `sluice`, e.g. ['api', '--port', '0']. */
  readonly args: readonly string[];
  /** Added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** The working directory (an image's WORKDIR); this process's when absent. */
  readonly cwd?: string;
  /** The `sluice.js` to run; the repository's when absent. */
  readonly bin?: string;
  /** Ready once stdout or stderr matches; its first capture (or the whole match) becomes `found`. */
  readonly ready: RegExp;
  readonly startTimeoutMs?: number;
}

export interface ServiceStop {
  /** The exit code; null when it had to be killed after the grace period. */
  readonly code: number | null;
  /** From SIGTERM to exit. */
  readonly ms: number;
}

export interface SluiceService {
  readonly pid: number;
  /** The first capture of `ready` in its output. */
  readonly found: string;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs` (Kubernetes' default 30 s). */
  stop(graceMs?: number): Promise<ServiceStop>;
}

export function startSluiceService(options: SluiceServiceOptions): Promise<SluiceService> {
  const name = options.args[0] ?? 'sluice';
  const child = spawn(process.execPath, [options.bin ?? SLUICE_BIN, ...options.args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let output = '';
  let stopped: Promise<ServiceStop> | undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`))), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = options.ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        pid: child.pid ?? 0,
        found: match[1] ?? match[0],
        output: () => output,
        stop(graceMs = 30_000) {
          stopped ??= (async () => {
            const started = Date.now();
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(killer);
            return { code, ms: Date.now() - started };
          })();
          return stopped;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)} before it was ready:\n${output}`));
    });
  });
}
