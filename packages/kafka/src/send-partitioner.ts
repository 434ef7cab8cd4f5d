// Puts every record of one send on one partition, moving to the next partition with each send.
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

export interface SendPartitioner {
  /** For kafkajs's `createPartitioner`. */
  readonly create: ICustomPartitioner;
  /** Called before each send: its records go to the next partition in turn. */
  nextSend(): void;
}

/**
 * Hashing each record's key spreads one send over every partition: a send of 12 records to 6
 * partitions becomes 6 record batches of 2, each with its own header, CRC and broker append, and
 * kafkajs's cost per send grows with the batches in it. Like Kafka's own sticky partitioner, this
 * keeps a send whole and spreads sends instead, so partitions fill evenly over time. Keys stay on
 * the records for consumers; no consumer here relies on a key's partition.
 */
export function createSendPartitioner(): SendPartitioner {
  let send = 0;
  return {
    create: () => ({ partitionMetadata }: PartitionerArgs) => {
      // Partitions with a leader take writes; when none has one, kafkajs's send fails and is retried either way.
      const led = partitionMetadata.filter((partition) => partition.leader >= 0);
      const choices = led.length > 0 ? led : partitionMetadata;
      return choices[send % choices.length]?.partitionId ?? 0;
    },
    nextSend() {
      send = (send + 1) % Number.MAX_SAFE_INTEGER;
    },
  };
}
