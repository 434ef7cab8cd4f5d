// The deployment files, checked where Docker and Kubernetes do not run: the Kubernetes manifests against the API's
// schemas (kubernetes-models), the gateway configs by the gateway's own parser, the compose stack's references, and
// the alert rules by Prometheus's promtool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { parseEdgeConfig } from '@sluice/edge';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const K8S = join(REPO, 'infra', 'k8s');
const run = promisify(execFile);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Container {
  name: string;
  image: string;
  args: string[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  env?: { name: string; value?: string }[];
}

async function kustomization(): Promise<{ resources: string[]; configMapGenerator: { name: string; literals?: string[]; files?: string[] }[]; images: { name: string }[] }> {
  return parse(await readFile(join(K8S, 'kustomization.yaml'), 'utf8')) as never;
}

async function manifests(): Promise<Manifest[]> {
  const all: Manifest[] = [];
  for (const file of (await kustomization()).resources) {
    for (const doc of parseAllDocuments(await readFile(join(K8S, file), 'utf8'))) all.push(doc.toJS() as Manifest);
  }
  return all;
}

/** The kubernetes-models class for a manifest's apiVersion and kind. */
async function modelOf(manifest: Manifest): Promise<new (value: unknown) => { validate(): void }> {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion : `v1`;
  const module = (await import(`kubernetes-models/${group}`)) as Record<string, new (value: unknown) => { validate(): void }>;
  const model = module[manifest.kind];
  if (!model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  return model;
}

const containersOf = (manifest: Manifest): Container[] =>
  ((manifest.spec?.['template'] as { spec: { containers: Container[] } } | undefined)?.spec.containers ?? []);

void test('every Kubernetes manifest is valid against the Kubernetes API schemas', async () => {
  const all = await manifests();
  assert.deepEqual(all.map((m) => m.kind).sort(), ['Deployment', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget', 'Service', 'Service', 'Service']);
  for (const manifest of all) {
    const Model = await modelOf(manifest);
    assert.doesNotThrow(() => new Model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`);
  }
});

void test('the schema check can fail: a port that is not a number is refused', async () => {
  const [deployment] = (await manifests()).filter((m) => m.kind === 'Deployment');
  assert.ok(deployment);
  const broken = structuredClone(deployment);
  const container = containersOf(broken)[0];
  assert.ok(container?.ports?.[0]);
  (container.ports[0] as { containerPort: unknown }).containerPort = 'http';
  const Model = await modelOf(broken);
  assert.throws(() => new Model(broken).validate(), /containerPort must be integer/);
});

void test('each Deployment runs the image unprivileged with probes on the paths its service serves and memory requested', async () => {
  const deployments = (await manifests()).filter((m) => m.kind === 'Deployment');
  for (const deployment of deployments) {
    const template = deployment.spec?.['template'] as { spec: { securityContext: { runAsNonRoot: boolean } } };
    assert.equal(template.spec.securityContext.runAsNonRoot, true, deployment.metadata.name);
    for (const container of containersOf(deployment)) {
      const [service = ''] = container.args;
      assert.ok(['edge', 'pusher', 'api'].includes(service), `${deployment.metadata.name} runs sluice ${service}`);
      assert.equal(container.image, 'sluice');
      assert.equal(container.livenessProbe?.httpGet.path, '/healthz');
      assert.equal(container.readinessProbe?.httpGet.path, '/readyz');
      const ports = new Set((container.ports ?? []).map((p) => p.name));
      assert.ok(ports.has(container.livenessProbe.httpGet.port) && ports.has(container.readinessProbe.httpGet.port), `${service}: probes on a declared port`);
      const resources = (container as unknown as { resources: { requests: { memory: string; cpu: string } } }).resources;
      assert.ok(resources.requests.memory && resources.requests.cpu, `${service}: requests`);
      if (service === 'pusher') assert.ok(container.args.includes('--metrics-port') && container.args.includes('0.0.0.0'), 'the pusher\'s metrics port is reachable by the kubelet');
      // Services taking requests wait for their endpoints to go before SIGTERM, leaving most of the grace to drain.
      const preStop = (container as unknown as { lifecycle?: { preStop?: { exec?: { command: string[] } } } }).lifecycle?.preStop?.exec?.command;
      const grace = (deployment.spec?.['template'] as { spec: { terminationGracePeriodSeconds?: number } }).spec.terminationGracePeriodSeconds ?? 30;
      if (service !== 'pusher') {
        assert.equal(preStop?.[0], 'sleep', `${service}: a preStop sleep`);
        assert.ok(Number(preStop?.[1]) > 0 && Number(preStop?.[1]) <= grace / 3, `${service}: the sleep (${String(preStop?.[1])} s) leaves the drain most of the ${grace} s grace`);
      }
    }
  }
  assert.ok((await kustomization()).images.some((i) => i.name === 'sluice'), 'kustomize sets the image');
});

void test('no secret sits in a ConfigMap or an environment value: credentials are files from Secrets', async () => {
  const generated = (await kustomization()).configMapGenerator.flatMap((g) => g.literals ?? []);
  const secretLooking = /^(?!.*_FILE=)[A-Z_]*(PASSWORD|TOKEN|SECRET|USERNAME|KEY)=/;
  assert.deepEqual(generated.filter((l) => secretLooking.test(l)), []);
  for (const deployment of (await manifests()).filter((m) => m.kind === 'Deployment')) {
    for (const container of containersOf(deployment)) {
      for (const env of container.env ?? []) assert.ok(!/(PASSWORD|TOKEN|SECRET|KEY)$/.test(env.name), `${env.name} is a file's path, not a value`);
    }
  }
});

void test('the gateway configs of the Kubernetes and compose stacks pass the gateway\'s own validation', async () => {
  for (const file of [join(K8S, 'config', 'edge.json'), join(REPO, 'infra', 'compose', 'edge.json')]) {
    const parsed = parseEdgeConfig(JSON.parse(await readFile(file, 'utf8')), { baseDir: dirname(file) });
    assert.ok(parsed.ok, `${file}: ${JSON.stringify(parsed.ok ? '' : parsed.issues)}`);
  }
});

void test('the compose stack builds every Sluice service from the Dockerfile, and every file it mounts exists', async () => {
  const infra = join(REPO, 'infra');
  const compose = parse(await readFile(join(infra, 'compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: { context: string; dockerfile: string }; command?: string[]; volumes?: string[]; environment?: Record<string, string>; image?: string }>;
    secrets: Record<string, { file: string }>;
  };
  assert.deepEqual(['kafka', 'minio', 'api', 'pusher', 'edge', 'whoami', 'prometheus', 'grafana'].filter((s) => !(s in compose.services)), []);
  for (const name of ['api', 'pusher', 'edge']) {
    const service = compose.services[name];
    assert.ok(service?.build, `${name} is built`);
    assert.ok(existsSync(join(infra, service.build.context, service.build.dockerfile)), `${name}: the Dockerfile`);
    assert.equal(service.command?.[0], name);
  }
  for (const [name, service] of Object.entries(compose.services)) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0] ?? '';
      if (source.startsWith('.')) assert.ok(existsSync(join(infra, source)), `${name} mounts ${source}`);
    }
    for (const key of Object.keys(service.environment ?? {})) assert.ok(!/(PASSWORD|TOKEN|SECRET)$/.test(key), `${name}: ${key} comes from a secret file`);
  }
  for (const secret of Object.values(compose.secrets)) assert.ok(existsSync(join(infra, secret.file)), secret.file);
});

void test('promtool accepts the alert rules', async () => {
  const { stdout } = await run('promtool', ['check', 'rules', join(REPO, 'infra', 'prometheus', 'alerts.yml')]);
  assert.match(stdout, /SUCCESS: \d+ rules found/);
});
