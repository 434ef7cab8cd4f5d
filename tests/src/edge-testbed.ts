// What an edge e2e test runs against: a scratch Kafka broker, the demo origin, a folder with a development JWKS, and a user's token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevSigningKey, startDemoOrigin } from '@sluice/edge';
import type { DemoOrigin } from '@sluice/edge';
import type { ScratchKafka } from '@sluice/infra-local';
import { withScratchKafka } from './scratch-kafka.js';

export interface EdgeTestbed {
  readonly kafka: ScratchKafka;
  readonly origin: DemoOrigin;
  /** Holds `jwks.json` (for `identity.jwks_file`); configs and spools go here too. */
  readonly dir: string;
  /** alice@example.com's token for the audience `wiki-aud`, valid for an hour. */
  readonly token: string;
  /** Stops the origin and the broker, and deletes the folder. */
  dispose(): Promise<void>;
}

export async function startEdgeTestbed(name: string): Promise<EdgeTestbed> {
  const kafka = await withScratchKafka(name);
  const origin = await startDemoOrigin();
  const dir = mkdtempSync(join(tmpdir(), `sluice-${name}-`));
  const key = await loadOrCreateDevSigningKey(join(dir, 'dev-key.json'));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(key.jwks()));
  const token = await key.mint({ email: 'alice@example.com', audience: 'wiki-aud', ttlSeconds: 3_600 });
  return {
    kafka,
    origin,
    dir,
    token,
    async dispose() {
      await origin.close();
      await kafka.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
