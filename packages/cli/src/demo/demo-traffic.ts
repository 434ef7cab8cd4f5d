// The demo's users: a few colleagues browsing the wiki through the gateway, an outsider turned away, and forged tokens refused.
import { Agent, request } from 'node:http';
import type { DevSigningKey, ForgedToken } from '@sluice/edge';
import { forgedTokens } from '@sluice/edge';

export interface DemoTrafficOptions {
  readonly key: DevSigningKey;
  readonly gatewayPort: number;
  readonly host: string;
  readonly audience: string;
  readonly ratePerSecond: number;
  readonly signal: AbortSignal;
}

export interface DemoTrafficCounts {
  sent: number;
  /** By status: 200 forwarded, 401/403 refused, … */
  readonly byStatus: Map<number, number>;
}

const PAGES = ['/', '/spaces/ENG', '/spaces/ENG/runbook', '/search?q=oncall', '/pages/4711', '/pages/4711/history', '/attachments/diagram.png'];

/** Sends requests at the given rate until `signal` aborts; every 40th is an attack or an outsider. */
export async function runDemoTraffic(options: DemoTrafficOptions, counts: DemoTrafficCounts): Promise<void> {
  const { key, audience } = options;
  const colleagues = await Promise.all([
    key.mint({ email: 'alice@a.example', audience, groups: ['engineering'], connection: 'okta', country: 'GB', ttlSeconds: 8 * 3600 }),
    key.mint({ email: 'bob@a.example', audience, groups: ['engineering'], connection: 'okta', country: 'DE', ttlSeconds: 8 * 3600 }),
    key.mint({ email: 'carol@partner.example', audience, groups: ['contractors'], connection: 'github', country: 'US', ttlSeconds: 8 * 3600 }),
  ]);
  const outsider = await key.mint({ email: 'dave@elsewhere.example', audience, connection: 'github' });
  const attacks: ForgedToken[] = await forgedTokens(key, 'mallory@a.example', audience);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const intervalMs = 1000 / options.ratePerSecond;
  const started = Date.now();
  try {
    while (!options.signal.aborted) {
      const n = counts.sent++;
      const token = n % 40 === 39 ? (n % 80 === 79 ? outsider : attacks[(n / 80) % attacks.length | 0].token) : colleagues[n % colleagues.length];
      const path = PAGES[(n * 7 + (n >> 3)) % PAGES.length];
      void send(agent, options.gatewayPort, options.host, path, token).then((status) => counts.byStatus.set(status, (counts.byStatus.get(status) ?? 0) + 1));
      const wait = started + (n + 1) * intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    agent.destroy();
  }
}

function send(agent: Agent, port: number, host: string, path: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { host, 'cf-access-jwt-assertion': token, 'user-agent': 'sluice-demo/1.0', accept: 'text/html' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}
