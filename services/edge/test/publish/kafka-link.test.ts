import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKafkaLink } from '../../src/publish/kafka-link.js';
import { capturingLogger, createFakeKafka } from './publish-fixtures.js';

const record = { value: Buffer.from('v') };

test('a send slower than the timeout reports timed-out, and the next send uses a fresh producer after closing the old one', async () => {
  const kafka = createFakeKafka();
  const link = createKafkaLink({ connect: kafka.connect, timeoutMs: 20, logger: capturingLogger().logger });
  assert.deepEqual(await link.send('t', [record]), { kind: 'acked' });
  assert.equal(link.healthy(), true);
  kafka.state = 'hang';
  assert.deepEqual(await link.send('t', [record]), { kind: 'timed-out', stage: 'send' });
  assert.equal(link.healthy(), false);
  assert.equal(kafka.closes, 1, 'the hung producer is closed');
  kafka.state = 'up';
  assert.deepEqual(await link.send('t', [record]), { kind: 'acked' });
  assert.equal(kafka.connects, 2);
  await link.close();
});

test('a refused connection is a failed send at the connect stage, and the next send connects again', async () => {
  const kafka = createFakeKafka('down');
  const link = createKafkaLink({ connect: kafka.connect, timeoutMs: 1_000, logger: capturingLogger().logger });
  const outcome = await link.send('t', [record]);
  assert.equal(outcome.kind, 'failed');
  assert.equal((outcome as { stage: string }).stage, 'connect');
  kafka.state = 'up';
  assert.deepEqual(await link.send('t', [record]), { kind: 'acked' });
  assert.equal(kafka.connects, 2);
  await link.close();
});

test('a connect that hangs times out, and a send after it starts a new connect', async () => {
  const kafka = createFakeKafka('hang');
  const link = createKafkaLink({ connect: kafka.connect, timeoutMs: 20, logger: capturingLogger().logger });
  assert.deepEqual(await link.send('t', [record]), { kind: 'timed-out', stage: 'connect' });
  kafka.state = 'up';
  assert.deepEqual(await link.send('t', [record]), { kind: 'acked' });
  await link.close();
});

test('closing the link resolves a send that is waiting on a hung broker at once', async () => {
  const kafka = createFakeKafka();
  const link = createKafkaLink({ connect: kafka.connect, timeoutMs: 60_000, logger: capturingLogger().logger });
  await link.send('t', [record]);
  kafka.state = 'hang';
  const waiting = link.send('t', [record]);
  await link.close();
  assert.deepEqual(await waiting, { kind: 'closed' });
  assert.deepEqual(await link.send('t', [record]), { kind: 'closed' });
});
