// The Dockerfile, checked without Docker: its stages and user by reading it, its runtime stage by building the same
// layout (the deps stage's `npm ci --omit=dev`, then what the final stage's COPY lines name) and starting every
// service from that folder alone, as the image would, each stopped with SIGTERM.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_ISSUER } from '@sluice/edge';
import { deriveHexId } from '@sluice/schemas';
import { gatewayRequest, runTag } from '../../src/index.js';
import { startEdgeTestbed } from '../../src/edge-testbed.js';
import type { EdgeTestbed } from '../../src/edge-testbed.js';
import { layOutRuntime, parseDockerfile } from '../../src/image-layout.js';
import type { DockerStage } from '../../src/image-layout.js';
import { startKillableEdge } from '../../src/killable-edge.js';
import { startSluiceService } from '../../src/sluice-service.js';
import type { SluiceService } from '../../src/sluice-service.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const DOCKERFILE = join(REPO, 'Dockerfile');
const tag = runTag();

/** `node BIN args` with `cwd` as the image's WORKDIR, ready once its output matches `ready`. */
function startService(bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, ready: RegExp): Promise<SluiceService> {
  return startSluiceService({ bin, args, env, cwd, ready });
}

void describe('the Dockerfile', () => {
  let stages: DockerStage[];

  before(async () => {
    stages = parseDockerfile(await readFile(DOCKERFILE, 'utf8'));
  });

  void test('builds in stages from a pinned slim Node 20 image and runs as a user that is not root', () => {
    assert.ok(stages.length >= 3, `stages: ${stages.map((s) => s.name).join(', ')}`);
    const runtime = stages.at(-1);
    assert.match(runtime?.from ?? '', /^node:20\.\d+\.\d+-[a-z]+-slim$/, 'a pinned Node 20 slim image');
    const users = runtime?.instructions.filter((i) => i.op === 'USER').map((i) => i.args) ?? [];
    assert.ok(users.length > 0 && !['root', '0'].includes(users.at(-1) ?? 'root'), `USER ${users.at(-1) ?? '(none)'}`);
    assert.deepEqual(runtime?.instructions.find((i) => i.op === 'ENTRYPOINT')?.args, '["node", "/app/packages/cli/bin/sluice.js"]');
    assert.ok(!runtime?.instructions.some((i) => i.op === 'RUN' && /npm|apt-get/.test(i.args)), 'nothing is installed in the final stage');
  });

  void test('copies every workspace\'s manifest into the deps stage, so that npm ci sees the whole lockfile', async () => {
    const workspaces = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const copied = stages.find((s) => s.name === 'deps')?.instructions.filter((i) => i.op === 'COPY').map((i) => i.args) ?? [];
    for (const workspace of workspaces) assert.ok(copied.includes(`${workspace}/package.json ${workspace}/`), `COPY ${workspace}/package.json`);
  });
});

