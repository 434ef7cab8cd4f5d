// Tests for the rendered broker config, log4j config and cluster id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProperties } from '../src/java-properties.js';
import { newClusterId, renderKafkaLog4j, renderServerProperties } from '../src/kafka-config.js';

const input = { host: '127.0.0.1', port: 9092, controllerPort: 9093, dataDir: '/srv/sluice/.run/kafka/data' };

test('server.properties makes one KRaft node that is both broker and controller on loopback', () => {
  const settings = parseProperties(renderServerProperties(input));
  assert.equal(settings.get('process.roles'), 'broker,controller');
  assert.equal(settings.get('node.id'), '1');
  assert.equal(settings.get('controller.quorum.voters'), '1@127.0.0.1:9093');
  assert.equal(settings.get('listeners'), 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
  assert.equal(settings.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:9092');
  assert.equal(settings.get('controller.listener.names'), 'CONTROLLER');
  assert.equal(settings.get('inter.broker.listener.name'), 'PLAINTEXT');
  assert.equal(settings.get('listener.security.protocol.map'), 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT');
  assert.equal(settings.get('log.dirs'), '/srv/sluice/.run/kafka/data');
});

test('server.properties sizes every internal topic for a single node', () => {
  const settings = parseProperties(renderServerProperties(input));
  const expected: Record<string, string> = {
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    'group.initial.rebalance.delay.ms': '0',
    'log.cleaner.dedupe.buffer.size': '16777216',
  };
  for (const [key, value] of Object.entries(expected)) assert.equal(settings.get(key), value, key);
  for (const [key, value] of settings) {
    if (key.endsWith('.replication.factor') || key.endsWith('.min.isr')) assert.equal(value, '1', key);
  }
});

test('server.properties turns topic auto-creation off and defaults new topics to 6 partitions', () => {
  const settings = parseProperties(renderServerProperties(input));
  assert.equal(settings.get('auto.create.topics.enable'), 'false');
  assert.equal(settings.get('num.partitions'), '6');
  assert.equal(settings.get('message.max.bytes'), '1048588');
});

test('server.properties sets each key once', () => {
  const keys = renderServerProperties(input).split('\n').filter((line) => line.includes('=') && !line.startsWith('#')).map((line) => line.split('=')[0]);
  assert.equal(new Set(keys).size, keys.length);
});

test('a broker session timeout sets the heartbeat to a third of it; without one Kafka\'s defaults stay', () => {
  const settings = parseProperties(renderServerProperties({ ...input, brokerSessionTimeoutMs: 3_000 }));
  assert.equal(settings.get('broker.session.timeout.ms'), '3000');
  assert.equal(settings.get('broker.heartbeat.interval.ms'), '1000');
  const defaults = parseProperties(renderServerProperties(input));
  assert.equal(defaults.has('broker.session.timeout.ms'), false);
  assert.equal(defaults.has('broker.heartbeat.interval.ms'), false);
});

test('backslashes in a Windows data path are escaped and read back unchanged', () => {
  const text = renderServerProperties({ ...input, dataDir: 'C:\\sluice\\data' });
  assert.match(text, /^log\.dirs=C:\\\\sluice\\\\data$/m);
  assert.equal(parseProperties(text).get('log.dirs'), 'C:\\sluice\\data');
});

test('the log4j config sends everything to the given file through a rolling appender', () => {
  const settings = parseProperties(renderKafkaLog4j('/srv/sluice/.run/kafka/kafka.log'));
  assert.equal(settings.get('log4j.rootLogger'), 'INFO, file');
  assert.equal(settings.get('log4j.appender.file'), 'org.apache.log4j.RollingFileAppender');
  assert.equal(settings.get('log4j.appender.file.File'), '/srv/sluice/.run/kafka/kafka.log');
});

test('cluster ids are 22-character base64url strings like Kafka\'s Uuid', () => {
  for (let i = 0; i < 50; i += 1) assert.match(newClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  assert.notEqual(newClusterId(), newClusterId());
});

test('a cluster id never starts with a dash, which the format command would read as a flag', () => {
  const draws = [Buffer.from([0xf8, ...new Array<number>(15).fill(1)]), Buffer.from(new Array<number>(16).fill(7))];
  const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16, 9));
  assert.equal(Buffer.from(id, 'base64url').equals(Buffer.from(new Array<number>(16).fill(7))), true);
});
