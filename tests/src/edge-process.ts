// `sluice edge --config FILE` as a child process: resolves with its port once it says it listens, and what it printed on stderr.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { SLUICE_BIN } from './run-sluice.js';

export interface EdgeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything it printed on stderr so far. */
  readonly stderr: () => string;
}

/** Starts the gateway with warnings and up logged; rejects if it exits or has not said where it listens within `timeoutMs`. */
export function startEdgeProcess(configFile: string, timeoutMs = 30_000): Promise<EdgeProcess> {
  const child = spawn(process.execPath, [SLUICE_BIN, 'edge', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  return new Promise<EdgeProcess>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice edge did not start:\n${stderr}`)), timeoutMs);
    child.stderr.on('data', () => {
      const match = /edge: listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), stderr: () => stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sluice edge exited with ${code}:\n${stderr}`));
    });
  });
}