/** Metric names a scrape declares (`# TYPE` lines), with a histogram's series names. */
function declaredMetrics(text: string): string[] {
  const names: string[] = [];
  for (const [, name = '', type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.push(name);
    if (type === 'histogram') names.push(`${name}_bucket`, `${name}_sum`, `${name}_count`);
    if (type === 'summary') names.push(`${name}_sum`, `${name}_count`);
  }
  return names;
}

/** The Sluice and process metric names a PromQL text refers to. */
function queriedMetrics(promql: string): string[] {
  return [...promql.matchAll(/\b((?:sluice|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] ?? '');
}

void describe('the image layout, built without Docker', () => {
  /** Every metric the services started below declared. */
  const exposed = new Set<string>();
  let dir: string;
  let bin: string;
  let workdir: string;
  let bed: EdgeTestbed;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-image-'));
    await layOutRuntime(REPO, DOCKERFILE, dir);
    bin = join(dir, 'app', 'packages', 'cli', 'bin', 'sluice.js');
    workdir = await mkdtemp(join(tmpdir(), 'sluice-image-data-'));
    bed = await startEdgeTestbed('image-layout');
  });

  after(async () => {
    await bed?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  void test('holds production dependencies only, with better-sqlite3 built', () => {
    const modules = join(dir, 'app', 'node_modules');
    assert.ok(existsSync(join(modules, 'kafkajs')), 'kafkajs');
    assert.ok(existsSync(join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')), 'the native module');
    for (const dev of ['typescript', 'eslint', 'testcontainers', 'playwright-core', 'autocannon']) assert.ok(!existsSync(join(modules, dev)), `no ${dev}`);
  });

  void test('the API starts from it, serves its probes and dashboard, and stops on SIGTERM with exit code 0', async () => {
    const api = await startService(bin, ['api', '--memory', '--port', '0', '--host', '127.0.0.1'], { SLUICE_API_TOKEN: `image-${tag}` }, workdir, /serving (http:\/\/127\.0\.0\.1:\d+)\/client\/v4/);
    try {
      assert.equal((await fetch(`${api.found}/healthz`)).status, 200);
      assert.equal((await fetch(`${api.found}/readyz`)).status, 200);
      const dash = await fetch(`${api.found}/dash/`);
      assert.equal(dash.status, 200, 'the dashboard\'s files are in the image');
      const metrics = await (await fetch(`${api.found}/metrics`)).text();
      assert.match(metrics, /^sluice_api_requests_total\{route="\/healthz",method="GET",status="200"\} 1$/m, 'the one /healthz asked above');
      assert.match(metrics, /^sluice_api_requests_total\{route="\/readyz",method="GET",status="200"\} 1$/m);
      for (const name of declaredMetrics(metrics)) exposed.add(name);
    } finally {
      assert.equal((await api.stop()).code, 0, api.output().slice(-2_000));
    }
  });

  void test('the pusher starts from it on two threads, answers its probes, and stops on SIGTERM with exit code 0', async () => {
    const jobs = join(workdir, 'jobs.json');
    writeFileSync(jobs, JSON.stringify({ jobs: [{ id: 9_100_000 + Number.parseInt(tag.slice(0, 4), 16), dataset: 'http_requests', zone_id: deriveHexId(`zone:image-${tag}`), destination_conf: 'https://127.0.0.1:1/never', output_options: { field_names: ['RayID'] } }] }));
    const pusher = await startService(bin, ['pusher', '--jobs', jobs, '--metrics-port', '0', '--threads', '2', '--session-timeout', '6'], { KAFKA_BROKERS: bed.kafka.brokers }, workdir, /metrics at (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    try {
      assert.equal((await fetch(`${pusher.found}/healthz`)).status, 200);
      const until = Date.now() + 60_000;
      while ((await fetch(`${pusher.found}/readyz`)).status !== 200) {
        assert.ok(Date.now() < until, `ready within 60 s:\n${pusher.output().slice(-2_000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const metrics = await (await fetch(`${pusher.found}/metrics`)).text();
      assert.match(metrics, /^sluice_pusher_threads 2$/m);
      for (const name of declaredMetrics(metrics)) exposed.add(name);
    } finally {
      assert.equal((await pusher.stop()).code, 0, pusher.output().slice(-2_000));
    }
  });

  void test('the edge starts from it, forwards a signed-in request, and stops on SIGTERM with exit code 0', async () => {
    const host = `wiki-${tag}.example.com`;
    const config = join(bed.dir, 'edge-image.json');
    writeFileSync(config, JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      account_id: deriveHexId(`account:image-${tag}`),
      identity: { issuer: DEV_ISSUER, jwks_file: 'jwks.json' },
      apps: [{ name: 'wiki', hostnames: [host], origin: bed.origin.url, zone: { id: deriveHexId(`zone:image-edge-${tag}`), name: 'example.com' }, aud: 'wiki-aud', allow: { everyone: true } }],
      kafka: { brokers: bed.kafka.brokers },
      spool: { dir: 'spool' },
      workers: 2,
    }));
    const edge = await startKillableEdge(config, 60_000, bin);
    try {
      const reply = await gatewayRequest(edge.port, host, '/page', { 'cf-access-jwt-assertion': bed.token });
      assert.equal(reply.status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${edge.adminPort}/healthz`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${edge.adminPort}/readyz`)).status, 200);
      // The latency is observed as the response closes, a moment after the client has it: scrape until it shows.
      let metrics = '';
      for (let tries = 0; tries < 50 && !/^sluice_edge_request_duration_seconds_count\{app="wiki"\} 1$/m.test(metrics); tries++) {
        if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        metrics = await (await fetch(`http://127.0.0.1:${edge.adminPort}/metrics`)).text();
      }
      assert.match(metrics, /^sluice_edge_requests_total\{app="wiki",action="allow"\} 1$/m, 'the one request sent, summed over the workers');
      assert.match(metrics, /^sluice_edge_request_duration_seconds_count\{app="wiki"\} 1$/m);
      for (const name of declaredMetrics(metrics)) exposed.add(name);
    } finally {
      assert.equal(await edge.stop(30_000), 0);
    }
  });

  void test('every metric the Grafana dashboard and the alert rules query is one the running services expose', async () => {
    assert.ok(exposed.has('sluice_edge_requests_total') && exposed.has('sluice_pusher_records_delivered_total') && exposed.has('sluice_api_requests_total'), 'all three were scraped');
    const dashboard = JSON.parse(await readFile(join(REPO, 'infra', 'grafana', 'sluice.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[]; templating: { list: { definition?: string }[] } };
    const queries = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.definition ?? '')];
    const rules = await readFile(join(REPO, 'infra', 'prometheus', 'alerts.yml'), 'utf8');
    const exprs = [...rules.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1] ?? '');
    assert.ok(queries.length > 20 && exprs.length > 8, `${queries.length} dashboard queries, ${exprs.length} rules`);
    const unknown = [...new Set([...queries, ...exprs].flatMap(queriedMetrics))].filter((name) => !exposed.has(name));
    assert.deepEqual(unknown, [], 'queried but exposed by no service');
  });
});
