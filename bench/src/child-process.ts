// Runs a compiled bench script in its own Node process and returns the JSON line it prints.
import { spawn } from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `SLUICE_BENCH_CPU_PROF=DIR` writes a CPU profile of each child into DIR (node --cpu-prof). With
 * `onMessage`, the child gets an IPC channel: each message it sends is answered (`{}`) once
 * `onMessage` has resolved, so a child that waits for the answer is held at that point meanwhile.
 */
export function runChild<T>(script: string, args: readonly string[], onMessage?: (message: unknown) => Promise<void>): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const flags = (process.env['SLUICE_BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
    const profile = process.env['SLUICE_BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['SLUICE_BENCH_CPU_PROF']}`] : [];
    const stdio: StdioOptions = onMessage ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'];
    const child = spawn(process.execPath, [...flags, ...profile, path, ...args], { stdio });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    if (onMessage) {
      child.on('message', (message) => {
        onMessage(message).then(
          () => child.send({}),
          (error: unknown) => {
            child.kill();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    }
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${script} exited ${code}: ${stdout}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}
