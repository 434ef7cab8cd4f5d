// Runs a compiled bench script in its own Node process and returns the JSON line it prints.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `SLUICE_BENCH_CPU_PROF=DIR` writes a CPU profile of each child into DIR (node --cpu-prof). */
export function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const flags = (process.env['SLUICE_BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
    const profile = process.env['SLUICE_BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['SLUICE_BENCH_CPU_PROF']}`] : [];
    const child = spawn(process.execPath, [...flags, ...profile, path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${script} exited ${code}: ${stdout}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}
