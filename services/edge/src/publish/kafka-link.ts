// The publisher's one producer: connects on demand, bounds every connect and send by a timeout, replaces itself after a failure.
import type { Logger } from '@sluice/logging';
import type { OutgoingRecord, RecordProducer } from '@sluice/kafka';

export type SendOutcome =
  | { readonly kind: 'acked' }
  | { readonly kind: 'failed'; readonly stage: 'connect' | 'send'; readonly error: unknown }
  | { readonly kind: 'timed-out'; readonly stage: 'connect' | 'send' }
  /** The link was closed while the send waited; nothing is known about the records. */
  | { readonly kind: 'closed' };

export interface KafkaLink {
  /** Connects first if needed; never rejects. The caller keeps at most one send going. */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<SendOutcome>;
  /** Starts connecting in the background, so that the first batch does not wait for it. */
  warmUp(): void;
  /** The last connect or send succeeded. */
  healthy(): boolean;
  /** A send still waiting resolves `closed` at once; the producer is closed. */
  close(): Promise<void>;
}

export interface KafkaLinkOptions {
  readonly connect: () => Promise<RecordProducer>;
  /** Longest a connect or a send may take before it counts as failed. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Each send that ended (acknowledged, failed or timed out), in seconds from the send to its end; connecting excluded. */
  readonly onSendTime?: (seconds: number) => void;
}

const ACKED: SendOutcome = { kind: 'acked' };
const CLOSED = { kind: 'closed' } as const satisfies SendOutcome;
const TIMED_OUT = Symbol('timed out');
type Interrupted = typeof TIMED_OUT | typeof CLOSED;

export function createKafkaLink(options: KafkaLinkOptions): KafkaLink {
  const { logger } = options;
  let producer: RecordProducer | undefined;
  let connecting: Promise<RecordProducer> | undefined;
  let healthy = false;
  let closed = false;
  /** Ends the waits of the sends in progress (each has its own: one shared promise would collect a reaction per send). */
  const interrupts = new Set<() => void>();

  /** Closes a producer without waiting: a producer stuck on a dead broker may never finish closing. */
  function discard(old: RecordProducer): void {
    if (producer === old) producer = undefined;
    old.close().catch((error: unknown) => logger.debug({ err: error }, 'closing a failed producer failed'));
  }

  function startConnect(): Promise<RecordProducer> {
    if (connecting) return connecting;
    const attempt = Promise.resolve().then(() => options.connect());
    connecting = attempt;
    attempt.then(
      (connected) => {
        // A connect that was given up on (timed out) or outlived the link is closed, not used.
        if (connecting !== attempt || closed) return discard(connected);
        connecting = undefined;
        producer = connected;
        healthy = true;
      },
      () => {
        if (connecting === attempt) connecting = undefined;
      },
    );
    return attempt;
  }

  async function connectWithin(deadline: Promise<Interrupted>): Promise<RecordProducer | SendOutcome> {
    if (producer) return producer;
    const attempt = startConnect();
    const connected = attempt.then(
      (made) => ({ made }),
      (error: unknown): SendOutcome => ({ kind: 'failed', stage: 'connect', error }),
    );
    const result = await Promise.race([connected, deadline]);
    if (result === CLOSED) return CLOSED;
    if (result === TIMED_OUT) {
      healthy = false;
      // Given up on: if it connects later, startConnect's handler closes that producer.
      if (connecting === attempt) connecting = undefined;
      return { kind: 'timed-out', stage: 'connect' };
    }
    healthy = 'made' in result;
    return 'made' in result ? result.made : result;
  }

  return {
    async send(topic, records) {
      if (closed) return CLOSED;
      let timer: NodeJS.Timeout | undefined;
      let interrupt: () => void = () => undefined;
      // Whichever comes first: the timeout, or the link closing.
      const deadline = new Promise<Interrupted>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), options.timeoutMs);
        interrupt = () => resolve(CLOSED);
        interrupts.add(interrupt);
      });
      try {
        const connected = await connectWithin(deadline);
        if (!('send' in connected)) return connected;
        const sentAt = performance.now();
        const sending = connected.send(topic, records).then(
          () => ACKED,
          (error: unknown): SendOutcome => ({ kind: 'failed', stage: 'send', error }),
        );
        const result = await Promise.race([sending, deadline]);
        if (result === CLOSED) return CLOSED;
        options.onSendTime?.((performance.now() - sentAt) / 1000);
        healthy = result === ACKED;
        if (result === ACKED) return ACKED;
        // Whatever state the producer is in after a failure or a hang, the next send gets a fresh one.
        discard(connected);
        return result === TIMED_OUT ? { kind: 'timed-out', stage: 'send' } : result;
      } finally {
        clearTimeout(timer);
        interrupts.delete(interrupt);
      }
    },
    warmUp() {
      if (producer || closed) return;
      startConnect().catch((error: unknown) => {
        healthy = false;
        logger.warn({ err: error }, 'cannot connect to Kafka yet; records wait in memory, then on disk');
      });
    },
    healthy: () => healthy,
    async close() {
      if (closed) return;
      closed = true;
      for (const interrupt of interrupts) interrupt();
      const last = producer;
      producer = undefined;
      if (last) await last.close().catch((error: unknown) => logger.debug({ err: error }, 'closing the producer failed'));
    },
  };
}
