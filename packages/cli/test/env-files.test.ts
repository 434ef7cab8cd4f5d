import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEnvFiles } from '../src/env-files.js';

const files: Record<string, string> = { '/run/secrets/token': 's3cr3t-token\n', '/run/secrets/empty': '\n' };
const read = (path: string): string => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return content;
};

void test('NAME_FILE sets NAME to the file\'s content without its trailing newline', () => {
  const env: NodeJS.ProcessEnv = { SLUICE_API_TOKEN_FILE: '/run/secrets/token' };
  assert.deepEqual(loadEnvFiles(env, read), { ok: true, loaded: ['SLUICE_API_TOKEN'] });
  assert.equal(env['SLUICE_API_TOKEN'], 's3cr3t-token');
});

void test('both NAME and NAME_FILE, an unreadable file and an empty one are refused, naming the variable and never the content', () => {
  const both = loadEnvFiles({ SLUICE_OWNERSHIP_KEY: 'x', SLUICE_OWNERSHIP_KEY_FILE: '/run/secrets/token' }, read);
  assert.deepEqual(both, { ok: false, code: 'ENV_FILE_CONFLICT', message: 'SLUICE_OWNERSHIP_KEY and SLUICE_OWNERSHIP_KEY_FILE are both set: set one of them' });
  const missing = loadEnvFiles({ S3_SECRET_ACCESS_KEY_FILE: '/run/secrets/nope' }, read);
  assert.deepEqual(missing, { ok: false, code: 'ENV_FILE_UNREADABLE', message: 'S3_SECRET_ACCESS_KEY_FILE names /run/secrets/nope, which cannot be read (ENOENT)' });
  const env: NodeJS.ProcessEnv = { SLUICE_API_TOKEN_FILE: '/run/secrets/token', KAFKA_SASL_USERNAME_FILE: '/run/secrets/empty' };
  const empty = loadEnvFiles(env, read);
  assert.equal(empty.ok, false);
  assert.equal(env['SLUICE_API_TOKEN'], undefined, 'nothing is set unless every file was read');
  assert.doesNotMatch(JSON.stringify([both, missing, empty]), /s3cr3t/);
});

void test('sluice stops before any command when a secret file cannot be read, with exit code 2', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const bin = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
  const run = spawnSync(process.execPath, [bin, 'api', '--memory'], { encoding: 'utf8', env: { ...process.env, SLUICE_API_TOKEN: '', SLUICE_API_TOKEN_FILE: '/nonexistent/sluice-token' } });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /SLUICE_API_TOKEN_FILE names \/nonexistent\/sluice-token, which cannot be read \(ENOENT\) \[ENV_FILE_UNREADABLE\]/);
});
