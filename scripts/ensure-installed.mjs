// Installs the locked npm dependencies when a fresh clone has none yet, so `npm start` and
// `npm run bench` work straight after `git clone`.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('node_modules/kafkajs') || !existsSync('node_modules/typescript')) {
  console.error('sluice: installing npm dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
