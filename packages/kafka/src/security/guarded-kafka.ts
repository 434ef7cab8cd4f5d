// A kafkajs client whose producers, consumers and admins run the connect guard around `connect()`.
import { Kafka } from 'kafkajs';
import type { Admin, AdminConfig, Consumer, ConsumerConfig, KafkaConfig, Producer, ProducerConfig } from 'kafkajs';
import type { ConnectGuard } from './connect-guard.js';

/** Private to @sluice/kafka: callers get it as a plain `Kafka` from createKafkaClient. */
export class GuardedKafka extends Kafka {
  readonly #guard: ConnectGuard;

  constructor(config: KafkaConfig, guard: ConnectGuard) {
    super(config);
    this.#guard = guard;
  }

  override producer(config?: ProducerConfig): Producer {
    return guardConnect(super.producer(config), this.#guard);
  }

  override consumer(config: ConsumerConfig): Consumer {
    return guardConnect(super.consumer(config), this.#guard);
  }

  override admin(config?: AdminConfig): Admin {
    return guardConnect(super.admin(config), this.#guard);
  }
}

function guardConnect<T extends { connect(): Promise<void> }>(client: T, guard: ConnectGuard): T {
  const connect = client.connect.bind(client);
  client.connect = async () => {
    await guard.before();
    try {
      await connect();
    } catch (error) {
      throw guard.translate(error);
    }
  };
  return client;
}
