// Tests for the scratch broker's config and its refusals; none needs Java (a real broker is started in tests/test/e2e).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePortPair } from '../src/free-ports.js';
import { isInfraError } from '../src/infra-error.js';
import { infraPaths } from '../src/infra-paths.js';
import { parseProperties } from '../src/java-properties.js';
import { brokerServerProperties, kafkaComponent, kafkaFiles, kafkaLaunchArgs, sharedKafkaBroker } from '../src/kafka-broker.js';
import { renderServerProperties } from '../src/kafka-config.js';
import { artifactLayout } from '../src/maven-artifacts.js';
import { scratchKafkaBroker, startScratchKafka } from '../src/scratch-kafka.js';

const paths = infraPaths('/repo/infra/local');

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((done) => server.close(() => done()));
}

test('a scratch broker listens on the given port, with its controller on the next one, and keeps its data in its dir', () => {
  const settings = parseProperties(brokerServerProperties(scratchKafkaBroker('/tmp/scratch-a', 29_092)));
  assert.equal(settings.get('listeners'), 'PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093');
  assert.equal(settings.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:29092');
  assert.equal(settings.get('controller.quorum.voters'), '1@127.0.0.1:29093');
  assert.equal(settings.get('log.dirs'), '/tmp/scratch-a/data');
  // A restart after a crash waits for the old registration to lapse: 3 s instead of 9.
  assert.equal(settings.get('broker.session.timeout.ms'), '3000');
  assert.equal(settings.get('broker.heartbeat.interval.ms'), '1000');
  // Everything else is the shared broker's: one node, no auto-created topics.
  assert.equal(settings.get('auto.create.topics.enable'), 'false');
  assert.equal(settings.get('offsets.topic.replication.factor'), '1');
});

test('a scratch broker keeps its config, logs and pid file in its dir, which is made absolute', () => {
  const broker = scratchKafkaBroker('relative/scratch-b', 29_100);
  assert.equal(broker.runDir, resolve('relative/scratch-b'));
  const component = kafkaComponent(broker);
  assert.equal(component.address, '127.0.0.1:29100');
  assert.deepEqual(component.ports, [29_100, 29_101]);
  assert.equal(component.pidFile, join(broker.runDir, 'kafka.pid'));
  assert.equal(component.marker, join(broker.runDir, 'server.properties'));
  for (const file of [...component.logFiles, ...component.dataDirs]) assert.ok(file.startsWith(`${broker.runDir}/`), file);
});

test('a scratch broker runs on a 512 MB heap, the shared one still on 768 MB', () => {
  const scratch = scratchKafkaBroker('/tmp/scratch-c', 29_200);
  const args = kafkaLaunchArgs(kafkaFiles(scratch.runDir), artifactLayout(paths), scratch.jvmOptions);
  assert.ok(args.includes('-Xmx512m'));
  assert.ok(!args.includes('-Xmx768m'));
  assert.ok(sharedKafkaBroker(paths).jvmOptions.includes('-Xmx768m'));
  assert.deepEqual(args.slice(-2), ['kafka.Kafka', join(scratch.runDir, 'server.properties')]);
});

test('the shared broker\'s server.properties is unchanged: 9092 and 9093, data under .run/kafka', () => {
  const expected = renderServerProperties({ host: '127.0.0.1', port: 9092, controllerPort: 9093, dataDir: '/repo/infra/local/.run/kafka/data' });
  assert.equal(brokerServerProperties(sharedKafkaBroker(paths)), expected);
  assert.equal(parseProperties(expected).has('broker.session.timeout.ms'), false);
  assert.equal(sharedKafkaBroker(paths).runDir, '/repo/infra/local/.run/kafka');
});

test('a port outside 1 to 65534 is refused with INFRA_BAD_PORT', () => {
  for (const port of [0, 65_535, 29_092.5, Number.NaN]) {
    assert.throws(() => scratchKafkaBroker('/tmp/scratch-d', port), (error) => isInfraError(error, 'INFRA_BAD_PORT'), String(port));
  }
});

test('a taken broker or controller port fails the start with INFRA_PORT_IN_USE before Java is looked for, leaving nothing behind', async () => {
  const port = await findFreePortPair('127.0.0.1');
  for (const taken of [port, port + 1]) {
    const holder = await listen(taken);
    const dir = join(mkdtempSync(join(tmpdir(), 'infra-scratch-')), 'kafka');
    const exitListeners = process.listenerCount('exit');
    try {
      await assert.rejects(startScratchKafka({ dir, port }), (error) => isInfraError(error, 'INFRA_PORT_IN_USE') && error.message.includes(`port ${taken} `));
      assert.equal(process.listenerCount('exit'), exitListeners);
      assert.equal(existsSync(join(dir, 'kafka.pid')), false);
    } finally {
      await close(holder);
    }
  }
});
