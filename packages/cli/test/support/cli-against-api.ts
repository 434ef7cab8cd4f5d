// The real jobs API on a loopback socket (in-memory stores) and `sluice` run in-process against it, output collected.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer, createAuthenticator, sha256Hex } from '@sluice/api';
import type { ApiServerOptions } from '@sluice/api';
import { createAddressGuard, createGuardedDestinations, parseAllowList, parseOwnershipKey } from '@sluice/destinations';
import { createMemoryHealthStore, createMemoryJobStore } from '@sluice/job-store';
import type { HealthStore, JobStore } from '@sluice/job-store';
import { createLogger } from '@sluice/logging';
import { runCli } from '../../src/cli-program.js';
import type { CommandIo } from '../../src/command-io.js';

// As bin/sluice.js does: the pinned AWS SDK's notice about future Node releases is noise in test output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export const ZONE = '0123456789abcdef0123456789abcdef';
export const OTHER_ZONE = 'fedcba9876543210fedcba9876543210';
export const ACCOUNT = 'aaaabbbbccccddddeeeeffff00001111';
/** Write access to everything; no output may ever contain it. */
export const DEV_TOKEN = 'cli-dev-token-never-printed-7f3a9c';
/** Read access to ZONE only. */
export const READER_TOKEN = 'cli-reader-token-never-printed-51be';

export interface ApiUnderTest {
  /** http://127.0.0.1:<port>/client/v4 */
  url: string;
  store: JobStore;
  health: HealthStore;
  close(): Promise<void>;
}

export type ApiUnderTestOptions = Partial<Pick<ApiServerOptions, 'maxJobsPerZone' | 'ownershipKeys'>> & { withoutOwnershipKeys?: boolean };

export async function startApi(options: ApiUnderTestOptions = {}): Promise<ApiUnderTest> {
  const store = createMemoryJobStore();
  const health = createMemoryHealthStore();
  const key = parseOwnershipKey('cli-api-test-signing-key-0123456789abcdef');
  const destinations = loopbackDestinations();
  if (!key.ok) throw new Error(key.message);
  const app = createApiServer({
    store,
    health,
    registry: destinations.registry,
    addresses: destinations,
    auth: createAuthenticator({
      config: { tokens: [{ name: 'reader', sha256: sha256Hex(READER_TOKEN), scopes: { [`zones/${ZONE}`]: 'read' } }] },
      devToken: DEV_TOKEN,
    }),
    logger: createLogger({ name: 'cli-test-api', level: 'silent' }),
    ...(options.withoutOwnershipKeys ? {} : { ownershipKeys: options.ownershipKeys ?? { current: key.key, accepted: [key.key] } }),
    ...(options.maxJobsPerZone !== undefined ? { maxJobsPerZone: options.maxJobsPerZone } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/client/v4`, store, health, close: () => app.close() };
}

/**
 * Every name resolves to 127.0.0.1, the one address allowed: job writes pass, and a write to a name
 * like logs.example.com can only ever reach this machine (and be refused there).
 */
function loopbackDestinations() {
  const allow = parseAllowList('127.0.0.1');
  if (!allow.ok) throw new Error(allow.message);
  return createGuardedDestinations({ guard: createAddressGuard({ allow: allow.allow, resolve: () => Promise.resolve(['127.0.0.1']) }) });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sluice <args>` in this process; `env` is the whole environment the command sees. */
export async function sluice(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    env,
    fetch: (input, init) => globalThis.fetch(input, init),
    setExitCode: () => undefined,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

export interface Receiver {
  url: string;
  /** Requests received, as `METHOD /path`. */
  requests: string[];
  /** The body of the last request to each path. */
  bodies: Map<string, string>;
  close(): Promise<void>;
}

/** A plain HTTP endpoint that answers every request with `status` (after reading its body). */
export async function startReceiver(status: number): Promise<Receiver> {
  const requests: string[] = [];
  const bodies = new Map<string, string>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
      bodies.set((request.url ?? '').split('?')[0] ?? '', Buffer.concat(chunks).toString('latin1'));
      response.writeHead(status, { 'content-type': 'text/plain', etag: '"0"' }).end(status < 300 ? '' : 'denied');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
