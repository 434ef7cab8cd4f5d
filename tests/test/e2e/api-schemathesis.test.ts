// Schemathesis fuzzes the jobs API from its own /client/v4/openapi.json: no answer is a 5xx, and every answer matches the document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAccessLogStore, createApiServer, createAuthenticator } from '@sluice/api';
import { parseOwnershipKey } from '@sluice/destinations';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { loopbackDestinations } from '../../src/api-destinations.js';
import { inMemoryDestinations } from '../../src/in-memory-destinations.js';

/** Where .ci/run installs the pinned schemathesis (a venv under the ignored .cache/); SLUICE_SCHEMATHESIS overrides. */
const ST = process.env['SLUICE_SCHEMATHESIS'] ?? fileURLToPath(new URL('../../../../.cache/schemathesis/bin/st', import.meta.url));
const TOKEN = 'schemathesis-token';
/** Test cases per operation and phase, and the run's deadline: a bounded run on a shared 2-core machine. */
const MAX_EXAMPLES = Number(process.env['SLUICE_SCHEMATHESIS_EXAMPLES'] ?? 25);
const DEADLINE_MS = 8 * 60_000;
/** Fixed unless asked otherwise, so a failure in CI replays locally with the same cases. */
const SEED = process.env['SLUICE_SCHEMATHESIS_SEED'] ?? '20260131';

let app: ReturnType<typeof createApiServer>;
let documentUrl: string;

before(async () => {
  const key = parseOwnershipKey('schemathesis-ownership-signing-key-0123456789');
  if (!key.ok) throw new Error(key.message);
  app = createApiServer({
    store: createMemoryJobStore(),
    health: createMemoryHealthStore(),
    registry: inMemoryDestinations().registry,
    // Generated destinations name any host: all resolve to loopback here, and the in-memory kinds never connect.
    addresses: loopbackDestinations({ resolve: () => Promise.resolve(['127.0.0.1']) }),
    auth: createAuthenticator({ devToken: TOKEN }),
    ownershipKeys: { current: key.key, accepted: [key.key] },
    // Schemathesis sends thousands of requests; the limit itself is tested in the API's unit tests.
    rateLimit: false,
    // The access_requests route answers from a small index, so its parameters are fuzzed against real queries.
    accessLogs: accessLogsWithEvents(),
    logger: createLogger({ name: 'api-schemathesis', level: 'silent' }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  documentUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/client/v4/openapi.json`;
});

after(() => app?.close());

function accessLogsWithEvents() {
  const store = createAccessLogStore();
  const now = BigInt(Date.now()) * 1_000_000n;
  store.add(
    Array.from({ length: 30 }, (_, i) => ({
      accountId: '0'.repeat(32),
      createdAtNs: now - BigInt(i) * 60_000_000_000n,
      userEmail: i % 5 === 0 ? '' : `user${i % 3}@example.com`,
      ipAddress: '192.0.2.1',
      appUid: `app-${i % 2}`,
      appDomain: 'wiki.example.com',
      appType: 'self_hosted',
      action: 'login',
      allowed: i % 4 !== 0,
      connection: 'saml',
      country: 'US',
      rayId: `ray-${i}`,
      userUid: '',
      denyReasonCode: i % 4 === 0 ? 'IDENTITY_EXPIRED' : '',
      denyReason: i % 4 === 0 ? 'token expired' : '',
    })),
  );
  return store;
}

function runSchemathesis(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its cache of failing cases goes into a scratch folder, not the work tree: each run starts clean.
    const cwd = mkdtempSync(join(tmpdir(), 'sluice-schemathesis-'));
    const child = spawn(ST, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

test('schemathesis finds no 5xx and no answer that departs from the OpenAPI document', { timeout: DEADLINE_MS + 60_000 }, async (t) => {
  assert.ok(existsSync(ST), `schemathesis is not installed at ${ST}: .ci/run installs it (python3 -m venv .cache/schemathesis && .cache/schemathesis/bin/pip install schemathesis==4.32.5)`);
  const { code, output } = await runSchemathesis([
    'run',
    documentUrl,
    '--header',
    `Authorization: Bearer ${TOKEN}`,
    '--checks',
    process.env['SLUICE_SCHEMATHESIS_CHECKS'] ?? 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    SEED,
    '--workers',
    '1',
    '--generation-database',
    'none',
    '--no-color',
  ]);
  assert.equal(code, 0, `schemathesis failed (exit ${code}):\n${output.slice(-20_000)}`);
  // The summary (operations, test cases, checks) shows in the test report, so a run that tested nothing is seen.
  for (const line of output.trim().split('\n').slice(-12)) t.diagnostic(line);
});
