// Tests for how the Kafka broker is launched and recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infraPaths } from '../src/infra-paths.js';
import { kafkaComponent, kafkaFiles, kafkaLaunchArgs, sharedKafkaBroker } from '../src/kafka-broker.js';
import { artifactLayout } from '../src/maven-artifacts.js';

const paths = infraPaths('/repo/infra/local');
const shared = sharedKafkaBroker(paths);

test('the broker JVM gets the agreed heap and G1, our log4j file and the generated server.properties', () => {
  const files = kafkaFiles(shared.runDir);
  const args = kafkaLaunchArgs(files, artifactLayout(paths), shared.jvmOptions);
  for (const option of ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC']) assert.ok(args.includes(option), option);
  assert.ok(args.includes(`-Dlog4j.configuration=file:${files.log4jProperties}`));
  assert.equal(args[args.indexOf('-cp') + 1], artifactLayout(paths).kafkaClasspath);
  assert.deepEqual(args.slice(-2), ['kafka.Kafka', files.serverProperties]);
});

test('the marker that identifies our broker process is on its command line', () => {
  const component = kafkaComponent(shared);
  assert.ok(kafkaLaunchArgs(kafkaFiles(shared.runDir), artifactLayout(paths)).includes(component.marker));
});

test('the broker lives on 127.0.0.1:9092 with its controller on 9093, all state under .run/kafka', () => {
  const component = kafkaComponent(shared);
  assert.equal(component.address, '127.0.0.1:9092');
  assert.equal(component.title, 'Kafka 3.9.1 on 127.0.0.1:9092');
  assert.deepEqual(component.ports, [9092, 9093]);
  assert.equal(component.stopGraceMs, 30_000);
  for (const file of [component.pidFile, ...component.logFiles, ...component.dataDirs]) assert.ok(file.startsWith('/repo/infra/local/.run/kafka/'), file);
});
