// The access-log index under load: 1,000,000 events in SQLite, then the API's typical queries timed (p50/p99, target < 50 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAccessLogStore, parseAccessLogQuery } from '@sluice/api';
import type { AccessLogEvent } from '@sluice/api';

/** Target for each query's p99, from issue 15. */
export const ACCESS_QUERY_TARGET_MS = 50;
const ACCOUNTS = ['a', 'b', 'c', 'd'].map((c) => c.repeat(32));
/** Half the events belong to the first account: the one queried. */
const HOT_SHARE = 0.5;
const USERS = 2_000;
const SPAN_MS = 30 * 86_400_000;
const INSERT_BATCH = 10_000;

export interface AccessIndexSectionResult {
  events: number;
  fillSeconds: number;
  queries: Record<string, { p50Ms: number; p99Ms: number; rows: number; total: number; targetMet: boolean }>;
}

export function measureAccessIndexSection(options: { events: number; repeats: number; say: (line: string) => void }): { result: AccessIndexSectionResult; rows: [string, string][] } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-access-index-'));
  const nowMs = Date.now();
  const store = createAccessLogStore({ path: join(dir, 'access.sqlite'), now: () => nowMs });
  try {
    options.say(`access index: filling with ${options.events.toLocaleString('en-US')} events…`);
    const started = performance.now();
    // mulberry32, seeded: the same index on every run.
    let seed = 42;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    for (let done = 0; done < options.events; done += INSERT_BATCH) {
      const batch: AccessLogEvent[] = [];
      for (let i = done; i < Math.min(done + INSERT_BATCH, options.events); i++) {
        const allowed = random() > 0.1;
        const ageMs = allowed ? random() * SPAN_MS : random() * 6 * 86_400_000;
        batch.push({
          accountId: random() < HOT_SHARE ? (ACCOUNTS[0] ?? '') : (ACCOUNTS[1 + Math.floor(random() * 3)] ?? ''),
          createdAtNs: BigInt(Math.floor(nowMs - ageMs)) * 1_000_000n + BigInt(i % 1_000_000),
          userEmail: `user${Math.floor(random() * USERS)}@${random() < 0.7 ? 'example.com' : 'corp.example.org'}`,
          ipAddress: `192.0.2.${i % 250}`,
          appUid: `app-${i % 20}`,
          appDomain: `app${i % 20}.example.com`,
          appType: 'self_hosted',
          action: 'login',
          allowed,
          connection: 'saml',
          country: 'US',
          rayId: i.toString(16).padStart(16, '0'),
          userUid: '',
          denyReasonCode: allowed ? '' : 'IDENTITY_EXPIRED',
          denyReason: allowed ? '' : 'token expired',
        });
      }
      store.add(batch);
    }
    const fillSeconds = (performance.now() - started) / 1000;
    const hour = (hoursAgo: number) => new Date(nowMs - hoursAgo * 3_600_000).toISOString();
    // Emails are user0…user1999 at two domains: 'user42@' matches 2 of ~4,000 addresses (~250 events),
    // 'user19' 222 (~6%), '@example.com' 70% of the account's events.
    const cases: [string, Record<string, string>][] = [
      ['newest 25', {}],
      ['email exact', { email: 'user42@example.com', email_exact: 'true' }],
      ['email contains rare', { email: 'user42@' }],
      ['email contains some', { email: 'user19' }],
      ['email contains common', { email: '@example.com' }],
      ['email contains common, 1000', { email: '@example.com', limit: '1000' }],
      ['email contains some, 1000', { email: 'user19', limit: '1000' }],
      ['email contains, denied', { email: 'user19', allowed: 'false' }],
      ['email contains, 1 h', { email: 'user19', since: hour(49), until: hour(48) }],
      ['email not contains', { email: '@example.com', emailOp: 'neq' }],
      ['email neq exact', { email: 'user42@example.com', emailOp: 'neq', email_exact: 'true' }],
      ['time range 1 h', { since: hour(49), until: hour(48) }],
      ['denied, 1000', { allowed: 'false', limit: '1000' }],
    ];
    const queries: AccessIndexSectionResult['queries'] = {};
    const rows: [string, string][] = [['access index fill', `${options.events.toLocaleString('en-US')} events in ${fillSeconds.toFixed(1)} s`]];
    for (const [name, params] of cases) {
      const parsed = parseAccessLogQuery(ACCOUNTS[0] ?? '', params);
      if (!parsed.ok) throw new Error(`bench query ${name}: ${parsed.issues.map((i) => i.message).join('; ')}`);
      const timings: number[] = [];
      let found = 0;
      let total = 0;
      let lowerBound = false;
      for (let i = 0; i < options.repeats + 5; i++) {
        const t0 = performance.now();
        const page = store.query(parsed.query);
        ({ total, totalIsLowerBound: lowerBound } = page);
        found = page.rows.length;
        // The first few warm the page cache and the statement cache.
        if (i >= 5) timings.push(performance.now() - t0);
        if (i === 5) options.say(`access index: ${name}: ${(performance.now() - t0).toFixed(1)} ms`);
      }
      timings.sort((a, b) => a - b);
      const p = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? 0;
      const met = p(0.99) < ACCESS_QUERY_TARGET_MS;
      queries[name] = { p50Ms: round(p(0.5)), p99Ms: round(p(0.99)), rows: found, total, targetMet: met };
      rows.push([`access ${name}`, `p50 ${p(0.5).toFixed(2)} ms, p99 ${p(0.99).toFixed(2)} ms (${found} rows of ${total}${lowerBound ? '+' : ''}; p99 < ${ACCESS_QUERY_TARGET_MS} ms: ${met ? 'met' : 'MISSED'})`]);
    }
    return { result: { events: options.events, fillSeconds: round(fillSeconds), queries }, rows };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (value: number): number => Math.round(value * 100) / 100;
